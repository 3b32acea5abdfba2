/**
 * Ingest refuses every op that does not verify (DESIGN.md §5 "Ops", "Applying", §6): real ops taken
 * from one core are tampered with or forged and offered to another core through `ingest`.
 *
 * Each refusal: SitrepError 'op-rejected' whose details[0] is the stable OpError code and whose
 * message names the reason; nothing stored (ops, device heads, authorities, the HLC, the replicated
 * state are all as before); a page holding one bad op among good ones stores none of them; and the
 * store still takes the good ops afterwards. A good op ingested twice is stored and applied once.
 */
import { v7 as uuidv7 } from 'uuid';
import { nodeCrypto as c } from '../../../electron/crypto';
import type { Core } from '../../../electron/core/core';
import { replicatedIncident } from '../../../electron/core/queries/replicated-state';
import { prepared } from '../../../electron/core/store/database';
import { SitrepError } from '../../../shared/errors';
import { encodePayload, GENESIS_PAYLOAD, PAYLOAD_SCHEMA_VERSION } from '../../../shared/model/op-payload';
import { bytesToHex, concatBytes, utf8Encode } from '../../../shared/sync/bytes';
import type { SigningKey } from '../../../shared/sync/crypto';
import { issueCertificate, writerKeys } from '../../../shared/sync/incident-keys';
import { decodeOp, encodeOp, opHash, ZERO_HASH, type OpType } from '../../../shared/sync/op-envelope';
import type { OpErrorCode } from '../../../shared/sync/op-error';
import { opsOf, shareIncident, T0, testCore, type TestCore } from '../../support/cores';
import { chainsOf, flipBit, headerOf } from '../../support/op-delivery';

/** Header field offsets (shared/sync/op-envelope.ts layout). */
const DEVICE_AT = 18;
const SEQ_AT = 34;
const SEQ_LOW_BYTE = SEQ_AT + 7;
const HLC_LOW_MS_BYTE = 42 + 5;
const PREV_AT = 50;

let alpha: TestCore;
let charlie: TestCore;
let incidentId: string;
let genesis: Uint8Array;
/** Alpha's chain: A[0] is seq 1 (the declare), A[1] seq 2, … */
let A: Uint8Array[];
/** Charlie's chain, a second writer of the same incident. */
let C: Uint8Array[];
/** Another incident Alpha declared: its genesis and ops, good ops that touch nothing of the first. */
let otherIncidentId: string;
let other: Uint8Array[];

beforeAll(() => {
  alpha = testCore({ name: 'Alpha', start: T0 });
  ({ incidentId } = alpha.core.call('incidents.declare', { title: 'Payments degraded', severity: 'P1' }));
  for (let i = 1; i <= 6; i++) {
    alpha.clock.advance(1_000);
    alpha.core.call('timeline.add', { incidentId, text: `alpha entry ${i}${' (more text)'.repeat(i % 3)}` });
  }
  charlie = testCore({ name: 'Charlie', start: T0 + 2 * 60_000 });
  shareIncident(alpha.core, charlie.core, incidentId);
  for (let i = 1; i <= 3; i++) charlie.core.call('timeline.add', { incidentId, text: `charlie entry ${i}` });
  const chains = chainsOf(opsOf(alpha.core, incidentId), opsOf(charlie.core, incidentId));
  genesis = chains.genesis;
  const chainOf = (device: string) => chains.chains.find((chain) => headerOf(chain[0]).deviceId === device)!;
  A = chainOf(alpha.core.deviceId);
  C = chainOf(charlie.core.deviceId);
  expect(A).toHaveLength(7);
  expect(C).toHaveLength(3);
  ({ incidentId: otherIncidentId } = alpha.core.call('incidents.declare', { title: 'Unrelated drill', severity: 'P3', drill: true }));
  alpha.core.call('timeline.add', { incidentId: otherIncidentId, text: 'drill started' });
  other = opsOf(alpha.core, otherIncidentId);
  expect(other).toHaveLength(3);
});

/** A fresh store holding the incident's write secret and `held` (ingested, all must be accepted). */
function bravo(held: readonly Uint8Array[] = [genesis, A[0], A[1]]): Core {
  const { core } = testCore({ name: 'Bravo', start: T0 + 60_000 });
  for (const id of [incidentId, otherIncidentId]) {
    const secret = alpha.core.context.keys.incidentSecret(id)!;
    core.context.keys.putIncidentSecret(id, secret.access, secret.secret);
  }
  if (held.length) expect(core.ingest(held)).toBe(held.length);
  return core;
}

