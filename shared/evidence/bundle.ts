/**
 * The evidence bundle (issue 6 point 2, DESIGN.md §5 and §6): one incident's signed ops exactly as
 * stored, with what an auditor needs to check them offline and nothing secret, in one file.
 *
 * Layout, version 1 (integers big-endian; offsets in bytes):
 *
 *   0   magic              8    "SITREPEV"
 *   8   version            u16  = 1
 *   10  manifestLength     u32  at most MAX_MANIFEST_BYTES
 *   14  manifest           ...  UTF-8 canonical JSON (BundleManifest below)
 *       manifestSignature  64   Ed25519 by the exporting device over every byte before it
 *       --- the contents: manifest.contentHash is sha256 of every byte from here to the end ---
 *       opCount            u32
 *       per op:            u32 length, then the op envelope exactly as stored (opaque; each op
 *                          carries its device's public key and writer certificate at its seq 1,
 *                          the genesis carries the write and read authorities' public keys)
 *       checkpointCount    u32
 *       per checkpoint:    device 16, seq u64, head 32 (sha256 of the device's last op),
 *                          signature 64 by the exporting device over
 *                          CHECKPOINT_CONTEXT ‖ incident 16 ‖ device 16 ‖ seq u64 ‖ head 32
 *   nothing may follow the last checkpoint.
 *
 * Invariants: a bundle holds public keys, certificates, signatures and ciphertext only — never a
 * private key, a write or read secret or the content key — so verifying it needs no secret. Ops
 * are in the order the exporter stored them: the genesis first, each device's ops in seq order.
 * One checkpoint per device that has ops: the exporter's signed word for where that device's chain
 * ends, so a chain cut short is caught even where the chain itself still verifies.
 *
 * Errors (BundleError.code), found by readBundle before any signature is checked: not-a-bundle
 * (wrong magic), other-version (read first and alone; nothing further is parsed), truncated (a
 * field runs past the end), malformed (a length or count out of range, bytes after the end,
 * a manifest that is not the documented JSON), too-large. Messages name the field and its offset.
 *
 * Versioning rule: any change to this layout or to the manifest's fields is a new version; an
 * unknown version is refused as other-version. The op envelopes inside keep their own version.
 */
import { z } from 'zod';
import type { SigningKey, SyncCrypto } from '../sync/crypto';
import { bytesToHex, concatBytes, hexToBytes, utf8Decode, utf8Encode, uuidToBytes } from '../sync/bytes';
import { ByteReader } from '../sync/byte-reader';
import { canonicalJson } from '../sync/canonical-json';
import { DEVICE_ID_BYTES, SIGNATURE_BYTES } from '../sync/incident-keys';
import { decodeOp, HASH_BYTES, MAX_OP_BYTES, opHash } from '../sync/op-envelope';

export const BUNDLE_MAGIC = 'SITREPEV';
export const BUNDLE_VERSION = 1;
export const BUNDLE_FORMAT = 'sitrep-evidence';
export const MAX_MANIFEST_BYTES = 64 * 1024;
/** Far above any incident (an incident's ops are counted in thousands), small enough to hold in memory. */
export const MAX_BUNDLE_BYTES = 1024 * 1024 * 1024;
const MAGIC_BYTES = 8;
const U16_BYTES = 2;
const U32_BYTES = 4;
const U64_BYTES = 8;
export const CHECKPOINT_BYTES = DEVICE_ID_BYTES + U64_BYTES + HASH_BYTES + SIGNATURE_BYTES;
/** Signed before a checkpoint's fields, so a checkpoint signature is never mistaken for another. */
const CHECKPOINT_CONTEXT = 'sitrep/evidence-checkpoint/v1';
/** Where the manifest starts: after magic, version and manifestLength. */
export const MANIFEST_OFFSET = MAGIC_BYTES + U16_BYTES + U32_BYTES;

export type BundleErrorCode = 'not-a-bundle' | 'other-version' | 'truncated' | 'malformed' | 'too-large';

