/**
 * The op envelope (DESIGN.md §5 "Ops"): the exact bytes a device signs, stores, syncs and exports.
 *
 * Layout, version 1 (integers big-endian; offsets in bytes):
 *
 *   0   version          u8   = 1
 *   1   type             u8   0 genesis, 1 op
 *   2   incident         16   the incident's UUID bytes
 *   18  device           16   first 16 bytes of sha256(device public key)
 *   34  seq              u64  per (incident, device), from 1, no gaps; 1 ≤ seq ≤ 2^53-1
 *   42  hlc              8    48-bit ms then 16-bit counter (see hlc.ts)
 *   50  prev             32   sha256 of this device's previous op in this incident; all zero for seq 1
 *   82  clockOffsetMs    i32  the author's measured offset to the relay clock, kept for audits
 *   86  only when seq == 1:
 *         devicePublicKey         32   the signer's Ed25519 public key
 *         type op:      certificate            64   WA.sign(devicePublicKey ‖ incident ‖ "writer")
 *         type genesis: readAuthorityPublicKey 32   RA's public key
 *       nonce            12   random, for AES-256-GCM
 *       ciphertextLength u32  payload length + 16 (the GCM tag), so ≥ 16
 *       ciphertext       ...  AES-256-GCM(K, nonce, payload, associated data = every byte before it)
 *       signature        64   Ed25519 by the device over every byte before it
 *
 * A genesis is always seq 1; its device is WA itself (device id from WA's public key, signed by WA),
 * so it publishes WA's and RA's public keys. The signature covers the ciphertext, so verification
 * needs no secret; the header is the associated data, so no header can be moved onto another
 * ciphertext. No byte of an envelope is unauthenticated: flipping any bit is refused by decodeOp,
 * verifyOp or openOpPayload.
 *
 * Limits: a whole envelope is at most MAX_OP_BYTES (checked before parsing); nothing may follow
 * the signature.
 *
 * Errors (OpError.code): malformed (truncated, trailing bytes, unknown type, seq out of range,
 * fields present or missing for the seq), unsupported-version, too-large, bad-signature (signature
 * or device id does not match the key), bad-certificate (certificate, or a genesis not by WA),
 * bad-chain (prev is not the previous op's hash), decrypt-failed, wrong-incident. Messages name the
 * field and its byte offset.
 *
 * Versioning rule: the version byte is read first and alone; any change to this layout, including a
 * new envelope type, is a new version, and an unknown version is refused as unsupported-version
 * without parsing further. New kinds of change are not envelope changes: they live in the encrypted
 * payload, which an older build stores, forwards and verifies without understanding it.
 */
import type { SigningKey, SyncCrypto } from './crypto';
import { bytesToHex, bytesToUuid, concatBytes, equalBytes, hexToBytes, isAllZero, uuidToBytes } from './bytes';
import { ByteReader } from './byte-reader';
import { decodeHlc, encodeHlc, formatHlc, HLC_BYTES, type Hlc } from './hlc';
import {
  DEVICE_ID_BYTES,
  deviceIdFromPublicKey,
  PUBLIC_KEY_BYTES,
  SIGNATURE_BYTES,
  verifyCertificate,
} from './incident-keys';
import { OpError } from './op-error';

export const OP_VERSION = 1;
export const MAX_OP_BYTES = 256 * 1024;
export const HASH_BYTES = 32;
export const NONCE_BYTES = 12;
export const GCM_TAG_BYTES = 16;
export const CERTIFICATE_BYTES = SIGNATURE_BYTES;
/** The largest seq, so a seq always fits a JavaScript number exactly. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;
/** The prev of every seq 1. */
export const ZERO_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

