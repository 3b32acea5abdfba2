/**
 * A page of catch-up is authenticated as a page (DESIGN.md §5 "Verification cost"): every op's hash
 * link, every seq 1 whole (certificate or write authority), the signature of each device's last op
 * in the page, and nothing applied before all of that verified. core.ingest(…, { verify: 'page' }).
 *
 * The forgeries here are an observer's: it holds the read secret, so every forged op decrypts
 * (sealed with the content key, its own header as associated data) and only signatures and hash
 * links can give it away. Each refusal: SitrepError 'op-rejected' with the OpError code, nothing
 * stored, nothing even decrypted, and the genuine page still taken afterwards.
 */
import { v7 as uuidv7 } from 'uuid';
import { nodeCrypto as c } from '../../../electron/crypto';
import type { Core } from '../../../electron/core/core';
import { replicatedIncident } from '../../../electron/core/queries/replicated-state';
import { prepared } from '../../../electron/core/store/database';
import { SitrepError } from '../../../shared/errors';
import { encodePayload, PAYLOAD_SCHEMA_VERSION } from '../../../shared/model/op-payload';
import { concatBytes, hexToBytes } from '../../../shared/sync/bytes';
import type { SigningKey } from '../../../shared/sync/crypto';
import { issueCertificate, writerKeys } from '../../../shared/sync/incident-keys';
import { decodeOp, encodeOp, openOpPayload, opHash, ZERO_HASH } from '../../../shared/sync/op-envelope';
import type { OpErrorCode } from '../../../shared/sync/op-error';
import { opsOf, shareIncident, T0, testCore, type TestCore } from '../../support/cores';
import { chainsOf, flipBit, headerOf, interleave, pages } from '../../support/op-delivery';

/** Header offsets (shared/sync/op-envelope.ts layout). */
const DEVICE_AT = 18;
const PREV_AT = 50;

let alpha: TestCore;
let charlie: TestCore;
let incidentId: string;
let genesis: Uint8Array;
/** Alpha's chain: A[0] is seq 1 (the declare), A[11] is seq 12. */
let A: Uint8Array[];
/** Charlie's chain, a second writer: C[0] is its seq 1 with its certificate. */
let C: Uint8Array[];

beforeAll(() => {
  alpha = testCore({ name: 'Alpha', start: T0 });
  ({ incidentId } = alpha.core.call('incidents.declare', { title: 'Payments degraded', severity: 'P1' }));
  for (let i = 1; i <= 11; i++) {
    alpha.clock.advance(1_000);
    alpha.core.call('timeline.add', { incidentId, text: `alpha entry ${i}` });
  }
  charlie = testCore({ name: 'Charlie', start: T0 + 60_000 });
  shareIncident(alpha.core, charlie.core, incidentId);
  for (let i = 1; i <= 4; i++) charlie.core.call('timeline.add', { incidentId, text: `charlie entry ${i}` });
  const chains = chainsOf(opsOf(alpha.core, incidentId), opsOf(charlie.core, incidentId));
  genesis = chains.genesis;
  const chainOf = (device: string) => chains.chains.find((chain) => headerOf(chain[0]).deviceId === device)!;
  A = chainOf(alpha.core.deviceId);
  C = chainOf(charlie.core.deviceId);
  expect(A).toHaveLength(12);
  expect(C).toHaveLength(4);
});

afterEach(() => vi.restoreAllMocks());

/** A fresh store holding the incident's write secret and `held`, taken op by op. */
function bravo(held: readonly Uint8Array[] = [genesis, A[0], A[1]]): Core {
  const { core } = testCore({ name: 'Bravo', start: T0 + 120_000 });
  const secret = alpha.core.context.keys.incidentSecret(incidentId)!;
  core.context.keys.putIncidentSecret(incidentId, secret.access, secret.secret);
  if (held.length) expect(core.ingest(held)).toBe(held.length);
  return core;
}

const pageIngest = (core: Core, page: readonly Uint8Array[]) => core.ingest(page, undefined, { verify: 'page' });

