import fc from 'fast-check';
import { nodeCrypto as c } from '../../../electron/crypto';
import type { SigningKey } from '../../../shared/sync/crypto';
import { concatBytes, utf8Encode } from '../../../shared/sync/bytes';
import type { Hlc } from '../../../shared/sync/hlc';
import { deviceIdFromPublicKey, issueCertificate, writerKeys } from '../../../shared/sync/incident-keys';
import {
  decodeOp,
  type DecodedOp,
  encodeOp,
  MAX_OP_BYTES,
  type OpDraft,
  openOpPayload,
  opHash,
  type OpTrust,
  verifyOp,
  verifyOpSignature,
  ZERO_HASH,
} from '../../../shared/sync/op-envelope';
import { OpError, type OpErrorCode } from '../../../shared/sync/op-error';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 50);

const INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b';
const OTHER_INCIDENT = '0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8c';
/** version..clockOffsetMs: where the seq-1 fields begin. */
const FIXED_HEADER_BYTES = 86;
/** Envelope bytes around the payload of an op after seq 1: header, nonce, length, tag, signature. */
const OVERHEAD_AFTER_SEQ_1 = FIXED_HEADER_BYTES + 12 + 4 + 16 + 64;
const SEQ_OFFSET = 34;
const TYPE_OFFSET = 1;

const keys = writerKeys(c, c.randomBytes(32));
const device = c.signingKeyFromSeed(c.randomBytes(32));
const certificate = issueCertificate(keys.writeAuthority, device.publicKey, INCIDENT);
const hlc: Hlc = { ms: 1_764_400_000_000, counter: 3 };

function draft(overrides: Partial<OpDraft> = {}): OpDraft {
  return {
    type: 'op',
    incidentId: INCIDENT,
    seq: 2,
    hlc,
    prev: c.sha256(utf8Encode('previous op')),
    clockOffsetMs: -1234,
    payload: utf8Encode('{"kind":"note","text":"db primary down"}'),
    contentKey: keys.contentKey,
    signer: device,
    ...overrides,
  };
}

const genesisBytes = encodeOp(c, {
  ...draft(),
  type: 'genesis',
  seq: 1,
  prev: ZERO_HASH,
  devicePublicKey: keys.writeAuthority.publicKey,
  readAuthorityPublicKey: keys.readAuthority.publicKey,
  signer: keys.writeAuthority,
});
const firstBytes = encodeOp(c, draft({ seq: 1, prev: ZERO_HASH, devicePublicKey: device.publicKey, certificate }));
const secondBytes = encodeOp(c, draft({ seq: 2, prev: opHash(c, firstBytes) }));

interface Fixture {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly trust: OpTrust;
}
const fixtures: readonly Fixture[] = [
  {
    name: 'genesis',
    bytes: genesisBytes,
    trust: { devicePublicKey: keys.writeAuthority.publicKey, writeAuthorityPublicKey: keys.writeAuthority.publicKey, previousHash: null },
  },
  {
    name: 'seq 1',
    bytes: firstBytes,
    trust: { devicePublicKey: device.publicKey, writeAuthorityPublicKey: keys.writeAuthority.publicKey, previousHash: null },
  },
  {
    name: 'seq 2',
    bytes: secondBytes,
    trust: {
      devicePublicKey: device.publicKey,
      writeAuthorityPublicKey: keys.writeAuthority.publicKey,
      previousHash: opHash(c, firstBytes),
    },
  },
];

/** Decode, verify and open, as a receiver would; returns the payload. */
function accept(bytes: Uint8Array, trust: OpTrust): Uint8Array {
  const decoded = decodeOp(bytes);
  verifyOp(c, decoded, trust);
  return openOpPayload(c, decoded, keys.contentKey);
}

function refusal(run: () => unknown): OpError {
  try {
    run();
  } catch (error) {
    if (error instanceof OpError) return error;
    throw new Error(`expected an OpError, got ${String(error)}`);
  }
  throw new Error('expected the op to be refused, but it was accepted');
}

