import { nodeCrypto as c } from '../../../electron/crypto';
import { bytesToHex, concatBytes, hexToBytes, utf8Encode, uuidToBytes } from '../../../shared/sync/bytes';
import {
  certificateMessage,
  createWriteSecret,
  deriveReadSecret,
  deviceIdFromPublicKey,
  issueCertificate,
  readerKeys,
  verifyCertificate,
  writerKeys,
} from '../../../shared/sync/incident-keys';

const INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b';
const OTHER_INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8c';
const FIXED_S = hexToBytes('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');

describe('incident keys', () => {
  it('derives the same keys from the same write secret, every time', () => {
    const a = writerKeys(c, FIXED_S);
    const b = writerKeys(c, new Uint8Array(FIXED_S));
    expect(a.readSecret).toEqual(b.readSecret);
    expect(a.contentKey).toEqual(b.contentKey);
    expect(a.writeAuthority.publicKey).toEqual(b.writeAuthority.publicKey);
    expect(a.readAuthority.publicKey).toEqual(b.readAuthority.publicKey);
    // Ed25519 is deterministic, so the same key signs the same message identically.
    const message = utf8Encode('same');
    expect(a.writeAuthority.sign(message)).toEqual(b.writeAuthority.sign(message));
  });

  it('follows DESIGN.md §5: R = HKDF(S, read), K = HKDF(R, content), WA from S, RA from R', () => {
    const keys = writerKeys(c, FIXED_S);
    const r = c.hkdf(FIXED_S, 'sitrep/read', 32);
    expect(keys.readSecret).toEqual(r);
    expect(keys.contentKey).toEqual(c.hkdf(r, 'sitrep/content', 32));
    expect(keys.writeAuthority.publicKey).toEqual(
      c.signingKeyFromSeed(c.hkdf(FIXED_S, 'sitrep/write-authority', 32)).publicKey,
    );
    expect(keys.readAuthority.publicKey).toEqual(c.signingKeyFromSeed(c.hkdf(r, 'sitrep/read-authority', 32)).publicKey);
  });

  it('pins the derivation so a change to it cannot pass unnoticed (links already shared depend on it)', () => {
    const keys = writerKeys(c, FIXED_S);
    expect({
      readSecret: bytesToHex(keys.readSecret),
      contentKey: bytesToHex(keys.contentKey),
      writeAuthority: bytesToHex(keys.writeAuthority.publicKey),
      readAuthority: bytesToHex(keys.readAuthority.publicKey),
    }).toMatchInlineSnapshot(`
      {
        "contentKey": "2efa9fda6d350a2c400f10be8ffac386d3d6226204ef9a186bfbd67dc64f1a35",
        "readAuthority": "d059403a006b20d48eae985cca90b7cc8a8617d4d59d282067069630063bfcf1",
        "readSecret": "ad02b4466e470cf5d80eb1ec984ea7b38f873675bc143c4d7f55bd9c044d7fd0",
        "writeAuthority": "f701a01eb8b87fea0abb5a4a5daf2a20c4a4316e4ec623009ee5618a97634dee",
      }
    `);
  });

  it('an observer with R derives the same read keys as a writer with S', () => {
    const s = createWriteSecret(c);
    const writer = writerKeys(c, s);
    const reader = readerKeys(c, deriveReadSecret(c, s));
    expect(reader.readSecret).toEqual(writer.readSecret);
    expect(reader.contentKey).toEqual(writer.contentKey);
    expect(reader.readAuthority.publicKey).toEqual(writer.readAuthority.publicKey);
    expect(Object.keys(reader).sort()).toEqual(['contentKey', 'readAuthority', 'readSecret']);
  });

  it('different incidents share no key', () => {
    const a = writerKeys(c, createWriteSecret(c));
    const b = writerKeys(c, createWriteSecret(c));
    expect(a.readSecret).not.toEqual(b.readSecret);
    expect(a.contentKey).not.toEqual(b.contentKey);
    expect(a.writeAuthority.publicKey).not.toEqual(b.writeAuthority.publicKey);
    expect(a.readAuthority.publicKey).not.toEqual(b.readAuthority.publicKey);
  });

  it('an observer cannot derive the write authority, so cannot certify itself as a writer', () => {
    const writer = writerKeys(c, FIXED_S);
    const observer = readerKeys(c, writer.readSecret);
    const observerDevice = c.signingKeyFromSeed(c.randomBytes(32));
    // Everything the observer holds, run through the write-authority derivation, misses WA.
    for (const held of [observer.readSecret, observer.contentKey, observer.readAuthority.publicKey]) {
      const attempt = c.signingKeyFromSeed(c.hkdf(held, 'sitrep/write-authority', 32));
      expect(attempt.publicKey).not.toEqual(writer.writeAuthority.publicKey);
      const forged = issueCertificate(attempt, observerDevice.publicKey, INCIDENT);
      expect(verifyCertificate(c, writer.writeAuthority.publicKey, observerDevice.publicKey, INCIDENT, forged)).toBe(false);
    }
    // Signing with RA (which the observer does hold) does not certify either.
    const byReadAuthority = issueCertificate(observer.readAuthority, observerDevice.publicKey, INCIDENT);
    expect(
      verifyCertificate(c, writer.writeAuthority.publicKey, observerDevice.publicKey, INCIDENT, byReadAuthority),
    ).toBe(false);
  });

  it('refuses secrets of the wrong length', () => {
    expect(() => deriveReadSecret(c, new Uint8Array(31))).toThrow(/32 bytes, got 31/);
    expect(() => readerKeys(c, new Uint8Array(33))).toThrow(/32 bytes, got 33/);
  });

  it('a device id is the lowercase hex of the first 16 bytes of sha256(public key)', () => {
    const key = c.signingKeyFromSeed(FIXED_S);
    const id = deviceIdFromPublicKey(c, key.publicKey);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).toBe(bytesToHex(c.sha256(key.publicKey)).slice(0, 32));
  });

  it('a certificate message is device key ‖ incident bytes ‖ "writer"', () => {
    const device = c.signingKeyFromSeed(FIXED_S);
    expect(certificateMessage(device.publicKey, INCIDENT)).toEqual(
      concatBytes(device.publicKey, uuidToBytes(INCIDENT), utf8Encode('writer')),
    );
  });

  it('a certificate verifies only for its device, its incident and its write authority', () => {
    const wa = writerKeys(c, FIXED_S).writeAuthority;
    const device = c.signingKeyFromSeed(c.randomBytes(32));
    const otherDevice = c.signingKeyFromSeed(c.randomBytes(32));
    const otherWa = writerKeys(c, createWriteSecret(c)).writeAuthority;
    const certificate = issueCertificate(wa, device.publicKey, INCIDENT);

    expect(verifyCertificate(c, wa.publicKey, device.publicKey, INCIDENT, certificate)).toBe(true);
    expect(verifyCertificate(c, wa.publicKey, device.publicKey, INCIDENT.toUpperCase(), certificate)).toBe(true);
    expect(verifyCertificate(c, wa.publicKey, device.publicKey, OTHER_INCIDENT, certificate)).toBe(false);
    expect(verifyCertificate(c, wa.publicKey, otherDevice.publicKey, INCIDENT, certificate)).toBe(false);
    expect(verifyCertificate(c, otherWa.publicKey, device.publicKey, INCIDENT, certificate)).toBe(false);
    expect(verifyCertificate(c, wa.publicKey, device.publicKey, 'not-a-uuid', certificate)).toBe(false);
    expect(verifyCertificate(c, wa.publicKey, new Uint8Array(3), INCIDENT, certificate)).toBe(false);
  });
});
