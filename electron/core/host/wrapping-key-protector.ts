/**
 * A KeyProtector sealing the key store with a wrapping key (DESIGN.md §4): the Electron main process
 * keeps that 32-byte key protected by the OS (safeStorage) and hands it to the core at open, so the
 * core, which never imports 'electron', can still keep keys.json sealed at rest.
 *
 * Sealed bytes: nonce (12 random bytes) ‖ AES-256-GCM ciphertext ‖ tag (16 bytes), with a fixed
 * associated-data label so these bytes are only ever accepted as a Sitrep key store.
 *
 * Invariants:
 * - seal never reuses a nonce (each is random; a key store is sealed a few times a day at most).
 * - unseal returns the plaintext only if the tag verifies under this key: tampered, truncated or
 *   foreign bytes, or bytes sealed by another key, throw.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyProtector } from '../key-store';
import { WRAPPING_KEY_BYTES } from './core-port-protocol';

const CIPHER = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const ASSOCIATED_DATA = Buffer.from('sitrep key store v1', 'utf8');

export function wrappingKeyProtector(wrappingKey: Uint8Array): KeyProtector {
  if (wrappingKey.length !== WRAPPING_KEY_BYTES) {
    throw new Error(`a wrapping key is ${WRAPPING_KEY_BYTES} bytes, got ${wrappingKey.length}`);
  }
  const key = Buffer.from(wrappingKey);

  return {
    seal(plain) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(ASSOCIATED_DATA);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]));
    },

    unseal(sealed) {
      if (sealed.length < NONCE_BYTES + TAG_BYTES) {
        throw new Error(`not sealed by the wrapping key: ${sealed.length} bytes is shorter than a nonce and a tag`);
      }
      const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      const nonce = bytes.subarray(0, NONCE_BYTES);
      const body = bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const decipher = createDecipheriv(CIPHER, key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(ASSOCIATED_DATA);
      decipher.setAuthTag(tag);
      try {
        return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
      } catch (error) {
        throw new Error('not sealed by this wrapping key, or altered since it was sealed', { cause: error });
      }
    },
  };
}