/** Everything an ingest could have written. */
function snapshot(core: Core) {
  const db = core.context.db;
  const declared = prepared(db, 'SELECT 1 FROM incidents WHERE id = ?').get(incidentId) !== undefined;
  return {
    ops: prepared(db, 'SELECT incident, device, seq, hash FROM ops ORDER BY rowid').all(),
    devices: prepared(db, 'SELECT * FROM devices ORDER BY incident, device').all(),
    authorities: prepared(db, 'SELECT * FROM incident_authority ORDER BY incident').all(),
    clock: prepared(db, 'SELECT * FROM clock').all(),
    state: declared ? replicatedIncident(db, incidentId) : null,
  };
}

function refusalOf(core: Core, page: readonly Uint8Array[]): SitrepError {
  try {
    core.ingest(page);
  } catch (error) {
    if (error instanceof SitrepError) return error;
    throw error;
  }
  throw new Error('the page was accepted');
}

/** Offers `page` and expects it refused for `code`, with a message naming `reason`, and nothing stored. */
function expectRefused(core: Core, page: readonly Uint8Array[], code: OpErrorCode, reason: RegExp): void {
  const before = snapshot(core);
  const error = refusalOf(core, page);
  expect(error.code).toBe('op-rejected');
  expect(error.details[0]).toBe(code);
  expect(error.message).toContain(`(${code})`);
  expect(error.message).toMatch(reason);
  expect(snapshot(core)).toStrictEqual(before);
}

// ——— Building tampered and forged ops ———

const contentKey = () => alpha.core.context.incidentKeys(incidentId)!.keys.contentKey;
const incidentKeys = () => writerKeys(c, alpha.core.context.keys.incidentSecret(incidentId)!.secret);
const writeAuthority = () => incidentKeys().writeAuthority;

/**
 * A genesis for the incident whose payload decrypts (its author holds R, as any observer does) but
 * signed by a write authority of the forger's own, so it could certify itself as a writer.
 */
function observerGenesis(forgedWa: SigningKey, readAuthorityPublicKey = incidentKeys().readAuthority.publicKey): Uint8Array {
  return forge({ signer: forgedWa, seq: 1, type: 'genesis', readAuthorityPublicKey, payload: utf8Encode(GENESIS_PAYLOAD) });
}

const entryPayload = (text: string) =>
  encodePayload({
    schema: PAYLOAD_SCHEMA_VERSION,
    at: T0,
    by: 'Mallory',
    kind: 'entry.add',
    entry: { id: uuidv7({ msecs: T0 }), kind: 'note', text, occurredAt: T0 },
  });

interface ForgeOptions {
  signer: SigningKey;
  seq: number;
  prev?: Uint8Array;
  type?: OpType;
  certificate?: Uint8Array;
  text?: string;
  readAuthorityPublicKey?: Uint8Array;
  payload?: Uint8Array;
}

/** An envelope built with encodeOp: well formed, signed by `signer`, sealed with the incident's content key. */
function forge(o: ForgeOptions): Uint8Array {
  const first = o.seq === 1;
  return encodeOp(c, {
    type: o.type ?? 'op',
    incidentId,
    seq: o.seq,
    hlc: { ms: T0 + 5_000, counter: 0 },
    prev: o.prev ?? ZERO_HASH,
    clockOffsetMs: 0,
    devicePublicKey: first ? o.signer.publicKey : undefined,
    certificate: first && (o.type ?? 'op') === 'op' ? o.certificate : undefined,
    readAuthorityPublicKey: o.readAuthorityPublicKey,
    payload: o.payload ?? entryPayload(o.text ?? 'forged entry'),
    contentKey: contentKey(),
    signer: o.signer,
  });
}

const randomKey = () => c.signingKeyFromSeed(c.randomBytes(32));

/** `bytes` with its signature replaced by `signer`'s signature over everything before it. */
function resign(bytes: Uint8Array, signer: SigningKey): Uint8Array {
  const signed = decodeOp(bytes).signedBytes;
  return concatBytes(signed, signer.sign(signed));
}

/** `header`'s op (everything before its ciphertext) carrying `body`'s ciphertext, with header's signature. */
function moveHeader(header: Uint8Array, body: Uint8Array): Uint8Array {
  const h = decodeOp(header);
  const b = decodeOp(body);
  const ad = new Uint8Array(h.associatedData);
  new DataView(ad.buffer).setUint32(ad.length - 4, b.ciphertext.length);
  return concatBytes(ad, b.ciphertext, h.signature);
}