function snapshot(core: Core) {
  const db = core.context.db;
  return {
    ops: prepared(db, 'SELECT incident, device, seq, hash FROM ops ORDER BY rowid').all(),
    devices: prepared(db, 'SELECT * FROM devices ORDER BY incident, device').all(),
    authorities: prepared(db, 'SELECT * FROM incident_authority ORDER BY incident').all(),
    clock: prepared(db, 'SELECT * FROM clock').all(),
    state: prepared(db, 'SELECT 1 FROM incidents WHERE id = ?').get(incidentId) ? replicatedIncident(db, incidentId) : null,
  };
}

/** Offers `page` as a catch-up page and expects it refused whole: nothing stored, nothing decrypted. */
function expectPageRefused(core: Core, page: readonly Uint8Array[], code: OpErrorCode, reason: RegExp): void {
  const before = snapshot(core);
  const open = vi.spyOn(c, 'open');
  let refusal: unknown;
  try {
    pageIngest(core, page);
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(SitrepError);
  const error = refusal as SitrepError;
  expect(error.code).toBe('op-rejected');
  expect(error.details[0]).toBe(code);
  expect(error.message).toMatch(reason);
  expect(open).not.toHaveBeenCalled();
  open.mockRestore();
  expect(snapshot(core)).toStrictEqual(before);
}

// ——— An observer's forgeries: they decrypt, they are simply not signed by the device ———

const contentKey = () => alpha.core.context.incidentKeys(incidentId)!.keys.contentKey;
const randomKey = (): SigningKey => c.signingKeyFromSeed(c.randomBytes(32));
const mallory = randomKey();

const entry = (text: string) =>
  encodePayload({
    schema: PAYLOAD_SCHEMA_VERSION,
    at: T0,
    by: 'Mallory',
    kind: 'entry.add',
    entry: { id: uuidv7({ msecs: T0 }), kind: 'note', text, occurredAt: T0 },
  });

/**
 * `op` rebuilt the way an observer can: its header with `prev` and/or the device id replaced, its
 * payload (decrypted with the content key, or `payload`) sealed again under the new header, and
 * signed by `signer` — or, without one, carrying the original signature.
 */
function rebuild(op: Uint8Array, o: { prev?: Uint8Array; device?: string; payload?: Uint8Array; signer?: SigningKey }): Uint8Array {
  const decoded = decodeOp(op);
  const payload = o.payload ?? openOpPayload(c, decoded, contentKey());
  const header = new Uint8Array(decoded.associatedData);
  if (o.prev) header.set(o.prev, PREV_AT);
  if (o.device) header.set(hexToBytes(o.device), DEVICE_AT);
  const sealed = c.seal(contentKey(), decoded.header.nonce, payload, header);
  const signed = concatBytes(header, sealed);
  return concatBytes(signed, o.signer ? o.signer.sign(signed) : decoded.signature);
}

/** An op claiming Alpha's device at `seq` after `prev`, with content of Mallory's, signed by Mallory. */
function forgedAlpha(seq: number, prev: Uint8Array, text = `forged at seq ${seq}`): Uint8Array {
  const draft = encodeOp(c, {
    type: 'op',
    incidentId,
    seq,
    hlc: { ms: T0 + 5_000, counter: 0 },
    prev,
    clockOffsetMs: 0,
    payload: entry(text),
    contentKey: contentKey(),
    signer: mallory,
  });
  return rebuild(draft, { device: alpha.core.deviceId, payload: entry(text), signer: mallory });
}

/** `ops` relinked after `first`: each op's prev set to the hash of the (rebuilt) op before it. */
function relink(first: Uint8Array, ops: readonly Uint8Array[], signer?: SigningKey): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = opHash(c, first);
  for (const op of ops) {
    const next = rebuild(op, { prev, signer });
    out.push(next);
    prev = opHash(c, next);
  }
  return out;
}

const textsOf = (core: Core) => replicatedIncident(core.context.db, incidentId).timeline.map((e) => e.text);