const INCIDENT_BYTES = 16;
const U8_BYTES = 1;
const U32_BYTES = 4;
const U64_BYTES = 8;
const I32_BYTES = 4;
const I32_MIN = -(2 ** 31);
const I32_MAX = 2 ** 31 - 1;
/** version, type, incident, device, seq, hlc, prev, clockOffsetMs: the part every op has. */
const FIXED_HEADER_BYTES =
  U8_BYTES + U8_BYTES + INCIDENT_BYTES + DEVICE_ID_BYTES + U64_BYTES + HLC_BYTES + HASH_BYTES + I32_BYTES;
/** How much of a key or hash an error message shows. */
const SHOWN_KEY_BYTES = 8;

export type OpType = 'genesis' | 'op';
const TYPE_CODES: Record<OpType, number> = { genesis: 0, op: 1 };
const TYPES_BY_CODE: readonly OpType[] = ['genesis', 'op'];

export interface OpHeader {
  readonly version: number;
  readonly type: OpType;
  /** Lowercase UUID string. */
  readonly incidentId: string;
  /** 32 lowercase hex digits. */
  readonly deviceId: string;
  readonly seq: number;
  readonly hlc: Hlc;
  readonly prev: Uint8Array;
  readonly clockOffsetMs: number;
  /** Present exactly when seq == 1. */
  readonly devicePublicKey?: Uint8Array;
  /** Present exactly on a seq 1 of type op. */
  readonly certificate?: Uint8Array;
  /** Present exactly on a genesis. */
  readonly readAuthorityPublicKey?: Uint8Array;
  readonly nonce: Uint8Array;
}

/** A structurally parsed envelope. Byte fields are views into `bytes`, not copies. */
export interface DecodedOp {
  readonly header: OpHeader;
  /** Every byte before the signature: what the signature covers. */
  readonly signedBytes: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** Every byte before the ciphertext: the GCM associated data. */
  readonly associatedData: Uint8Array;
  readonly signature: Uint8Array;
  readonly bytes: Uint8Array;
}

export interface OpDraft {
  readonly type: OpType;
  readonly incidentId: string;
  readonly seq: number;
  readonly hlc: Hlc;
  readonly prev: Uint8Array;
  readonly clockOffsetMs: number;
  readonly devicePublicKey?: Uint8Array;
  readonly certificate?: Uint8Array;
  readonly readAuthorityPublicKey?: Uint8Array;
  readonly payload: Uint8Array;
  readonly contentKey: Uint8Array;
  /** The device key (WA for a genesis); the device id is derived from its public key. */
  readonly signer: SigningKey;
}

export interface OpTrust {
  /** The public key of the device the op names (WA's for a genesis). */
  readonly devicePublicKey: Uint8Array;
  readonly writeAuthorityPublicKey: Uint8Array;
  /** Hash of the device's previous op in this incident; null when it has none (seq 1). */
  readonly previousHash: Uint8Array | null;
  /** When given, the op must belong to this incident. */
  readonly incidentId?: string;
}

export function encodeOp(c: SyncCrypto, draft: OpDraft): Uint8Array {
  const first = checkDraft(draft);
  const deviceId = hexToBytes(deviceIdFromPublicKey(c, draft.signer.publicKey));
  const introduction = first
    ? concatBytes(draft.signer.publicKey, draft.type === 'genesis' ? draft.readAuthorityPublicKey! : draft.certificate!)
    : new Uint8Array(0);
  const ciphertextLength = draft.payload.length + GCM_TAG_BYTES;
  const headerLength = FIXED_HEADER_BYTES + introduction.length + NONCE_BYTES + U32_BYTES;
  const total = headerLength + ciphertextLength + SIGNATURE_BYTES;
  if (total > MAX_OP_BYTES) {
    throw new OpError('too-large', `op would be ${total} bytes, over the limit of ${MAX_OP_BYTES}`);
  }

  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  const put = (field: Uint8Array): void => {
    bytes.set(field, offset);
    offset += field.length;
  };
  view.setUint8(offset, OP_VERSION);
  offset += U8_BYTES;
  view.setUint8(offset, TYPE_CODES[draft.type]);
  offset += U8_BYTES;
  put(uuidToBytes(draft.incidentId));
  put(deviceId);
  view.setBigUint64(offset, BigInt(draft.seq));
  offset += U64_BYTES;
  put(encodeHlc(draft.hlc));
  put(draft.prev);
  view.setInt32(offset, draft.clockOffsetMs);
  offset += I32_BYTES;
  put(introduction);
  const nonce = c.randomBytes(NONCE_BYTES);
  put(nonce);
  view.setUint32(offset, ciphertextLength);
  offset += U32_BYTES;

  const ciphertext = c.seal(draft.contentKey, nonce, draft.payload, bytes.subarray(0, offset));
  if (ciphertext.length !== ciphertextLength) {
    throw new Error(`seal returned ${ciphertext.length} bytes, expected ${ciphertextLength}`);
  }
  put(ciphertext);
  put(draft.signer.sign(bytes.subarray(0, offset)));
  return bytes;
}

