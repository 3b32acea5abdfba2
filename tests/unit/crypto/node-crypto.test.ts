import { webcrypto } from 'node:crypto';
import { nodeCrypto as c } from '../../../electron/crypto';
import { bytesToHex, hexToBytes, utf8Encode } from '../../../shared/sync/bytes';

describe('nodeCrypto', () => {
  it('derives the RFC 8032 test 1 Ed25519 key from its seed and signs as the RFC says', () => {
    const key = c.signingKeyFromSeed(hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'));
    expect(bytesToHex(key.publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = key.sign(new Uint8Array(0));
    expect(bytesToHex(signature)).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(c.verify(key.publicKey, new Uint8Array(0), signature)).toBe(true);
  });

  it('verify returns false, never throws, for a wrong message, key or malformed input', () => {
    const key = c.signingKeyFromSeed(c.randomBytes(32));
    const message = utf8Encode('severity P2 -> P0');
    const signature = key.sign(message);
    expect(c.verify(key.publicKey, message, signature)).toBe(true);
    expect(c.verify(key.publicKey, utf8Encode('severity P2 -> P1'), signature)).toBe(false);
    expect(c.verify(c.signingKeyFromSeed(c.randomBytes(32)).publicKey, message, signature)).toBe(false);
    expect(c.verify(key.publicKey.subarray(1), message, signature)).toBe(false);
    expect(c.verify(key.publicKey, message, signature.subarray(1))).toBe(false);
    expect(c.verify(new Uint8Array(32).fill(0xff), message, signature)).toBe(false);
  });

  it('agrees with WebCrypto on Ed25519 signatures', async () => {
    const key = c.signingKeyFromSeed(c.randomBytes(32));
    const message = utf8Encode('cross-check');
    const publicKey = await webcrypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
    expect(await webcrypto.subtle.verify({ name: 'Ed25519' }, publicKey, key.sign(message), message)).toBe(true);
  });

  it('HKDF-SHA256 with an empty salt matches RFC 5869 test case 3', () => {
    const okm = c.hkdf(new Uint8Array(22).fill(0x0b), '', 42);
    expect(bytesToHex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('sha256 hashes the concatenation of its parts', () => {
    expect(bytesToHex(c.sha256(utf8Encode('ab'), utf8Encode('c')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('seals as AES-256-GCM with the tag appended, the same bytes WebCrypto produces', async () => {
    const key = c.randomBytes(32);
    const nonce = c.randomBytes(12);
    const plaintext = utf8Encode('root cause: expired certificate');
    const associatedData = utf8Encode('header');
    const sealed = c.seal(key, nonce, plaintext, associatedData);
    expect(sealed).toHaveLength(plaintext.length + 16);

    const aes = await webcrypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
    const expected = await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: associatedData, tagLength: 128 }, aes, plaintext);
    expect(sealed).toEqual(new Uint8Array(expected));
    expect(c.open(key, nonce, sealed, associatedData)).toEqual(plaintext);
  });

  it('open throws when the ciphertext, tag, nonce, key or associated data changed', () => {
    const key = c.randomBytes(32);
    const nonce = c.randomBytes(12);
    const ad = utf8Encode('header');
    const sealed = c.seal(key, nonce, utf8Encode('payload'), ad);
    const flip = (bytes: Uint8Array, index: number): Uint8Array => {
      const copy = new Uint8Array(bytes);
      copy[index] ^= 1;
      return copy;
    };
    expect(() => c.open(key, nonce, flip(sealed, 0), ad)).toThrow();
    expect(() => c.open(key, nonce, flip(sealed, sealed.length - 1), ad)).toThrow();
    expect(() => c.open(key, flip(nonce, 0), sealed, ad)).toThrow();
    expect(() => c.open(flip(key, 0), nonce, sealed, ad)).toThrow();
    expect(() => c.open(key, nonce, sealed, flip(ad, 0))).toThrow();
    expect(() => c.open(key, nonce, sealed.subarray(0, 15), ad)).toThrow(RangeError);
  });

  it('opens with the bytes a key array holds now, not those it held when first used', () => {
    const key = c.randomBytes(32);
    const other = c.randomBytes(32);
    const nonce = c.randomBytes(12);
    const ad = utf8Encode('header');
    const underKey = c.seal(key, nonce, utf8Encode('first'), ad);
    const underOther = c.seal(other, nonce, utf8Encode('second'), ad);
    const held = new Uint8Array(key);
    expect(c.open(held, nonce, underKey, ad)).toEqual(utf8Encode('first'));
    held.set(other);
    expect(c.open(held, nonce, underOther, ad)).toEqual(utf8Encode('second'));
    expect(() => c.open(held, nonce, underKey, ad)).toThrow();
  });

  it('returns plain Uint8Arrays, not Buffers', () => {
    const key = c.signingKeyFromSeed(c.randomBytes(32));
    for (const value of [c.randomBytes(4), c.sha256(), c.hkdf(new Uint8Array(32), 'x', 8), key.publicKey, key.sign(new Uint8Array(0))]) {
      expect(Buffer.isBuffer(value)).toBe(false);
      expect(value).toBeInstanceOf(Uint8Array);
    }
  });

  it('refuses seeds, keys and nonces of the wrong length', () => {
    expect(() => c.signingKeyFromSeed(new Uint8Array(31))).toThrow(/32 bytes, got 31/);
    expect(() => c.seal(new Uint8Array(16), new Uint8Array(12), new Uint8Array(0), new Uint8Array(0))).toThrow(RangeError);
    expect(() => c.seal(new Uint8Array(32), new Uint8Array(16), new Uint8Array(0), new Uint8Array(0))).toThrow(RangeError);
  });
});
