/**
 * An incident's keys and rights (DESIGN.md §5 "Keys and rights"), derived from one secret:
 *
 *   S  write secret, 32 random bytes, carried by the write link
 *   R  = HKDF(S, "sitrep/read")                 read secret, carried by the read link
 *   K  = HKDF(R, "sitrep/content")              AES-256-GCM content key
 *   WA = Ed25519(HKDF(S, "sitrep/write-authority"))  signs the genesis and writer certificates
 *   RA = Ed25519(HKDF(R, "sitrep/read-authority"))   authenticates readers to a relay
 *
 * Invariants: derivation is deterministic (every holder of S gets the same R, K, WA, RA); the
 * derivation only runs one way, so a holder of R (an observer) gets K and RA but can neither
 * compute S nor WA, and therefore cannot certify a device as a writer. A certificate binds one
 * device key to one incident; it verifies for no other key and no other incident.
 */
import type { SigningKey, SyncCrypto } from './crypto';
import { bytesToHex, concatBytes, utf8Encode, uuidToBytes } from './bytes';

export const INCIDENT_SECRET_BYTES = 32;
export const CONTENT_KEY_BYTES = 32;
const AUTHORITY_SEED_BYTES = 32;
/** A device id is the first 16 bytes of sha256(public key): as wide as a UUID, 32 hex digits. */
export const DEVICE_ID_BYTES = 16;
export const PUBLIC_KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;

const INFO_READ = 'sitrep/read';
const INFO_CONTENT = 'sitrep/content';
const INFO_WRITE_AUTHORITY = 'sitrep/write-authority';
const INFO_READ_AUTHORITY = 'sitrep/read-authority';
/** The role a certificate grants; signed, so a certificate cannot be reused for another role. */
const WRITER_ROLE = 'writer';

export type IncidentAccess = 'write' | 'read';

export interface ReaderKeys {
  readonly readSecret: Uint8Array;
  readonly contentKey: Uint8Array;
  readonly readAuthority: SigningKey;
}

export interface WriterKeys extends ReaderKeys {
  readonly writeSecret: Uint8Array;
  readonly writeAuthority: SigningKey;
}

/** A fresh write secret S for a newly declared incident. */
export function createWriteSecret(c: SyncCrypto): Uint8Array {
  return c.randomBytes(INCIDENT_SECRET_BYTES);
}

export function deriveReadSecret(c: SyncCrypto, writeSecret: Uint8Array): Uint8Array {
  assertSecret(writeSecret, 'write secret');
  return c.hkdf(writeSecret, INFO_READ, INCIDENT_SECRET_BYTES);
}

export function readerKeys(c: SyncCrypto, readSecret: Uint8Array): ReaderKeys {
  assertSecret(readSecret, 'read secret');
  return {
    readSecret,
    contentKey: c.hkdf(readSecret, INFO_CONTENT, CONTENT_KEY_BYTES),
    readAuthority: c.signingKeyFromSeed(c.hkdf(readSecret, INFO_READ_AUTHORITY, AUTHORITY_SEED_BYTES)),
  };
}

export function writerKeys(c: SyncCrypto, writeSecret: Uint8Array): WriterKeys {
  const reader = readerKeys(c, deriveReadSecret(c, writeSecret));
  return {
    writeSecret,
    ...reader,
    writeAuthority: c.signingKeyFromSeed(c.hkdf(writeSecret, INFO_WRITE_AUTHORITY, AUTHORITY_SEED_BYTES)),
  };
}

/** Lowercase hex of the first 16 bytes of sha256(public key). */
export function deviceIdFromPublicKey(c: SyncCrypto, publicKey: Uint8Array): string {
  return bytesToHex(c.sha256(publicKey).subarray(0, DEVICE_ID_BYTES));
}

/** What WA signs to make a device a writer: device public key ‖ incident id (16 bytes) ‖ "writer". */
export function certificateMessage(devicePublicKey: Uint8Array, incidentId: string): Uint8Array {
  if (devicePublicKey.length !== PUBLIC_KEY_BYTES) {
    throw new TypeError(`a device public key is ${PUBLIC_KEY_BYTES} bytes, got ${devicePublicKey.length}`);
  }
  return concatBytes(devicePublicKey, uuidToBytes(incidentId), utf8Encode(WRITER_ROLE));
}

export function issueCertificate(
  writeAuthority: SigningKey,
  devicePublicKey: Uint8Array,
  incidentId: string,
): Uint8Array {
  return writeAuthority.sign(certificateMessage(devicePublicKey, incidentId));
}

/** True when `certificate` is WA's signature making `devicePublicKey` a writer of `incidentId`. Never throws. */
export function verifyCertificate(
  c: SyncCrypto,
  writeAuthorityPublicKey: Uint8Array,
  devicePublicKey: Uint8Array,
  incidentId: string,
  certificate: Uint8Array,
): boolean {
  let message: Uint8Array;
  try {
    message = certificateMessage(devicePublicKey, incidentId);
  } catch {
    return false;
  }
  return c.verify(writeAuthorityPublicKey, message, certificate);
}

function assertSecret(secret: Uint8Array, what: string): void {
  if (secret.length !== INCIDENT_SECRET_BYTES) {
    throw new TypeError(`an incident ${what} is ${INCIDENT_SECRET_BYTES} bytes, got ${secret.length}`);
  }
}
