/**
 * Verifying an evidence bundle (bundle.ts) offline, with no secret: a pure function of its bytes
 * and the crypto interface.
 *
 * What is checked, in order, each failure a BundleProblem naming where:
 *  1. structure (readBundle): magic, version, lengths, truncation, the manifest's fields;
 *  2. the manifest signature, by the exporter key it names, and that key's device id;
 *  3. the contents hash and counts the manifest states;
 *  4. every op: envelope, incident, every signature, every certificate (WA's, from the manifest,
 *     which must be the genesis's signer), every chain link, every seq with no gap or repeat,
 *     through the same admitOp rule the core and the relay apply;
 *  5. every checkpoint's signature, and that each device's ops end exactly at its checkpoint.
 *
 * Invariants: never throws for any input bytes; `ok` is true exactly when `problems` is empty;
 * after a device's first bad op its later ops are not checked (they could only repeat the first
 * problem) and that is said once.
 */
import type { SyncCrypto } from '../sync/crypto';
import { bytesToHex, equalBytes, hexToBytes } from '../sync/bytes';
import { deviceIdFromPublicKey } from '../sync/incident-keys';
import { ChainError, admitOp, type HeldHead } from '../sync/op-admission';
import { decodeOp, opHash, type DecodedOp } from '../sync/op-envelope';
import { OpError } from '../sync/op-error';
import { BundleError, checkpointMessage, readBundle, type BundleErrorCode, type ParsedBundle } from './bundle';

export type BundleProblemCode =
  | BundleErrorCode
  | 'bad-manifest-signature'
  | 'content-hash-mismatch'
  | 'count-mismatch'
  | 'bad-op'
  | 'gap'
  | 'no-genesis'
  | 'bad-checkpoint-signature'
  | 'checkpoint-mismatch'
  | 'missing-checkpoint';

export interface BundleProblem {
  code: BundleProblemCode;
  /** Says what is wrong and where, for a person. */
  message: string;
  /** Byte offset in the bundle, where one applies. */
  offset?: number;
  device?: string;
  seq?: number;
  /** For a bad op: the op envelope's own error code (bad-signature, bad-chain, ...). */
  opError?: string;
}

export type DeviceRole = 'write-authority' | 'writer' | 'uncertified';

export interface BundleDevice {
  deviceId: string;
  /** Only the exporter's is known without the incident's key (names live in encrypted payloads). */
  name: string | null;
  publicKey: string;
  role: DeviceRole;
  /** Ops of this device that verified, from seq 1 without a gap. */
  ops: number;
  lastSeq: number;
  /** sha256 of its last verified op. */
  headHash: string;
}

export interface BundleReport {
  ok: boolean;
  formatVersion: number | null;
  incidentId: string | null;
  writeAuthority: { publicKey: string; fingerprint: string } | null;
  exporter: { deviceId: string; name: string; exportedAt: number; isWriter: boolean } | null;
  devices: BundleDevice[];
  opCount: number;
  problems: BundleProblem[];
}

/** Hex digits per group in a printed fingerprint. */
const FINGERPRINT_GROUP = 4;
/** A fingerprint is the first 16 bytes of sha256(public key). */
const FINGERPRINT_BYTES = 16;

/** "ab12 cd34 …": the first 16 bytes of sha256(key), grouped, to read aloud and compare. */
export function keyFingerprint(c: SyncCrypto, publicKey: Uint8Array): string {
  return bytesToHex(c.sha256(publicKey).subarray(0, FINGERPRINT_BYTES)).match(new RegExp(`.{${FINGERPRINT_GROUP}}`, 'g'))!.join(' ');
}

export function verifyBundle(c: SyncCrypto, bytes: Uint8Array): BundleReport {
  let parsed: ParsedBundle;
  try {
    parsed = readBundle(bytes);
  } catch (error) {
    const problem: BundleProblem =
      error instanceof BundleError
        ? { code: error.code, message: error.message, offset: error.offset }
        : { code: 'malformed', message: `the bundle does not parse: ${String(error)}` };
    return { ok: false, formatVersion: null, incidentId: null, writeAuthority: null, exporter: null, devices: [], opCount: 0, problems: [problem] };
  }
  return verifyParsed(c, parsed);
}

interface DeviceState {
  head: HeldHead;
  ops: number;
  role: DeviceRole;
  broken: boolean;
  /** Ops not checked after the device's chain broke. */
  skipped: number;
}