export class BundleError extends Error {
  override readonly name = 'BundleError';
  constructor(
    readonly code: BundleErrorCode,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const hex = (bytes: number, what: string) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes of lowercase hex (${what})`);
const count = z.number().int().nonnegative();

export const bundleManifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  incidentId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lowercase incident id'),
  /** WA's public key: the incident's identity (DESIGN.md §5), printed as its fingerprint. */
  writeAuthorityKey: hex(32, 'an Ed25519 public key'),
  readAuthorityKey: hex(32, 'an Ed25519 public key'),
  exporter: z.strictObject({
    deviceId: hex(DEVICE_ID_BYTES, 'a device id'),
    publicKey: hex(32, 'an Ed25519 public key'),
    name: z.string().max(200),
  }),
  /** UTC ms, the exporting device's clock. */
  exportedAt: count,
  counts: z.strictObject({ ops: count, devices: count, checkpoints: count }),
  contentHash: hex(HASH_BYTES, 'a sha256'),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;

export interface BundleCheckpoint {
  device: string;
  seq: number;
  head: Uint8Array;
  signature: Uint8Array;
  /** Where this checkpoint starts in the bundle. */
  offset: number;
}

export interface BundleOp {
  bytes: Uint8Array;
  /** Where the envelope (after its length) starts in the bundle. */
  offset: number;
}

/** A structurally parsed bundle: no signature, hash or chain checked yet (verify-bundle.ts does). */
export interface ParsedBundle {
  version: number;
  manifest: BundleManifest;
  /** Every byte the manifest signature covers. */
  signedHeader: Uint8Array;
  manifestSignature: Uint8Array;
  manifestSignatureOffset: number;
  /** Every byte manifest.contentHash covers. */
  contents: Uint8Array;
  ops: BundleOp[];
  checkpoints: BundleCheckpoint[];
}

export interface BundleInput {
  incidentId: string;
  writeAuthorityKey: Uint8Array;
  readAuthorityKey: Uint8Array;
  /** The incident's ops as stored: genesis first, each device's in seq order. */
  ops: readonly Uint8Array[];
  exporter: { key: SigningKey; deviceId: string; name: string };
  exportedAt: number;
}

/** What a checkpoint's signature covers. */
export function checkpointMessage(incidentId: string, device: string, seq: number, head: Uint8Array): Uint8Array {
  const seqBytes = new Uint8Array(U64_BYTES);
  new DataView(seqBytes.buffer).setBigUint64(0, BigInt(seq));
  return concatBytes(utf8Encode(CHECKPOINT_CONTEXT), uuidToBytes(incidentId), hexToBytes(device), seqBytes, head);
}

export function writeBundle(c: SyncCrypto, input: BundleInput): Uint8Array {
  const heads = new Map<string, { seq: number; head: Uint8Array }>();
  for (const bytes of input.ops) {
    const { deviceId, seq } = decodeOp(bytes).header;
    heads.set(deviceId, { seq, head: opHash(c, bytes) });
  }
  const parts: Uint8Array[] = [u32(input.ops.length)];
  for (const bytes of input.ops) parts.push(u32(bytes.length), bytes);
  parts.push(u32(heads.size));
  for (const [device, { seq, head }] of heads) {
    const seqBytes = new Uint8Array(U64_BYTES);
    new DataView(seqBytes.buffer).setBigUint64(0, BigInt(seq));
    const signature = input.exporter.key.sign(checkpointMessage(input.incidentId, device, seq, head));
    parts.push(hexToBytes(device), seqBytes, head, signature);
  }
  const contents = concatBytes(...parts);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    version: BUNDLE_VERSION,
    incidentId: input.incidentId.toLowerCase(),
    writeAuthorityKey: bytesToHex(input.writeAuthorityKey),
    readAuthorityKey: bytesToHex(input.readAuthorityKey),
    exporter: { deviceId: input.exporter.deviceId, publicKey: bytesToHex(input.exporter.key.publicKey), name: input.exporter.name },
    exportedAt: input.exportedAt,
    counts: { ops: input.ops.length, devices: heads.size, checkpoints: heads.size },
    contentHash: bytesToHex(c.sha256(contents)),
  };
  const manifestBytes = utf8Encode(canonicalJson(manifest));
  if (manifestBytes.length > MAX_MANIFEST_BYTES) throw new BundleError('too-large', `the manifest would be ${manifestBytes.length} bytes, over ${MAX_MANIFEST_BYTES}`, MANIFEST_OFFSET);
  const versionBytes = new Uint8Array(U16_BYTES);
  new DataView(versionBytes.buffer).setUint16(0, BUNDLE_VERSION);
  const header = concatBytes(utf8Encode(BUNDLE_MAGIC), versionBytes, u32(manifestBytes.length), manifestBytes);
  return concatBytes(header, input.exporter.key.sign(header), contents);
}

/** Structural parse (see the top of this file); throws BundleError naming the field and offset. */
export function readBundle(bytes: Uint8Array): ParsedBundle {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new BundleError('too-large', `the file is ${bytes.length} bytes, over the limit of ${MAX_BUNDLE_BYTES}`, 0);
  const reader = bundleReader(bytes);
  const magic = reader.take(Math.min(MAGIC_BYTES, bytes.length), 'magic');
  const magicText = String.fromCharCode(...magic);
  if (magic.length < MAGIC_BYTES && BUNDLE_MAGIC.startsWith(magicText)) {
    throw new BundleError('truncated', `bundle truncated: the file is ${bytes.length} bytes, shorter than its ${MAGIC_BYTES}-byte magic`, 0);
  }
  if (magicText !== BUNDLE_MAGIC) {
    throw new BundleError('not-a-bundle', `not a Sitrep evidence bundle: the file does not start with "${BUNDLE_MAGIC}"`, 0);
  }
  const version = reader.u16('version');
  if (version !== BUNDLE_VERSION) {
    throw new BundleError('other-version', `bundle format version ${version} at offset ${MAGIC_BYTES}: this build reads version ${BUNDLE_VERSION}`, MAGIC_BYTES);
  }
  const manifestLength = reader.u32('manifestLength');
  if (manifestLength > MAX_MANIFEST_BYTES) {
    throw new BundleError('malformed', `manifestLength ${manifestLength} at offset ${MAGIC_BYTES + U16_BYTES} is over the limit of ${MAX_MANIFEST_BYTES}`, MAGIC_BYTES + U16_BYTES);
  }
  const manifest = parseManifest(reader.take(manifestLength, 'manifest'));
  const signedHeader = bytes.subarray(0, reader.offset);
  const manifestSignatureOffset = reader.offset;
  const manifestSignature = reader.take(SIGNATURE_BYTES, 'manifestSignature');
  const contentsOffset = reader.offset;

  const opCount = reader.u32('opCount');
  const ops: BundleOp[] = [];
  for (let i = 0; i < opCount; i++) {
    const lengthOffset = reader.offset;
    const length = reader.u32(`length of op ${i + 1}`);
    if (length > MAX_OP_BYTES) throw new BundleError('malformed', `op ${i + 1}'s length ${length} at offset ${lengthOffset} is over the op limit of ${MAX_OP_BYTES}`, lengthOffset);
    const offset = reader.offset;
    ops.push({ bytes: reader.take(length, `op ${i + 1} of ${opCount}`), offset });
  }
  const checkpointCount = reader.u32('checkpointCount');
  const checkpoints: BundleCheckpoint[] = [];
  for (let i = 0; i < checkpointCount; i++) {
    const offset = reader.offset;
    const record = reader.take(CHECKPOINT_BYTES, `checkpoint ${i + 1} of ${checkpointCount}`);
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    checkpoints.push({
      device: bytesToHex(record.subarray(0, DEVICE_ID_BYTES)),
      seq: Number(view.getBigUint64(DEVICE_ID_BYTES)),
      head: record.subarray(DEVICE_ID_BYTES + U64_BYTES, DEVICE_ID_BYTES + U64_BYTES + HASH_BYTES),
      signature: record.subarray(DEVICE_ID_BYTES + U64_BYTES + HASH_BYTES),
      offset,
    });
  }
  if (reader.remaining > 0) throw new BundleError('malformed', `${reader.remaining} unexpected bytes after the last checkpoint, at offset ${reader.offset}`, reader.offset);
  return { version, manifest, signedHeader, manifestSignature, manifestSignatureOffset, contents: bytes.subarray(contentsOffset), ops, checkpoints };
}

