import { randomBytes } from 'node:crypto';
import { wrappingKeyProtector } from '../../../electron/core/host/wrapping-key-protector';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const key = () => new Uint8Array(randomBytes(32));
const text = (s: string) => new TextEncoder().encode(s);

describe('wrappingKeyProtector', () => {
  const plain = text('{"format":1,"device":{"seed":"…"}}\n');

  it('unseals what it sealed, and the sealed bytes are nonce ‖ ciphertext ‖ tag', () => {
    const protector = wrappingKeyProtector(key());
    const sealed = protector.seal(plain);
    expect(sealed.length).toBe(NONCE_BYTES + plain.length + TAG_BYTES);
    expect(Buffer.from(sealed).includes(Buffer.from('format'))).toBe(false);
    expect(protector.unseal(sealed)).toEqual(plain);
  });

  it('uses a fresh random nonce for every seal', () => {
    const protector = wrappingKeyProtector(key());
    const a = protector.seal(plain);
    const b = protector.seal(plain);
    expect(Buffer.from(a.subarray(0, NONCE_BYTES)).equals(Buffer.from(b.subarray(0, NONCE_BYTES)))).toBe(false);
    expect(protector.unseal(a)).toEqual(protector.unseal(b));
  });

  it('refuses bytes altered anywhere: nonce, ciphertext or tag', () => {
    const protector = wrappingKeyProtector(key());
    const sealed = protector.seal(plain);
    for (const index of [0, NONCE_BYTES + 3, sealed.length - 1]) {
      const tampered = Uint8Array.from(sealed);
      tampered[index] ^= 0x01;
      expect(() => protector.unseal(tampered), `byte ${index}`).toThrow(/not sealed by this wrapping key, or altered/);
    }
  });

  it('refuses truncated bytes and bytes too short to be sealed', () => {
    const protector = wrappingKeyProtector(key());
    const sealed = protector.seal(plain);
    expect(() => protector.unseal(sealed.subarray(0, sealed.length - 1))).toThrow();
    expect(() => protector.unseal(new Uint8Array(NONCE_BYTES + TAG_BYTES - 1))).toThrow(/shorter than a nonce and a tag/);
  });

  it('refuses bytes sealed by another key, and plaintext', () => {
    const sealed = wrappingKeyProtector(key()).seal(plain);
    expect(() => wrappingKeyProtector(key()).unseal(sealed)).toThrow(/not sealed by this wrapping key/);
    expect(() => wrappingKeyProtector(key()).unseal(plain)).toThrow();
  });

  it('accepts only a 32-byte key, and keeps its own copy of it', () => {
    expect(() => wrappingKeyProtector(new Uint8Array(16))).toThrow(/32 bytes, got 16/);
    const wrapping = key();
    const protector = wrappingKeyProtector(wrapping);
    const sealed = protector.seal(plain);
    wrapping.fill(0);
    expect(protector.unseal(sealed)).toEqual(plain);
  });

  it('unseals a sealing that sits inside a larger buffer (a Uint8Array view)', () => {
    const protector = wrappingKeyProtector(key());
    const sealed = protector.seal(plain);
    const larger = new Uint8Array(sealed.length + 10);
    larger.set(sealed, 5);
    expect(protector.unseal(larger.subarray(5, 5 + sealed.length))).toEqual(plain);
  });
});