function expectRefused(run: () => unknown, code: OpErrorCode, message?: RegExp): OpError {
  const error = refusal(run);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

function withSeq(bytes: Uint8Array, seq: bigint): Uint8Array {
  const copy = new Uint8Array(bytes);
  new DataView(copy.buffer).setBigUint64(SEQ_OFFSET, seq);
  return copy;
}

describe('op envelope', () => {
  it.each(fixtures)('round-trips a $name op: every header field, and the payload', ({ bytes, trust }) => {
    const decoded = decodeOp(bytes);
    expect(accept(bytes, trust)).toEqual(draft().payload);
    expect(decoded.header.version).toBe(1);
    expect(decoded.header.incidentId).toBe(INCIDENT);
    expect(decoded.header.deviceId).toBe(deviceIdFromPublicKey(c, trust.devicePublicKey));
    expect(decoded.header.hlc).toEqual(hlc);
    expect(decoded.header.clockOffsetMs).toBe(-1234);
    expect(decoded.header.prev).toEqual(trust.previousHash ?? ZERO_HASH);
    expect(decoded.header.nonce).toHaveLength(12);
    expect(decoded.signature).toHaveLength(64);
    expect(decoded.signedBytes).toEqual(bytes.subarray(0, bytes.length - 64));
    expect(decoded.associatedData).toEqual(bytes.subarray(0, bytes.length - 64 - decoded.ciphertext.length));
    expect(decoded.bytes).toBe(bytes);
    expect(verifyOpSignature(c, decoded, trust.devicePublicKey)).toBe(true);
  });

  it('carries exactly the seq-1 fields its type needs', () => {
    const genesis = decodeOp(genesisBytes).header;
    expect(genesis).toMatchObject({ type: 'genesis', seq: 1 });
    expect(genesis.devicePublicKey).toEqual(keys.writeAuthority.publicKey);
    expect(genesis.readAuthorityPublicKey).toEqual(keys.readAuthority.publicKey);
    expect(genesis.certificate).toBeUndefined();
    expect(genesis.deviceId).toBe(deviceIdFromPublicKey(c, keys.writeAuthority.publicKey));

    const first = decodeOp(firstBytes).header;
    expect(first).toMatchObject({ type: 'op', seq: 1 });
    expect(first.devicePublicKey).toEqual(device.publicKey);
    expect(first.certificate).toEqual(certificate);
    expect(first.readAuthorityPublicKey).toBeUndefined();

    const second = decodeOp(secondBytes).header;
    expect(second.devicePublicKey).toBeUndefined();
    expect(second.certificate).toBeUndefined();
    expect(second.readAuthorityPublicKey).toBeUndefined();
    expect(secondBytes.length).toBe(OVERHEAD_AFTER_SEQ_1 + draft().payload.length);
  });

  it('hashes the whole envelope, and encodes the same draft differently each time (random nonce)', () => {
    expect(opHash(c, secondBytes)).toEqual(c.sha256(secondBytes));
    const again = encodeOp(c, draft({ seq: 2, prev: opHash(c, firstBytes) }));
    expect(again).not.toEqual(secondBytes);
    expect(decodeOp(again).header.nonce).not.toEqual(decodeOp(secondBytes).header.nonce);
  });

  it(`any flipped bit anywhere in an op is refused without needing the content key (seed ${seed})`, () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtures), fc.nat(), ({ bytes, trust }, position) => {
        const bit = position % (bytes.length * 8);
        const flipped = new Uint8Array(bytes);
        flipped[bit >> 3] ^= 1 << (bit & 7);
        // Signature and chain cover the ciphertext: a relay, holding no key, refuses it too.
        refusal(() => verifyOp(c, decodeOp(flipped), trust));
        refusal(() => accept(flipped, trust));
      }),
      { seed, numRuns },
    );
  });

  it('every bit of a seq-1 op is covered (exhaustive over its header)', () => {
    const { bytes, trust } = fixtures[1];
    for (let bit = 0; bit < (FIXED_HEADER_BYTES + 96 + 16) * 8; bit++) {
      const flipped = new Uint8Array(bytes);
      flipped[bit >> 3] ^= 1 << (bit & 7);
      refusal(() => verifyOp(c, decodeOp(flipped), trust));
    }
  });

  it("a header moved onto another op's ciphertext and signature is refused", () => {
    const a = decodeOp(encodeOp(c, draft({ payload: utf8Encode('AAAA') })));
    const b = decodeOp(encodeOp(c, draft({ payload: utf8Encode('BBBB') })));
    const spliced = decodeOp(concatBytes(a.associatedData, b.ciphertext, b.signature));
    const trust = fixtures[2].trust;
    expectRefused(() => verifyOp(c, spliced, { ...trust, previousHash: a.header.prev }), 'bad-signature');
    expectRefused(() => openOpPayload(c, spliced, keys.contentKey), 'decrypt-failed');
  });

  it("a signature by a key other than the device's is refused", () => {
    const impostor = c.signingKeyFromSeed(c.randomBytes(32));
    const forged = decodeOp(encodeOp(c, draft({ signer: impostor })));
    const trust = { ...fixtures[2].trust, previousHash: forged.header.prev };
    expectRefused(() => verifyOp(c, forged, trust), 'bad-signature', /does not verify with device key/);
    expect(verifyOpSignature(c, forged, device.publicKey)).toBe(false);
  });

  it('an op whose device id is not derived from its signing key is refused', () => {
    // Signed correctly by the impostor, but verified as the device it claims: the device id gives it away.
    const impostor = c.signingKeyFromSeed(c.randomBytes(32));
    const decoded = decodeOp(encodeOp(c, draft({ signer: impostor })));
    const trust = { ...fixtures[2].trust, devicePublicKey: impostor.publicKey, previousHash: decoded.header.prev };
    expect(() => verifyOp(c, decoded, trust)).not.toThrow();
    const claimingDevice: DecodedOp = { ...decoded, header: { ...decoded.header, deviceId: deviceIdFromPublicKey(c, device.publicKey) } };
    expectRefused(() => verifyOp(c, claimingDevice, trust), 'bad-signature', /device id does not derive/);
  });

  describe('a seq-1 op whose certificate does not authorise it is refused with bad-certificate', () => {
    const trust: OpTrust = {
      devicePublicKey: device.publicKey,
      writeAuthorityPublicKey: keys.writeAuthority.publicKey,
      previousHash: null,
    };
    const firstWith = (cert: Uint8Array): DecodedOp =>
      decodeOp(encodeOp(c, draft({ seq: 1, prev: ZERO_HASH, devicePublicKey: device.publicKey, certificate: cert })));

    it('issued for another incident', () => {
      const cert = issueCertificate(keys.writeAuthority, device.publicKey, OTHER_INCIDENT);
      expectRefused(() => verifyOp(c, firstWith(cert), trust), 'bad-certificate');
    });

    it('issued for another key', () => {
      const other = c.signingKeyFromSeed(c.randomBytes(32));
      const cert = issueCertificate(keys.writeAuthority, other.publicKey, INCIDENT);
      expectRefused(() => verifyOp(c, firstWith(cert), trust), 'bad-certificate');
    });

    it("issued by another incident's write authority, or by the read authority", () => {
      const otherWa = writerKeys(c, c.randomBytes(32)).writeAuthority;
      for (const issuer of [otherWa, keys.readAuthority, device] satisfies SigningKey[]) {
        const cert = issueCertificate(issuer, device.publicKey, INCIDENT);
        expectRefused(() => verifyOp(c, firstWith(cert), trust), 'bad-certificate');
      }
    });
  });

  it('a genesis not signed by the write authority is refused with bad-certificate', () => {
    const usurper = encodeOp(c, {
      ...draft(),
      type: 'genesis',
      seq: 1,
      prev: ZERO_HASH,
      devicePublicKey: device.publicKey,
      readAuthorityPublicKey: keys.readAuthority.publicKey,
      signer: device,
    });
    const trust = { devicePublicKey: device.publicKey, writeAuthorityPublicKey: keys.writeAuthority.publicKey, previousHash: null };
    expectRefused(() => verifyOp(c, decodeOp(usurper), trust), 'bad-certificate', /not by the write authority/);
  });

  it('a bad prev is refused with bad-chain', () => {
    const [, first, second] = fixtures;
    const wrongPrev = encodeOp(c, draft({ seq: 2, prev: c.sha256(utf8Encode('some other op')) }));
    expectRefused(() => verifyOp(c, decodeOp(wrongPrev), second.trust), 'bad-chain', /is not the previous op's hash/);
    // A later op offered as if it had no predecessor, and a first op offered after one.
    expectRefused(() => verifyOp(c, decodeOp(second.bytes), { ...second.trust, previousHash: null }), 'bad-chain');
    expectRefused(
      () => verifyOp(c, decodeOp(first.bytes), { ...first.trust, previousHash: opHash(c, genesisBytes) }),
      'bad-chain',
    );
  });

  it('an op offered for another incident is refused with wrong-incident', () => {
    const { bytes, trust } = fixtures[2];
    expectRefused(() => verifyOp(c, decodeOp(bytes), { ...trust, incidentId: OTHER_INCIDENT }), 'wrong-incident');
    expect(() => verifyOp(c, decodeOp(bytes), { ...trust, incidentId: INCIDENT.toUpperCase() })).not.toThrow();
  });

  it('a payload opened with the wrong content key is refused with decrypt-failed', () => {
    const other = writerKeys(c, c.randomBytes(32)).contentKey;
    expectRefused(() => openOpPayload(c, decodeOp(secondBytes), other), 'decrypt-failed', /does not decrypt/);
  });

  it('truncated input is refused as malformed, naming the field and its offset', () => {
    for (const { bytes } of fixtures) {
      for (let length = 0; length < bytes.length; length++) {
        expectRefused(() => decodeOp(bytes.subarray(0, length)), 'malformed', /^op truncated: expected \d+ \w+ bytes at offset \d+, found \d+$/);
      }
    }
    const signatureAt = secondBytes.length - 64;
    expectRefused(
      () => decodeOp(secondBytes.subarray(0, signatureAt + 12)),
      'malformed',
      new RegExp(`^op truncated: expected 64 signature bytes at offset ${signatureAt}, found 12$`),
    );
  });

  it('trailing bytes, an unknown type, seq 0, a seq past 2^53-1 and a genesis after seq 1 are malformed', () => {
    expectRefused(() => decodeOp(concatBytes(secondBytes, new Uint8Array(1))), 'malformed', /1 unexpected bytes after the signature/);
    const unknownType = new Uint8Array(secondBytes);
    unknownType[TYPE_OFFSET] = 7;
    expectRefused(() => decodeOp(unknownType), 'malformed', /unknown op type 7 at offset 1/);
    expectRefused(() => decodeOp(withSeq(secondBytes, 0n)), 'malformed', /seq 0 at offset 34/);
    expectRefused(() => decodeOp(withSeq(secondBytes, 2n ** 53n)), 'malformed', /outside 1\.\./);
    const lateGenesis = new Uint8Array(secondBytes);
    lateGenesis[TYPE_OFFSET] = 0;
    expectRefused(() => decodeOp(lateGenesis), 'malformed', /a genesis is always seq 1/);
  });

  it('an unknown version is refused before anything else is read', () => {
    const future = new Uint8Array(secondBytes);
    future[0] = 2;
    expectRefused(() => decodeOp(future), 'unsupported-version', /version 2 at offset 0/);
    expectRefused(() => decodeOp(Uint8Array.of(9)), 'unsupported-version');
  });

  it('an op over MAX_OP_BYTES is refused, one at the limit is accepted', () => {
    const atLimit = encodeOp(c, draft({ seq: 2, prev: opHash(c, firstBytes), payload: new Uint8Array(MAX_OP_BYTES - OVERHEAD_AFTER_SEQ_1) }));
    expect(atLimit).toHaveLength(MAX_OP_BYTES);
    expect(accept(atLimit, fixtures[2].trust)).toHaveLength(MAX_OP_BYTES - OVERHEAD_AFTER_SEQ_1);

    expectRefused(
      () => encodeOp(c, draft({ payload: new Uint8Array(MAX_OP_BYTES - OVERHEAD_AFTER_SEQ_1 + 1) })),
      'too-large',
    );
    expectRefused(() => decodeOp(new Uint8Array(MAX_OP_BYTES + 1)), 'too-large', new RegExp(`${MAX_OP_BYTES + 1} bytes`));
  });

  it('encodeOp refuses drafts that would not be a valid envelope', () => {
    const first = { seq: 1, prev: ZERO_HASH };
    const cases: Partial<OpDraft>[] = [
      { ...first }, // seq 1 without its public key and certificate
      { ...first, devicePublicKey: device.publicKey }, // ... without its certificate
      { devicePublicKey: device.publicKey }, // seq 2 carrying a seq-1 field
      { certificate }, // seq 2 carrying a certificate
      { ...first, devicePublicKey: device.publicKey, certificate, readAuthorityPublicKey: keys.readAuthority.publicKey },
      { ...first, devicePublicKey: keys.writeAuthority.publicKey, certificate }, // not the signer's key
      { type: 'genesis', readAuthorityPublicKey: keys.readAuthority.publicKey }, // genesis after seq 1
      { seq: 0 },
      { seq: 2 ** 53 },
      { seq: 1.5 },
      { ...first, devicePublicKey: device.publicKey, certificate, prev: opHash(c, genesisBytes) },
      { prev: new Uint8Array(31) },
      { clockOffsetMs: 2 ** 31 },
      { clockOffsetMs: 0.5 },
      { hlc: { ms: -1, counter: 0 } },
      { incidentId: 'incident-1' },
    ];
    for (const overrides of cases) expectRefused(() => encodeOp(c, draft(overrides)), 'malformed');
  });
});