const ciphertextAt = (bytes: Uint8Array) => decodeOp(bytes).associatedData.length;
const signatureAt = (bytes: Uint8Array) => decodeOp(bytes).signedBytes.length;

interface RefusalCase {
  name: string;
  /** What the store holds before; the default is the genesis and Alpha's seq 1 and 2. */
  held?: () => Uint8Array[];
  bad: () => Uint8Array;
  /** Good ops for a mixed page; the default is Charlie's chain. */
  good?: () => Uint8Array[];
  code: OpErrorCode;
  reason: RegExp;
}

const cases: RefusalCase[] = [
  {
    name: 'a flipped bit in the ciphertext',
    bad: () => flipBit(A[2], ciphertextAt(A[2]) + 3),
    code: 'bad-signature',
    reason: /signature .* does not verify/,
  },
  {
    name: 'a flipped bit in the ciphertext, re-signed by the device itself (only the GCM tag catches it)',
    bad: () => resign(flipBit(A[2], ciphertextAt(A[2]) + 3), alpha.core.context.keys.deviceKey),
    code: 'decrypt-failed',
    reason: /does not decrypt/,
  },
  {
    name: 'a flipped bit in the signature',
    bad: () => flipBit(A[2], signatureAt(A[2]) + 10, 5),
    code: 'bad-signature',
    reason: /signature .* does not verify/,
  },
  {
    name: 'a flipped bit in the header: seq (moved past the next seq)',
    bad: () => flipBit(A[2], SEQ_LOW_BYTE, 2),
    code: 'bad-chain',
    reason: /gap: device .* is at seq 2 .* this op is seq 7/,
  },
  {
    name: 'a flipped bit in the header: seq (onto a seq already held)',
    bad: () => flipBit(A[2], SEQ_LOW_BYTE, 0),
    code: 'bad-chain',
    reason: /equivocation: .* already has a different op at seq 2/,
  },
  {
    name: 'a flipped bit in the header: seq (out of range)',
    bad: () => flipBit(A[2], SEQ_AT, 7),
    code: 'malformed',
    reason: /seq .* is outside 1\.\./,
  },
  {
    name: 'a flipped bit in the header: hlc',
    bad: () => flipBit(A[2], HLC_LOW_MS_BYTE, 0),
    code: 'bad-signature',
    reason: /signature .* does not verify/,
  },
  {
    name: 'a flipped bit in the header: device (of a seq 1, which carries its key)',
    held: () => [genesis, A[0], A[1]],
    bad: () => flipBit(C[0], DEVICE_AT + 4, 1),
    code: 'bad-signature',
    reason: /signature .* does not verify/,
  },
  {
    name: 'a flipped bit in the header: device (of a later op, a device with no chain here)',
    bad: () => flipBit(A[2], DEVICE_AT + 4, 1),
    code: 'bad-chain',
    reason: /gap: device .* is at seq 0/,
  },
  {
    name: 'a flipped bit in the header: prev',
    bad: () => flipBit(A[2], PREV_AT + 9, 3),
    code: 'bad-signature',
    reason: /signature .* does not verify/,
  },
  {
    name: "a header moved onto another op's ciphertext",
    bad: () => moveHeader(A[2], A[3]),
    code: 'bad-signature',
    reason: /signature .* does not verify/,
  },
  {
    name: "a header moved onto another op's ciphertext and re-signed by the device (the header is the GCM associated data)",
    bad: () => resign(moveHeader(A[2], A[3]), alpha.core.context.keys.deviceKey),
    code: 'decrypt-failed',
    reason: /does not decrypt/,
  },
  {
    name: 'a forged writer whose certificate was issued by another write authority',
    bad: () => {
      const mallory = randomKey();
      const wrongWa = writerKeys(c, c.randomBytes(32)).writeAuthority;
      return forge({ signer: mallory, seq: 1, certificate: issueCertificate(wrongWa, mallory.publicKey, incidentId) });
    },
    code: 'bad-certificate',
    reason: /certificate is not the write authority's/,
  },
  {
    name: 'a forged writer with no certificate (an all-zero one)',
    bad: () => forge({ signer: randomKey(), seq: 1, certificate: new Uint8Array(64) }),
    code: 'bad-certificate',
    reason: /certificate is not the write authority's/,
  },
  {
    name: 'a forged writer whose certificate is for another incident',
    bad: () => {
      const mallory = randomKey();
      return forge({ signer: mallory, seq: 1, certificate: issueCertificate(writeAuthority(), mallory.publicKey, uuidv7()) });
    },
    code: 'bad-certificate',
    reason: /certificate is not the write authority's/,
  },
  {
    name: 'a forged seq 1 with the certificate field left out of the envelope',
    bad: () => {
      const mallory = randomKey();
      const op = decodeOp(forge({ signer: mallory, seq: 1, certificate: issueCertificate(writeAuthority(), mallory.publicKey, incidentId) }));
      const certificateAt = 86 + 32;
      const withoutCertificate = concatBytes(op.signedBytes.subarray(0, certificateAt), op.signedBytes.subarray(certificateAt + 64));
      return concatBytes(withoutCertificate, mallory.sign(withoutCertificate));
    },
    code: 'malformed',
    reason: /truncated|unexpected bytes|shorter than/,
  },
  {
    name: 'a forged later op of a device that has no certificate (no seq 1 anywhere)',
    bad: () => forge({ signer: randomKey(), seq: 2, prev: opHash(c, A[0]) }),
    code: 'bad-chain',
    reason: /gap: device .* is at seq 0/,
  },
  {
    name: "an op signed by another key, claiming the device's id and next seq",
    bad: () => {
      const mallory = randomKey();
      const draft = decodeOp(forge({ signer: mallory, seq: 3, prev: opHash(c, A[1]) }));
      const signed = new Uint8Array(draft.signedBytes);
      signed.set(decodeOp(A[2]).bytes.subarray(DEVICE_AT, DEVICE_AT + 16), DEVICE_AT);
      return concatBytes(signed, mallory.sign(signed));
    },
    code: 'bad-signature',
    reason: /signature .* does not verify with device key/,
  },
  {
    name: 'an op whose prev does not match (signed by the device itself)',
    bad: () => forge({ signer: alpha.core.context.keys.deviceKey, seq: 3, prev: opHash(c, A[0]) }),
    code: 'bad-chain',
    reason: /prev .* is not the previous op's hash/,
  },
  {
    name: 'a gap: seq 4 offered before seq 3',
    bad: () => A[3],
    code: 'bad-chain',
    reason: /gap: device .* is at seq 2 .* this op is seq 4/,
  },
  {
    name: 'a second, different op at a seq already held (equivocation)',
    bad: () => forge({ signer: alpha.core.context.keys.deviceKey, seq: 2, prev: opHash(c, A[0]), text: 'a different seq 2' }),
    code: 'bad-chain',
    reason: /equivocation: .* already has a different op at seq 2/,
  },
  {
    name: "an op of an incident whose genesis is missing",
    held: () => [],
    bad: () => A[0],
    good: () => other,
    code: 'bad-chain',
    reason: /has no genesis yet/,
  },
  {
    name: "a genesis signed by a write authority other than the one the incident's secret derives (an observer claiming the incident)",
    held: () => [],
    bad: () => observerGenesis(randomKey()),
    good: () => other,
    code: 'bad-certificate',
    reason: /genesis is not signed by the write authority of this incident's secret/,
  },
  {
    name: "a genesis by the incident's write authority that publishes another read authority",
    held: () => [],
    bad: () => observerGenesis(writeAuthority(), randomKey().publicKey),
    good: () => other,
    code: 'bad-certificate',
    reason: /genesis publishes a read authority other than/,
  },
  {
    name: 'a second genesis for the incident, by another write authority',
    bad: () => {
      const other = writerKeys(c, c.randomBytes(32));
      return forge({ signer: other.writeAuthority, seq: 1, type: 'genesis', readAuthorityPublicKey: other.readAuthority.publicKey });
    },
    code: 'bad-chain',
    reason: /already has a genesis/,
  },
];