function verifyParsed(c: SyncCrypto, bundle: ParsedBundle): BundleReport {
  const { manifest } = bundle;
  const problems: BundleProblem[] = [];
  const writeAuthorityKey = hexToBytes(manifest.writeAuthorityKey);
  const exporterKey = hexToBytes(manifest.exporter.publicKey);

  if (!c.verify(exporterKey, bundle.signedHeader, bundle.manifestSignature)) {
    problems.push({
      code: 'bad-manifest-signature',
      message: `the manifest signature at offset ${bundle.manifestSignatureOffset} does not verify with the exporter's key ${manifest.exporter.publicKey.slice(0, 16)}…: the manifest or its signature was changed`,
      offset: bundle.manifestSignatureOffset,
    });
  }
  if (deviceIdFromPublicKey(c, exporterKey) !== manifest.exporter.deviceId) {
    problems.push({ code: 'bad-manifest-signature', message: `manifest field exporter.deviceId ${manifest.exporter.deviceId} does not derive from exporter.publicKey` });
  }
  const contentHash = bytesToHex(c.sha256(bundle.contents));
  if (contentHash !== manifest.contentHash) {
    problems.push({
      code: 'content-hash-mismatch',
      message: `the contents (from offset ${bundle.manifestSignatureOffset + bundle.manifestSignature.length}) hash to ${contentHash.slice(0, 16)}…, the manifest says ${manifest.contentHash.slice(0, 16)}…: ops or checkpoints were changed, added or removed`,
      offset: bundle.manifestSignatureOffset + bundle.manifestSignature.length,
    });
  }

  const devices = new Map<string, DeviceState>();
  let genesisSeen = false;
  for (const [index, op] of bundle.ops.entries()) {
    const where = `op ${index + 1} (offset ${op.offset})`;
    let decoded: DecodedOp;
    try {
      decoded = decodeOp(op.bytes);
    } catch (error) {
      problems.push(opProblem(error, where, op.offset));
      continue;
    }
    const h = decoded.header;
    const state = devices.get(h.deviceId);
    if (state?.broken) {
      state.skipped += 1;
      continue;
    }
    const fail = (problem: Omit<BundleProblem, 'device' | 'seq' | 'offset'>): void => {
      problems.push({ ...problem, device: h.deviceId, seq: h.seq, offset: op.offset });
      if (state) state.broken = true;
      else devices.set(h.deviceId, { head: { publicKey: new Uint8Array(0), seq: 0, hash: new Uint8Array(0) }, ops: 0, role: 'uncertified', broken: true, skipped: 0 });
    };
    if (h.incidentId !== manifest.incidentId) {
      fail({ code: 'bad-op', opError: 'wrong-incident', message: `${where}: device ${h.deviceId} seq ${h.seq} belongs to incident ${h.incidentId}, the bundle is of ${manifest.incidentId}` });
      continue;
    }
    const hash = opHash(c, op.bytes);
    try {
      const admission = admitOp(c, decoded, hash, {
        head: state?.head,
        heldHashAt: () => undefined,
        writeAuthority: h.type === 'genesis' && !genesisSeen ? undefined : writeAuthorityKey,
      });
      if (admission.kind !== 'new') throw new Error('unreachable: no op is held before the bundle');
      if (h.type === 'genesis') {
        genesisSeen = true;
        if (!equalBytes(admission.devicePublicKey, writeAuthorityKey)) {
          fail({ code: 'bad-op', opError: 'bad-certificate', message: `${where}: the genesis is signed by ${bytesToHex(admission.devicePublicKey).slice(0, 16)}…, not by the manifest's write authority ${manifest.writeAuthorityKey.slice(0, 16)}…` });
          continue;
        }
        if (bytesToHex(h.readAuthorityPublicKey!) !== manifest.readAuthorityKey) {
          fail({ code: 'bad-op', opError: 'bad-certificate', message: `${where}: the genesis publishes a read authority other than the manifest's` });
          continue;
        }
      }
      devices.set(h.deviceId, {
        head: { publicKey: admission.devicePublicKey, seq: h.seq, hash },
        ops: (state?.ops ?? 0) + 1,
        role: state?.role ?? (h.type === 'genesis' ? 'write-authority' : 'writer'),
        broken: false,
        skipped: 0,
      });
    } catch (error) {
      if (error instanceof ChainError && error.conflict.kind === 'gap') {
        fail({
          code: 'gap',
          message: `${where}: device ${h.deviceId} jumps to seq ${h.seq} after seq ${error.conflict.expectedSeq - 1}: seqs ${error.conflict.expectedSeq}..${h.seq - 1} are missing`,
        });
      } else if (error instanceof ChainError && error.conflict.kind === 'no-genesis') {
        fail({ code: 'no-genesis', message: `${where}: no genesis before it` });
      } else {
        fail(opProblem(error, `${where}: device ${h.deviceId} seq ${h.seq}`, op.offset));
      }
    }
  }
  if (!genesisSeen) problems.push({ code: 'no-genesis', message: `the bundle holds no genesis of incident ${manifest.incidentId}: its write authority cannot be confirmed` });
  for (const [device, state] of devices) {
    if (state.skipped > 0) problems.push({ code: 'bad-op', device, message: `device ${device}: ${state.skipped} later op${state.skipped === 1 ? '' : 's'} not checked, its chain is broken before them` });
  }

  checkCheckpoints(c, bundle, devices, exporterKey, problems);

  const counts = { ops: bundle.ops.length, devices: devices.size, checkpoints: bundle.checkpoints.length };
  for (const field of ['ops', 'devices', 'checkpoints'] as const) {
    if (manifest.counts[field] !== counts[field]) {
      problems.push({ code: 'count-mismatch', message: `manifest field counts.${field} says ${manifest.counts[field]}, the bundle holds ${counts[field]}` });
    }
  }

  const exporter = devices.get(manifest.exporter.deviceId);
  return {
    ok: problems.length === 0,
    formatVersion: bundle.version,
    incidentId: manifest.incidentId,
    writeAuthority: { publicKey: manifest.writeAuthorityKey, fingerprint: keyFingerprint(c, writeAuthorityKey) },
    exporter: {
      deviceId: manifest.exporter.deviceId,
      name: manifest.exporter.name,
      exportedAt: manifest.exportedAt,
      isWriter: exporter !== undefined && exporter.ops > 0,
    },
    devices: [...devices]
      .filter(([, s]) => s.ops > 0)
      .map(([deviceId, s]) => ({
        deviceId,
        name: deviceId === manifest.exporter.deviceId ? manifest.exporter.name : null,
        publicKey: bytesToHex(s.head.publicKey),
        role: s.role,
        ops: s.ops,
        lastSeq: s.head.seq,
        headHash: bytesToHex(s.head.hash),
      })),
    opCount: bundle.ops.length,
    problems,
  };
}

