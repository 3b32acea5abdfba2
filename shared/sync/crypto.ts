/**
 * The cryptographic primitives shared/sync needs, as an interface, so the op format and merge
 * rules stay pure. electron/crypto implements it with node:crypto.
 *
 * Invariants: keys are raw bytes (Ed25519 seeds and public keys are 32 bytes, AES keys 32 bytes,
 * signatures 64 bytes, GCM nonces 12 bytes, tags 16 bytes appended to the ciphertext); `open`
 * throws when the tag does not verify; `verify` never throws on malformed input, it returns false.
 */
export interface SigningKey {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface SyncCrypto {
  randomBytes(length: number): Uint8Array;
  sha256(...parts: Uint8Array[]): Uint8Array;
  /** HKDF-SHA256 with an empty salt. */
  hkdf(secret: Uint8Array, info: string, length: number): Uint8Array;
  /** An Ed25519 key from a 32-byte seed. */
  signingKeyFromSeed(seed: Uint8Array): SigningKey;
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /** AES-256-GCM; returns ciphertext with the 16-byte tag appended. */
  seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, associatedData: Uint8Array): Uint8Array;
  /** AES-256-GCM; throws if the ciphertext, tag, nonce or associated data was changed. */
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, associatedData: Uint8Array): Uint8Array;
}