describe('ingest refuses an op that does not verify, and stores nothing', () => {
  for (const { name, held, bad, good: goodOps, code, reason } of cases) {
    test(`${name}: refused as ${code}, alone and in a page of good ops, none of which is stored`, () => {
      const core = bravo(held?.());
      const badOp = bad();
      expectRefused(core, [badOp], code, reason);
      // Offered again, it is refused again: a refusal leaves no trace that would change the answer.
      expectRefused(core, [badOp], code, reason);
      // Among good ops this store would take (at the start, in the middle, at the end): none is stored.
      const good = goodOps?.() ?? [C[0], C[1], C[2]];
      for (const position of [0, 2, good.length]) {
        const page = [...good];
        page.splice(position, 0, badOp);
        expectRefused(core, page, code, reason);
      }
      // Without the bad op, the same page is taken whole.
      expect(core.ingest(good)).toBe(good.length);
    });
  }

  test('a page of good ops of one device with a tampered op in the middle stores none, not even the ops before it', () => {
    const core = bravo();
    const before = snapshot(core);
    const page = [A[2], A[3], flipBit(A[4], ciphertextAt(A[4]) + 1), A[5], A[6]];
    const error = refusalOf(core, page);
    expect(error.details[0]).toBe('bad-signature');
    expect(snapshot(core)).toStrictEqual(before);
    expect(core.ingest([A[2], A[3], A[4], A[5], A[6]])).toBe(5);
  });

  test("an observer's genesis and the writer it certified are refused, and the incident's real ops are then taken", () => {
    const core = bravo([]);
    const forgedWa = randomKey();
    const mallory = randomKey();
    const forgedGenesis = observerGenesis(forgedWa);
    const certified = forge({ signer: mallory, seq: 1, certificate: issueCertificate(forgedWa, mallory.publicKey, incidentId), text: 'I am a writer now' });
    expectRefused(core, [forgedGenesis, certified], 'bad-certificate', /not signed by the write authority/);
    expectRefused(core, [certified], 'bad-chain', /has no genesis yet/);
    expect(core.ingest([genesis, ...A, ...C])).toBe(1 + A.length + C.length);
    expectRefused(core, [certified], 'bad-certificate', /certificate is not the write authority's/);
    expect(replicatedIncident(core.context.db, incidentId).timeline.map((e) => e.text)).not.toContain('I am a writer now');
  });

  test('after a refusal the store still takes the good ops: the gap, then the missing op and the rest in order', () => {
    const core = bravo();
    expectRefused(core, [A[3]], 'bad-chain', /gap/);
    expect(core.ingest([A[2], A[3]])).toBe(2);
    expect(opsOf(core, incidentId)).toHaveLength(5);
  });

  test('a forged writer certified by the incident write authority is accepted (the forging helper makes valid ops)', () => {
    const core = bravo();
    const writer = randomKey();
    const first = forge({ signer: writer, seq: 1, certificate: issueCertificate(writeAuthority(), writer.publicKey, incidentId), text: 'new writer' });
    const second = forge({ signer: writer, seq: 2, prev: opHash(c, first), text: 'second from the new writer' });
    expect(core.ingest([first, second])).toBe(2);
    const texts = replicatedIncident(core.context.db, incidentId).timeline.map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['new writer', 'second from the new writer']));
  });
});

