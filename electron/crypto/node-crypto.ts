/**
 * shared/sync's SyncCrypto implemented with node:crypto (OpenSSL): Ed25519, AES-256-GCM,
 * HKDF-SHA256, SHA-256.
 *
 * Invariants (those of the interface): every result is a plain Uint8Array (never a Buffer, so
 * byte comparisons in shared/ see the same type everywhere); `verify` returns false instead of
 * throwing on a malformed key or signature; `open` throws when the tag does not verify.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  hash as oneShotHash,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { SigningKey, SyncCrypto } from '../../shared/sync/crypto';

const SEED_BYTES = 32;
const PUBLIC_KEY_BYTES = 32;
const SIGNATURE_BYTES = 64;
const AES_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;
const GCM_TAG_BYTES = 16;
/** PKCS#8 DER of an Ed25519 private key, up to where the 32-byte seed follows (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** SPKI DER of an Ed25519 public key, up to where the 32 raw key bytes follow (RFC 8410). */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
/**
 * Parsed public keys kept for reuse: catch-up verifies many ops of a few devices, and parsing the
 * DER costs about as much as a hash. Cleared whole when full; it is only a cache.
 */
const PUBLIC_KEY_CACHE_LIMIT = 1024;
const EMPTY_SALT = new Uint8Array(0);

const publicKeyCache = new Map<string, KeyObject>();
/**
 * AES keys imported once per key array: a catch-up opens every op of an incident with the same
 * content key (the same array, held by the core's key cache), and importing it per op cost about
 * a fifth of each decryption. Keyed by the array, with a copy of its bytes compared on each use,
 * so an array whose contents changed is imported anew.
 */
const secretKeyCache = new WeakMap<Uint8Array, { bytes: Buffer; key: KeyObject }>();

export const nodeCrypto: SyncCrypto = {
  randomBytes(length: number): Uint8Array {
    return bytes(randomBytes(length));
  },

  sha256(...parts: Uint8Array[]): Uint8Array {
    // The one-shot form costs about two thirds of a Hash object's for one op's bytes.
    if (parts.length === 1) return bytes(oneShotHash('sha256', parts[0], 'buffer'));
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return bytes(hash.digest());
  },

  hkdf(secret: Uint8Array, info: string, length: number): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', secret, EMPTY_SALT, info, length));
  },

  signingKeyFromSeed(seed: Uint8Array): SigningKey {
    requireLength(seed, SEED_BYTES, 'Ed25519 seed');
    const privateKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    const publicKey = bytes(spki.subarray(spki.length - PUBLIC_KEY_BYTES));
    return {
      publicKey,
      sign: (message: Uint8Array): Uint8Array => bytes(sign(null, message, privateKey)),
    };
  },

  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== PUBLIC_KEY_BYTES || signature.length !== SIGNATURE_BYTES) return false;
    try {
      return verify(null, message, publicKeyObject(publicKey), signature);
    } catch {
      return false;
    }
  },

  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array {
    requireLength(key, AES_KEY_BYTES, 'AES-256-GCM key');
    requireLength(nonce, GCM_NONCE_BYTES, 'AES-256-GCM nonce');
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: GCM_TAG_BYTES });
    cipher.setAAD(associatedData);
    return bytes(Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
  },

  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array {
    requireLength(key, AES_KEY_BYTES, 'AES-256-GCM key');
    requireLength(nonce, GCM_NONCE_BYTES, 'AES-256-GCM nonce');
    if (sealed.length < GCM_TAG_BYTES) {
      throw new RangeError(`sealed data is ${sealed.length} bytes, shorter than the ${GCM_TAG_BYTES}-byte tag`);
    }
    const tagStart = sealed.length - GCM_TAG_BYTES;
    const decipher = createDecipheriv('aes-256-gcm', secretKeyObject(key), nonce, { authTagLength: GCM_TAG_BYTES });
    decipher.setAAD(associatedData);
    decipher.setAuthTag(sealed.subarray(tagStart));
    // final() throws "Unsupported state or unable to authenticate data" when the tag is wrong.
    return bytes(Buffer.concat([decipher.update(sealed.subarray(0, tagStart)), decipher.final()]));
  },
};

function publicKeyObject(raw: Uint8Array): KeyObject {
  const cacheKey = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('hex');
  let key = publicKeyCache.get(cacheKey);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (publicKeyCache.size >= PUBLIC_KEY_CACHE_LIMIT) publicKeyCache.clear();
    publicKeyCache.set(cacheKey, key);
  }
  return key;
}

function secretKeyObject(raw: Uint8Array): KeyObject {
  const cached = secretKeyCache.get(raw);
  if (cached !== undefined && cached.bytes.equals(raw)) return cached.key;
  const entry = { bytes: Buffer.from(raw), key: createSecretKey(raw) };
  secretKeyCache.set(raw, entry);
  return entry.key;
}

/** A copy as a plain Uint8Array: Buffers may share Node's pool and compare differently in tests. */
function bytes(buffer: Uint8Array): Uint8Array {
  return new Uint8Array(buffer);
}

function requireLength(value: Uint8Array, length: number, what: string): void {
  if (value.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${value.length}`);
}