function checkCheckpoints(c: SyncCrypto, bundle: ParsedBundle, devices: Map<string, DeviceState>, exporterKey: Uint8Array, problems: BundleProblem[]): void {
  const seen = new Set<string>();
  for (const checkpoint of bundle.checkpoints) {
    const { device, seq, head, offset } = checkpoint;
    const where = `checkpoint of device ${device} (offset ${offset})`;
    if (seen.has(device)) {
      problems.push({ code: 'malformed', device, offset, message: `${where}: a second checkpoint for this device` });
      continue;
    }
    seen.add(device);
    if (!c.verify(exporterKey, checkpointMessage(bundle.manifest.incidentId, device, seq, head), checkpoint.signature)) {
      problems.push({ code: 'bad-checkpoint-signature', device, seq, offset, message: `${where}: its signature does not verify with the exporter's key: the checkpoint was changed` });
      continue;
    }
    const state = devices.get(device);
    if (!state || state.ops === 0) {
      problems.push({ code: 'checkpoint-mismatch', device, seq, offset, message: `${where}: the exporter held seqs 1..${seq} of this device, the bundle holds none of them` });
    } else if (state.broken) {
      continue;
    } else if (state.head.seq < seq) {
      const missing = seq - state.head.seq;
      problems.push({
        code: 'checkpoint-mismatch',
        device,
        seq: state.head.seq + 1,
        offset,
        message: `${where}: the exporter held this device up to seq ${seq}, the bundle's ops end at seq ${state.head.seq}: ${missing} op${missing === 1 ? '' : 's'} cut off (seqs ${state.head.seq + 1}..${seq})`,
      });
    } else if (state.head.seq > seq || !equalBytes(state.head.hash, head)) {
      problems.push({
        code: 'checkpoint-mismatch',
        device,
        seq,
        offset,
        message: `${where}: says seq ${seq} with head ${bytesToHex(head).slice(0, 16)}…, the bundle's ops end at seq ${state.head.seq} with head ${bytesToHex(state.head.hash).slice(0, 16)}…`,
      });
    }
  }
  for (const [device, state] of devices) {
    if (!seen.has(device) && state.ops > 0) {
      problems.push({ code: 'missing-checkpoint', device, message: `device ${device} has ${state.ops} ops in the bundle and no checkpoint: where its chain ends cannot be confirmed` });
    }
  }
}

function opProblem(error: unknown, where: string, offset: number): BundleProblem {
  if (error instanceof OpError) return { code: 'bad-op', opError: error.code, offset, message: `${where}: ${error.code}: ${error.message}` };
  return { code: 'bad-op', offset, message: `${where}: ${error instanceof Error ? error.message : String(error)}` };
}
