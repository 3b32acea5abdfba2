/**
 * Evidence bundles for tests: a small hand-made one (a few ops, payloads opaque), a real incident
 * written by two devices, and a way to re-serialise a bundle with ops or checkpoints taken out,
 * optionally re-signing its manifest, as someone holding the exporter's key could.
 */
import type { Core } from '../../electron/core/core';
import { nodeCrypto } from '../../electron/crypto';
import { BUNDLE_MAGIC, BUNDLE_VERSION, readBundle, writeBundle, type BundleCheckpoint, type BundleManifest } from '../../shared/evidence/bundle';
import { bytesToHex, concatBytes, hexToBytes, utf8Encode } from '../../shared/sync/bytes';
import { canonicalJson } from '../../shared/sync/canonical-json';
import type { SigningKey } from '../../shared/sync/crypto';
import { createWriteSecret, deviceIdFromPublicKey, issueCertificate, writerKeys } from '../../shared/sync/incident-keys';
import { encodeOp, opHash, ZERO_HASH } from '../../shared/sync/op-envelope';
import { shareIncident, testCore, type TestCore } from './cores';

const c = nodeCrypto;
export const SMALL_INCIDENT = '019ad000-0000-7000-8000-00000000e71d';

/** Genesis, then device A seqs 1..3 and device B seqs 1..2, interleaved; payloads are a few opaque bytes. */
export function smallBundle(): { bytes: Uint8Array; exporter: SigningKey } {
  const keys = writerKeys(c, createWriteSecret(c));
  const devices = [c.signingKeyFromSeed(c.randomBytes(32)), c.signingKeyFromSeed(c.randomBytes(32))];
  const heads = new Map<SigningKey, { seq: number; hash: Uint8Array }>();
  let ms = 1_764_424_800_000;
  const op = (signer: SigningKey, genesis = false): Uint8Array => {
    const head = heads.get(signer);
    const seq = (head?.seq ?? 0) + 1;
    const bytes = encodeOp(c, {
      type: genesis ? 'genesis' : 'op',
      incidentId: SMALL_INCIDENT,
      seq,
      hlc: { ms: (ms += 1000), counter: 0 },
      prev: head?.hash ?? ZERO_HASH,
      clockOffsetMs: 0,
      ...(seq === 1 && { devicePublicKey: signer.publicKey }),
      ...(seq === 1 && !genesis && { certificate: issueCertificate(keys.writeAuthority, signer.publicKey, SMALL_INCIDENT) }),
      ...(genesis && { readAuthorityPublicKey: keys.readAuthority.publicKey }),
      payload: utf8Encode(`payload ${seq}`),
      contentKey: keys.contentKey,
      signer,
    });
    heads.set(signer, { seq, hash: opHash(c, bytes) });
    return bytes;
  };
  const [a, b] = devices;
  const ops = [op(keys.writeAuthority, true), op(a), op(b), op(a), op(b), op(a)];
  const bytes = writeBundle(c, {
    incidentId: SMALL_INCIDENT,
    writeAuthorityKey: keys.writeAuthority.publicKey,
    readAuthorityKey: keys.readAuthority.publicKey,
    ops,
    exporter: { key: a, deviceId: deviceIdFromPublicKey(c, a.publicKey), name: 'Ana laptop' },
    exportedAt: ms,
  });
  return { bytes, exporter: a };
}

const MINUTE = 60_000;

/** An incident declared on Ana's device and written on by Ana and Bo's devices: `extraNotes` more notes each. */
export function twoDeviceIncident(extraNotes = 0): { ana: TestCore; bo: TestCore; incidentId: string } {
  const ana = testCore({ name: 'Ana laptop' });
  const bo = testCore({ name: 'Bo phone' });
  const { incidentId } = ana.core.call('incidents.declare', { title: 'Checkout failing, "again"', severity: 'P1', affectedSystems: ['api-services'] });
  ana.clock.advance(MINUTE);
  const anaId = ana.core.call('roster.addPerson', { incidentId, name: 'Ana', deviceIds: [ana.core.deviceId] }).people[0].id;
  ana.core.call('roster.assign', { incidentId, roleId: 'incident-commander', personId: anaId });
  shareIncident(ana.core, bo.core, incidentId);
  bo.clock.set(ana.clock.now());
  bo.clock.advance(MINUTE);
  const entry = bo.core.call('timeline.add', { incidentId, kind: 'decision', text: 'Roll back the 14:00 deploy — ünïcode, <script>' });
  bo.core.call('timeline.star', { incidentId, entryId: entry.id, starred: true });
  bo.core.call('tasks.add', { incidentId, title: 'Page the DBA' });
  const wrong = bo.core.call('timeline.add', { incidentId, text: 'password is hunter2' });
  bo.core.call('timeline.redact', { incidentId, entryId: wrong.id, reason: 'secret pasted' });
  for (let i = 0; i < extraNotes; i++) {
    ana.core.call('timeline.add', { incidentId, text: `Ana note ${i}` });
    bo.core.call('timeline.add', { incidentId, text: `Bo note ${i}` });
  }
  shareIncident(bo.core, ana.core, incidentId);
  ana.clock.advance(MINUTE);
  ana.core.call('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
  return { ana, bo, incidentId };
}

export const exportBundle = (core: Core, incidentId: string): Uint8Array =>
  new Uint8Array(Buffer.from(core.call('evidence.export', { incidentId }).bundle, 'base64'));

export const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/**
 * Re-serialises a bundle with its ops or checkpoints filtered. The manifest is kept byte for byte
 * (its signature still verifies, its content hash no longer does), unless `resign` is given: then
 * counts and content hash are recomputed and the manifest signed again with that key.
 */
export function rebuildBundle(
  bytes: Uint8Array,
  change: { keepOp?: (op: Uint8Array, index: number) => boolean; keepCheckpoint?: (checkpoint: BundleCheckpoint) => boolean; resign?: SigningKey },
): Uint8Array {
  const parsed = readBundle(bytes);
  const ops = parsed.ops.map((o) => o.bytes).filter((op, i) => change.keepOp?.(op, i) ?? true);
  const checkpoints = parsed.checkpoints.filter((cp) => change.keepCheckpoint?.(cp) ?? true);
  const u32 = (n: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n);
    return b;
  };
  const u64 = (n: number) => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n));
    return b;
  };
  const contents = concatBytes(
    u32(ops.length),
    ...ops.flatMap((op) => [u32(op.length), op]),
    u32(checkpoints.length),
    ...checkpoints.flatMap((cp) => [hexToBytes(cp.device), u64(cp.seq), cp.head, cp.signature]),
  );
  if (!change.resign) return concatBytes(parsed.signedHeader, parsed.manifestSignature, contents);
  const manifest: BundleManifest = {
    ...parsed.manifest,
    counts: { ops: ops.length, devices: parsed.manifest.counts.devices, checkpoints: checkpoints.length },
    contentHash: bytesToHex(c.sha256(contents)),
  };
  const manifestBytes = utf8Encode(canonicalJson(manifest));
  const version = new Uint8Array(2);
  new DataView(version.buffer).setUint16(0, BUNDLE_VERSION);
  const header = concatBytes(utf8Encode(BUNDLE_MAGIC), version, u32(manifestBytes.length), manifestBytes);
  return concatBytes(header, change.resign.sign(header), contents);
}