/** Structural parse only: checks no signature, certificate, chain or key. */
export function decodeOp(bytes: Uint8Array): DecodedOp {
  if (bytes.length > MAX_OP_BYTES) {
    throw new OpError('too-large', `op is ${bytes.length} bytes, over the limit of ${MAX_OP_BYTES}`);
  }
  const reader = envelopeReader(bytes);
  const versionOffset = reader.offset;
  const version = reader.u8('version');
  if (version !== OP_VERSION) {
    throw new OpError(
      'unsupported-version',
      `op version ${version} at offset ${versionOffset} is not supported (this build reads version ${OP_VERSION})`,
    );
  }
  const typeOffset = reader.offset;
  const typeCode = reader.u8('type');
  const type = TYPES_BY_CODE[typeCode];
  if (type === undefined) throw malformed(`unknown op type ${typeCode} at offset ${typeOffset}`);
  const incidentId = bytesToUuid(reader.take(INCIDENT_BYTES, 'incident'));
  const deviceId = bytesToHex(reader.take(DEVICE_ID_BYTES, 'device'));
  const seqOffset = reader.offset;
  const seq = reader.u64('seq');
  if (seq < 1n || seq > BigInt(MAX_SEQ)) {
    throw malformed(`op seq ${seq} at offset ${seqOffset} is outside 1..${MAX_SEQ}`);
  }
  if (type === 'genesis' && seq !== 1n) {
    throw malformed(`genesis op has seq ${seq} at offset ${seqOffset}; a genesis is always seq 1`);
  }
  const hlc = decodeHlc(reader.take(HLC_BYTES, 'hlc'));
  const prev = reader.take(HASH_BYTES, 'prev');
  const clockOffsetMs = reader.i32('clockOffsetMs');

  let devicePublicKey: Uint8Array | undefined;
  let certificate: Uint8Array | undefined;
  let readAuthorityPublicKey: Uint8Array | undefined;
  if (seq === 1n) {
    devicePublicKey = reader.take(PUBLIC_KEY_BYTES, 'devicePublicKey');
    if (type === 'genesis') readAuthorityPublicKey = reader.take(PUBLIC_KEY_BYTES, 'readAuthorityPublicKey');
    else certificate = reader.take(CERTIFICATE_BYTES, 'certificate');
  }
  const nonce = reader.take(NONCE_BYTES, 'nonce');
  const lengthOffset = reader.offset;
  const ciphertextLength = reader.u32('ciphertextLength');
  if (ciphertextLength < GCM_TAG_BYTES) {
    throw malformed(
      `ciphertext length ${ciphertextLength} at offset ${lengthOffset} is shorter than the ${GCM_TAG_BYTES}-byte GCM tag`,
    );
  }
  const ciphertextOffset = reader.offset;
  const ciphertext = reader.take(ciphertextLength, 'ciphertext');
  const signatureOffset = reader.offset;
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  if (reader.remaining > 0) {
    throw malformed(`op has ${reader.remaining} unexpected bytes after the signature, at offset ${reader.offset}`);
  }

  return {
    header: {
      version,
      type,
      incidentId,
      deviceId,
      seq: Number(seq),
      hlc,
      prev,
      clockOffsetMs,
      ...(devicePublicKey && { devicePublicKey }),
      ...(certificate && { certificate }),
      ...(readAuthorityPublicKey && { readAuthorityPublicKey }),
      nonce,
    },
    signedBytes: bytes.subarray(0, signatureOffset),
    ciphertext,
    associatedData: bytes.subarray(0, ciphertextOffset),
    signature,
    bytes,
  };
}