describe('a catch-up page is authenticated as a page', () => {
  test('it checks each seq 1 whole and only the last signature of each device, and stores what per-op checking stores', () => {
    const page = [genesis, ...A, ...C];
    const verify = vi.spyOn(c, 'verify');
    const byPage = bravo([]);
    expect(pageIngest(byPage, page)).toBe(page.length);
    // genesis (signature) + Alpha's seq 1 (signature, certificate) and last + Charlie's seq 1 (signature, certificate) and last.
    expect(verify).toHaveBeenCalledTimes(7);
    verify.mockClear();
    const byOp = bravo([]);
    expect(byOp.ingest(page)).toBe(page.length);
    // Every op's signature, and both certificates.
    expect(verify).toHaveBeenCalledTimes(page.length + 2);
    expect(snapshot(byPage).ops).toStrictEqual(snapshot(byOp).ops);
    expect(replicatedIncident(byPage.context.db, incidentId)).toStrictEqual(replicatedIncident(byOp.context.db, incidentId));
  });

  test('relay deliveries in pages (interleaved devices, duplicates) give the same state as per-op ingest', () => {
    for (const seed of [1, 2, 3]) {
      const delivery = interleave(chainsOf(opsOf(alpha.core, incidentId), opsOf(charlie.core, incidentId)), seed);
      const byPage = bravo([]);
      const byOp = bravo([]);
      for (const page of pages(delivery, seed + 100, 7)) {
        pageIngest(byPage, page);
        byOp.ingest(page);
      }
      expect(replicatedIncident(byPage.context.db, incidentId)).toStrictEqual(replicatedIncident(byOp.context.db, incidentId));
      expect(snapshot(byPage).ops).toHaveLength(1 + A.length + C.length);
    }
  });

  test('a page continuing a held head links its first op to that head', () => {
    const core = bravo();
    expectPageRefused(core, [A[3], A[4]], 'bad-chain', /gap: device .* is at seq 2 .* this op is seq 4/);
    expect(pageIngest(core, [A[2], A[3], A[4]])).toBe(3);
    expect(pageIngest(core, [A[3], A[4], A[5], C[0], A[6]])).toBe(3);
  });
});