describe('ingest is idempotent', () => {
  const entriesWith = (core: Core, text: string) =>
    replicatedIncident(core.context.db, incidentId).timeline.filter((e) => e.source === 'entry' && e.text === text);
  const textOf = (op: Uint8Array) => {
    const h = headerOf(op);
    return replicatedIncident(alpha.core.context.db, incidentId).timeline.find((e) => e.device === h.deviceId && e.seq === h.seq)!.text;
  };

  test('the same good op ingested twice is stored once and its entry appears once', () => {
    const core = bravo();
    const text = textOf(A[2]);
    expect(core.ingest([A[2]])).toBe(1);
    const once = snapshot(core);
    expect(core.ingest([A[2]])).toBe(0);
    expect(snapshot(core)).toStrictEqual(once);
    expect(entriesWith(core, text)).toHaveLength(1);
    expect(opsOf(core, incidentId)).toHaveLength(4);
  });

  test('duplicates within one page and across pages are stored and applied once', () => {
    const core = bravo([genesis]);
    expect(core.ingest([A[0], A[0], A[1], A[0], A[1], A[2]])).toBe(3);
    expect(core.ingest([genesis, A[0], A[1], A[2], A[3], A[3]])).toBe(1);
    expect(opsOf(core, incidentId).map((op) => bytesToHex(opHash(c, op)))).toEqual(
      [genesis, A[0], A[1], A[2], A[3]].map((op) => bytesToHex(opHash(c, op))),
    );
    for (const op of [A[1], A[2], A[3]]) expect(entriesWith(core, textOf(op))).toHaveLength(1);
  });

  test('ops a store wrote itself, offered back to it, change nothing', () => {
    const before = snapshot(alpha.core);
    expect(alpha.core.ingest(opsOf(alpha.core, incidentId))).toBe(0);
    expect(snapshot(alpha.core)).toStrictEqual(before);
  });
});