/** The op's id in chains and sync: sha256 of the whole envelope, signature included. */
export function opHash(c: SyncCrypto, bytes: Uint8Array): Uint8Array {
  return c.sha256(bytes);
}

export function verifyOpSignature(c: SyncCrypto, decoded: DecodedOp, publicKey: Uint8Array): boolean {
  return c.verify(publicKey, decoded.signedBytes, decoded.signature);
}

/**
 * Everything about an op that needs no secret, in this order: version, incident (when asked),
 * signature, device id, certificate (seq 1) or write authority (genesis), chain. Throws OpError.
 * Seq continuity against what is stored is the store's job.
 */
export function verifyOp(c: SyncCrypto, decoded: DecodedOp, trust: OpTrust): void {
  const { header } = decoded;
  const where = describeOp(header);
  if (header.version !== OP_VERSION) {
    throw new OpError('unsupported-version', `${where}: version ${header.version} is not supported`);
  }
  if (trust.incidentId !== undefined && header.incidentId !== trust.incidentId.toLowerCase()) {
    throw new OpError('wrong-incident', `${where}: belongs to incident ${header.incidentId}, not ${trust.incidentId}`);
  }
  if (!verifyOpSignature(c, decoded, trust.devicePublicKey)) {
    throw new OpError(
      'bad-signature',
      `${where}: signature at offset ${decoded.signedBytes.length} does not verify with device key ${shortHex(trust.devicePublicKey)}`,
    );
  }
  const expectedDeviceId = deviceIdFromPublicKey(c, trust.devicePublicKey);
  if (header.deviceId !== expectedDeviceId) {
    throw new OpError('bad-signature', `${where}: device id does not derive from the signing key (expected ${expectedDeviceId})`);
  }
  if (header.devicePublicKey && !equalBytes(header.devicePublicKey, trust.devicePublicKey)) {
    throw new OpError(
      'bad-signature',
      `${where}: carries device key ${shortHex(header.devicePublicKey)} but is signed by ${shortHex(trust.devicePublicKey)}`,
    );
  }
  if (header.type === 'genesis') {
    if (!equalBytes(trust.devicePublicKey, trust.writeAuthorityPublicKey)) {
      throw new OpError(
        'bad-certificate',
        `${where}: genesis is signed by ${shortHex(trust.devicePublicKey)}, not by the write authority ${shortHex(trust.writeAuthorityPublicKey)}`,
      );
    }
  } else if (header.seq === 1) {
    const certified =
      header.certificate !== undefined &&
      verifyCertificate(c, trust.writeAuthorityPublicKey, trust.devicePublicKey, header.incidentId, header.certificate);
    if (!certified) {
      throw new OpError(
        'bad-certificate',
        `${where}: certificate is not the write authority's (${shortHex(trust.writeAuthorityPublicKey)}) for this device and incident`,
      );
    }
  }
  const expectedPrev = trust.previousHash ?? ZERO_HASH;
  if (!equalBytes(header.prev, expectedPrev)) {
    const expected = isAllZero(expectedPrev) ? 'all zero (no previous op)' : shortHex(expectedPrev);
    throw new OpError('bad-chain', `${where}: prev ${shortHex(header.prev)} is not the previous op's hash, expected ${expected}`);
  }
}