describe('a page with a forged op in the middle is refused whole', () => {
  test('the forged op breaks the hash link of the op after it', () => {
    const core = bravo();
    const page = [...A.slice(2, 6), forgedAlpha(7, opHash(c, A[5])), ...A.slice(7)];
    expectPageRefused(core, page, 'bad-chain', /\/8 \(hlc .*prev .* is not the previous op's hash/);
    expect(pageIngest(core, A.slice(2))).toBe(10);
    expect(textsOf(core)).not.toContain('forged at seq 7');
  });

  test('with the links after it recomputed, the last op of the device no longer verifies', () => {
    const core = bravo();
    const forged = forgedAlpha(7, opHash(c, A[5]));
    // Every op after it relinked and sealed again; the ops keep Alpha's signatures, which no longer match.
    const page = [...A.slice(2, 6), forged, ...relink(forged, A.slice(7))];
    expectPageRefused(core, page, 'bad-signature', /\/12 \(hlc .*signature .* does not verify .*vouches for seqs 3\.\.12/);
    // Re-signed by the forger instead: the same.
    expectPageRefused(core, [...A.slice(2, 6), forged, ...relink(forged, A.slice(7), mallory)], 'bad-signature', /vouches for seqs 3\.\.12/);
    // Checked op by op, the forged op itself is the one refused.
    expect(() => core.ingest(page)).toThrow(/bad-signature/);
    expect(pageIngest(core, A.slice(2))).toBe(10);
    expect(textsOf(core)).not.toContain('forged at seq 7');
  });

  test('a forged or tampered last op fails its signature; a tampered op in the middle, the next link', () => {
    const core = bravo();
    expectPageRefused(core, [...A.slice(2, 11), forgedAlpha(12, opHash(c, A[10]))], 'bad-signature', /\/12 \(hlc .*vouches for seqs 3\.\.12/);
    const ciphertextAt = (op: Uint8Array) => decodeOp(op).associatedData.length;
    expectPageRefused(core, [...A.slice(2, 11), flipBit(A[11], ciphertextAt(A[11]) + 2)], 'bad-signature', /\/12 \(hlc .*signature .* does not verify/);
    expectPageRefused(core, [...A.slice(2, 5), flipBit(A[5], ciphertextAt(A[5]) + 2), ...A.slice(6)], 'bad-chain', /\/7 \(hlc .*prev .* is not the previous op's hash/);
    expect(pageIngest(core, A.slice(2))).toBe(10);
  });

  test("one device's good page does not vouch for another's: each device's last op is checked", () => {
    const core = bravo([genesis, ...A.slice(0, 4)]);
    // Alpha's run is Mallory's from seq 5 on, well linked; Charlie's ops after it are genuine.
    const forged: Uint8Array[] = [];
    let prev = opHash(c, A[3]);
    for (let seq = 5; seq <= 8; seq++) {
      const op = forgedAlpha(seq, prev);
      forged.push(op);
      prev = opHash(c, op);
    }
    expectPageRefused(core, [...forged, ...C], 'bad-signature', /\/8 \(hlc .*vouches for seqs 5\.\.8/);
    expect(pageIngest(core, [...C, ...A.slice(4)])).toBe(C.length + 8);
  });
});

describe('a spliced chain under a valid head signature is refused whole', () => {
  test("forged ops linked from the held head, ending with the device's genuine, validly signed op", () => {
    const core = bravo([genesis, ...A.slice(0, 4)]);
    // Seqs 5..11 forged and linked from the held seq 4; then Alpha's real seq 12, whose signature is good.
    const spliced: Uint8Array[] = [];
    let prev = opHash(c, A[3]);
    for (let seq = 5; seq <= 11; seq++) {
      const op = forgedAlpha(seq, prev);
      spliced.push(op);
      prev = opHash(c, op);
    }
    expect(c.verify(alpha.core.context.keys.deviceKey.publicKey, decodeOp(A[11]).signedBytes, decodeOp(A[11]).signature)).toBe(true);
    expectPageRefused(core, [...spliced, A[11]], 'bad-chain', /\/12 \(hlc .*prev .* is not the previous op's hash/);
    // The genuine head relinked onto the splice keeps its signature, which then covers other bytes.
    expectPageRefused(core, [...spliced, ...relink(spliced[spliced.length - 1], [A[11]])], 'bad-signature', /\/12 \(hlc .*vouches for seqs 5\.\.12/);
    expect(pageIngest(core, A.slice(4))).toBe(8);
    expect(textsOf(core).some((t) => t.startsWith('forged'))).toBe(false);
  });

  test('a genuine chain spliced onto another head than the one held', () => {
    const core = bravo([genesis, ...A.slice(0, 4)]);
    // Alpha's genuine seqs 6..12 after a forged seq 5 whose hash the attacker cannot make equal to the real one.
    expectPageRefused(core, [forgedAlpha(5, opHash(c, A[3])), ...A.slice(5)], 'bad-chain', /\/6 \(hlc .*prev .* is not the previous op's hash/);
    // The genuine seq 5 linked to another head than the one held (relinked to seq 3).
    expectPageRefused(core, [...relink(A[2], [A[4]]), ...A.slice(5)], 'bad-chain', /\/5 \(hlc .*prev .* is not the previous op's hash/);
  });

  test('a new device is taken only with its certificate: a seq 1 is always verified whole', () => {
    const core = bravo();
    const forger = randomKey();
    const wrongWa = writerKeys(c, c.randomBytes(32)).writeAuthority;
    const draft = (seq: number, prev: Uint8Array, certificate?: Uint8Array) =>
      encodeOp(c, {
        type: 'op',
        incidentId,
        seq,
        hlc: { ms: T0 + 9_000, counter: 0 },
        prev,
        clockOffsetMs: 0,
        devicePublicKey: seq === 1 ? forger.publicKey : undefined,
        certificate,
        payload: entry(`writer forged ${seq}`),
        contentKey: contentKey(),
        signer: forger,
      });
    const first = draft(1, ZERO_HASH, issueCertificate(wrongWa, forger.publicKey, incidentId));
    const chain = [first];
    for (let seq = 2; seq <= 4; seq++) chain.push(draft(seq, opHash(c, chain[chain.length - 1])));
    expectPageRefused(core, [A[2], ...chain, A[3]], 'bad-certificate', /certificate is not the write authority's/);
  });
});