/** The incident id a bundle names, for messages; undefined when it does not parse. */
export function bundleIncidentId(bytes: Uint8Array): string | undefined {
  try {
    return readBundle(bytes).manifest.incidentId;
  } catch {
    return undefined;
  }
}

function parseManifest(bytes: Uint8Array): BundleManifest {
  let value: unknown;
  try {
    value = JSON.parse(utf8Decode(bytes));
  } catch {
    throw new BundleError('malformed', `the manifest at offset ${MANIFEST_OFFSET} is not UTF-8 JSON`, MANIFEST_OFFSET);
  }
  const parsed = bundleManifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`).join('; ');
    throw new BundleError('malformed', `the manifest at offset ${MANIFEST_OFFSET} is not a version ${BUNDLE_VERSION} manifest: ${issues}`, MANIFEST_OFFSET);
  }
  return parsed.data;
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(U32_BYTES);
  new DataView(bytes.buffer).setUint32(0, value);
  return bytes;
}

/** Reads fields in order; a field that runs past the end is 'truncated' with its name and offset. */
const bundleReader = (bytes: Uint8Array) =>
  new ByteReader(
    bytes,
    (field, needed, r) =>
      new BundleError(
        'truncated',
        `bundle truncated: ${field} needs ${needed} bytes at offset ${r.offset}, the file has ${r.remaining} left (${bytes.length} bytes in all)`,
        r.offset,
      ),
  );