/** Decrypts the payload; throws OpError 'decrypt-failed' for a wrong key or changed bytes. */
export function openOpPayload(c: SyncCrypto, decoded: DecodedOp, contentKey: Uint8Array): Uint8Array {
  try {
    return c.open(contentKey, decoded.header.nonce, decoded.ciphertext, decoded.associatedData);
  } catch {
    throw new OpError(
      'decrypt-failed',
      `${describeOp(decoded.header)}: payload at offset ${decoded.associatedData.length} does not decrypt with this content key`,
    );
  }
}

/** "op <incident>/<device>/<seq> (hlc ...)" for messages. */
export function describeOp(header: Pick<OpHeader, 'type' | 'incidentId' | 'deviceId' | 'seq' | 'hlc'>): string {
  return `${header.type} ${header.incidentId}/${header.deviceId}/${header.seq} (hlc ${formatHlc(header.hlc)})`;
}

/** Validates a draft; returns whether it is a device's first op (seq 1). */
function checkDraft(draft: OpDraft): boolean {
  const first = draft.seq === 1;
  if (!Number.isInteger(draft.seq) || draft.seq < 1 || draft.seq > MAX_SEQ) {
    throw malformed(`op seq must be an integer in 1..${MAX_SEQ}, got ${draft.seq}`);
  }
  if (!Object.hasOwn(TYPE_CODES, draft.type)) throw malformed(`unknown op type ${JSON.stringify(draft.type)}`);
  if (draft.type === 'genesis' && !first) throw malformed(`a genesis is always seq 1, got seq ${draft.seq}`);
  if (!Number.isInteger(draft.clockOffsetMs) || draft.clockOffsetMs < I32_MIN || draft.clockOffsetMs > I32_MAX) {
    throw malformed(`clockOffsetMs must be a 32-bit signed integer, got ${draft.clockOffsetMs}`);
  }
  if (draft.prev.length !== HASH_BYTES) throw malformed(`prev must be ${HASH_BYTES} bytes, got ${draft.prev.length}`);
  if (first && !isAllZero(draft.prev)) throw malformed('prev must be all zero for seq 1');
  try {
    encodeHlc(draft.hlc);
    uuidToBytes(draft.incidentId);
  } catch (error) {
    throw malformed((error as Error).message);
  }

  const wants = {
    devicePublicKey: first,
    certificate: first && draft.type === 'op',
    readAuthorityPublicKey: first && draft.type === 'genesis',
  };
  const sizes = { devicePublicKey: PUBLIC_KEY_BYTES, certificate: CERTIFICATE_BYTES, readAuthorityPublicKey: PUBLIC_KEY_BYTES };
  for (const field of ['devicePublicKey', 'certificate', 'readAuthorityPublicKey'] as const) {
    const value = draft[field];
    if (wants[field] && value === undefined) throw malformed(`${draft.type} seq ${draft.seq} needs ${field}`);
    if (!wants[field] && value !== undefined) throw malformed(`${draft.type} seq ${draft.seq} must not carry ${field}`);
    if (value !== undefined && value.length !== sizes[field]) {
      throw malformed(`${field} must be ${sizes[field]} bytes, got ${value.length}`);
    }
  }
  if (first && !equalBytes(draft.devicePublicKey!, draft.signer.publicKey)) {
    throw malformed('devicePublicKey must be the signer\'s public key');
  }
  return first;
}

function malformed(message: string): OpError {
  return new OpError('malformed', message);
}

function shortHex(bytes: Uint8Array): string {
  return `${bytesToHex(bytes.subarray(0, SHOWN_KEY_BYTES))}…`;
}

/** An op's fields in order; one that runs past the end makes the op malformed, naming the field. */
const envelopeReader = (bytes: Uint8Array) =>
  new ByteReader(bytes, (field, needed, r) => malformed(`op truncated: expected ${needed} ${field} bytes at offset ${r.offset}, found ${r.remaining}`));
