/**
 * What a relay refuses (DESIGN.md §5 "Relay", §6): every bad op and every malformed frame gets its
 * typed error, the page it came in stores nothing, the connection keeps serving, and another
 * client is served throughout. Ops are real (from a core) and then tampered with or forged.
 */
import { nodeCrypto as c } from '../../../electron/crypto';
import { bytesToHex, concatBytes } from '../../../shared/sync/bytes';
import { decodeOp } from '../../../shared/sync/op-envelope';
import { CLOSE_CODES, encodeFrame, FRAME_TYPES, MAX_FRAME_BYTES, MAX_HEADER_BYTES, MAX_MESSAGE_BYTES } from '../../../shared/sync/protocol';
import { flipBit } from '../../support/op-delivery';
import { helloAsReader, helloAsWriter, RelayTestClient } from '../../support/relay-client';
import { authorOp, hashOf, relayIncident, type RelayIncident } from '../../support/relay-incident';
import { storedOpCount, testRelay, type TestRelay } from '../../support/relays';

let relay: TestRelay;
let incident: RelayIncident;
let other: RelayIncident;
/** A reader caught up on the incident: it must keep getting live ops whatever the others send. */
let bystander: RelayTestClient;
/** How many ops the relay holds of the incident before each test; the author's chain is held to seq HELD. */
const HELD = 3;

const A = () => incident.chain;

async function writer(i: RelayIncident = incident): Promise<RelayTestClient> {
  const client = await RelayTestClient.connect(relay.url);
  helloAsWriter(client, {
    incidentId: i.incidentId,
    writeAuthority: i.keys.writeAuthority.publicKey,
    deviceKey: i.deviceKey,
    certificate: i.certificate,
    genesis: i.genesis,
  });
  await client.take('welcome');
  return client;
}

/** Everything the relay stored of the incident: ops, heads, bytes used. */
const snapshot = () =>
  relay.inspect((db) => ({
    ops: db.prepare('SELECT relay_seq, device, seq, hash FROM ops WHERE incident = ? ORDER BY relay_seq').all(incident.incidentId),
    heads: db.prepare('SELECT device, seq, hash FROM heads WHERE incident = ? ORDER BY device').all(incident.incidentId),
    bytes: db.prepare('SELECT bytes_used FROM incidents WHERE incident = ?').get(incident.incidentId),
  }));

/** The bystander still gets a live op pushed by someone else: the relay kept serving everyone. */
let nextOtherSeq = 1;
async function othersStillServed(): Promise<void> {
  const pusher = await writer(other);
  pusher.send('push', { page: 1 }, [other.chain[nextOtherSeq - 1]]);
  expect((await pusher.take('ack')).header.stored).toBe(1);
  const want = other.chain[nextOtherSeq - 1];
  await bystander.until(() => (bystander.opsReceived().some((op) => equal(op.envelope, want)) ? true : undefined), 'the live op');
  nextOtherSeq++;
  pusher.close();
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

beforeAll(async () => {
  relay = await testRelay();
  incident = relayIncident({ entries: 10 });
  other = relayIncident({ title: 'Unrelated outage', entries: 80 });
  const setup = await writer();
  setup.send('push', { page: 0 }, A().slice(0, HELD));
  await setup.take('ack');
  setup.close();
  (await writer(other)).close();
  bystander = await RelayTestClient.connect(relay.url);
  helloAsReader(bystander, { incidentId: other.incidentId, writeAuthority: other.keys.writeAuthority.publicKey, readAuthority: other.keys.readAuthority });
  await bystander.take('welcome');
  bystander.send('catch-up', { after: 0 });
  await bystander.take('caught-up');
});

/** Pushes `page` and expects the error `code` (for that page), nothing stored, the connection still up. */
async function expectRefused(page: Uint8Array[], code: string, details?: (string | RegExp)[]) {
  const client = await writer();
  const before = snapshot();
  client.send('push', { page: 41 }, page);
  const error = await client.error();
  expect(error.header.code).toBe(code);
  expect(error.header.page).toBe(41);
  if (details) details.forEach((d, i) => expect(error.header.details?.[i]).toMatch(d));
  expect(snapshot()).toStrictEqual(before);
  await client.roundTrip();
  expect(client.closedWith).toBeUndefined();
  // The same connection still takes good ops afterwards (pushing a held op again: a duplicate).
  client.send('push', { page: 42 }, [A()[0]]);
  expect((await client.take('ack')).header).toMatchObject({ page: 42, stored: 0 });
  client.close();
  await othersStillServed();
  return error;
}

const ciphertextAt = (bytes: Uint8Array) => decodeOp(bytes).associatedData.length;
const signatureAt = (bytes: Uint8Array) => decodeOp(bytes).signedBytes.length;

test('an equivocating op (another op at a held seq, validly signed) is refused with both hashes, and both are kept as evidence', async () => {
  const forked = authorOp(incident, 2, hashOf(A()[0]), 'a different seq 2');
  const error = await expectRefused([forked], 'equivocation', [incident.deviceId, '2', bytesToHex(hashOf(A()[1])), bytesToHex(hashOf(forked))]);
  expect(error.header.details).toHaveLength(4);
  const evidence = relay.inspect((db) => db.prepare('SELECT * FROM equivocations WHERE incident = ?').all(incident.incidentId)) as {
    device: string;
    seq: number;
    held_envelope: Buffer;
    offered_envelope: Buffer;
  }[];
  expect(evidence).toHaveLength(1);
  expect(evidence[0]).toMatchObject({ device: incident.deviceId, seq: 2 });
  expect(new Uint8Array(evidence[0].held_envelope)).toEqual(A()[1]);
  expect(new Uint8Array(evidence[0].offered_envelope)).toEqual(forked);
});

test('an op past the head is refused as a gap with the seq expected', async () => {
  await expectRefused([A()[HELD + 2]], 'gap', [incident.deviceId, String(HELD + 1)]);
  await expectRefused([A()[HELD], A()[HELD + 2]], 'gap', [incident.deviceId, String(HELD + 2)]);
});

test('a forged signature is refused as op-rejected bad-signature', async () => {
  await expectRefused([flipBit(A()[HELD], signatureAt(A()[HELD]) + 5)], 'op-rejected', ['bad-signature', incident.deviceId, String(HELD + 1)]);
});

test('a forged op inside a page of good ones refuses the whole page: none of it is stored', async () => {
  const bad = flipBit(A()[HELD + 1], signatureAt(A()[HELD + 1]) + 9);
  await expectRefused([A()[HELD], bad, A()[HELD + 2]], 'op-rejected', ['bad-signature', incident.deviceId, String(HELD + 2)]);
});

test('a spliced chain under a valid head signature is refused: every op is verified, not only the last', async () => {
  // The middle op is tampered with (its signature no longer verifies) and the next op, genuinely
  // signed by the device, links to the tampered one: a check of the last signature alone would pass.
  const tampered = flipBit(A()[HELD], ciphertextAt(A()[HELD]) + 2);
  const head = authorOp(incident, HELD + 2, hashOf(tampered), 'spliced on');
  await expectRefused([tampered, head], 'op-rejected', ['bad-signature', incident.deviceId, String(HELD + 1)]);
});

test('tampered ciphertext is refused (the signature covers it), and so is a validly signed op whose prev is not the head', async () => {
  await expectRefused([flipBit(A()[HELD], ciphertextAt(A()[HELD]) + 7)], 'op-rejected', ['bad-signature']);
  const wrongPrev = authorOp(incident, HELD + 1, hashOf(A()[0]), 'wrong prev');
  await expectRefused([wrongPrev], 'op-rejected', ['bad-chain']);
});

test("an op of another incident replayed into this incident's connection is refused as wrong-incident", async () => {
  await expectRefused([other.chain[0]], 'op-rejected', ['wrong-incident']);
  await expectRefused([A()[HELD], other.genesis], 'op-rejected', ['wrong-incident']);
});

test('an op that is not an envelope is refused as malformed', async () => {
  await expectRefused([c.randomBytes(200)], 'op-rejected', [/malformed|unsupported-version/]);
});

// ——— Malformed frames ———

/** Sends raw bytes on a writer connection; expects an error with one of `codes`, then the connection and others still served. */
async function expectBadFrame(bytes: Uint8Array, codes: string[]) {
  const client = await writer();
  const before = snapshot();
  client.sendRaw(bytes);
  const error = await client.error();
  expect(codes).toContain(error.header.code);
  await client.roundTrip();
  expect(client.closedWith).toBeUndefined();
  expect(snapshot()).toStrictEqual(before);
  client.close();
  await othersStillServed();
}

const frameWithLengths = (type: number, headerLength: number, rest: Uint8Array = new Uint8Array(0)) => {
  const head = new Uint8Array(5);
  const view = new DataView(head.buffer);
  view.setUint8(0, type);
  view.setUint32(1, headerLength);
  return concatBytes(head, rest);
};

test('a frame over MAX_FRAME_BYTES is refused as too-large', async () => {
  const huge = encodeFrame('push', { page: 1 }, [new Uint8Array(200 * 1024)]);
  const oversized = concatBytes(huge, new Uint8Array(MAX_FRAME_BYTES + 1 - huge.length));
  await expectBadFrame(oversized, ['too-large']);
});

test('a message over MAX_MESSAGE_BYTES closes only its own socket (1009, message too big)', async () => {
  const client = await writer();
  client.sendRaw(new Uint8Array(MAX_MESSAGE_BYTES + 1));
  expect((await client.closed()).code).toBe(1009);
  await othersStillServed();
});

test('random bytes are refused as a bad frame', async () => {
  for (let i = 0; i < 5; i++) await expectBadFrame(c.randomBytes(1 + i * 97), ['bad-frame', 'too-large']);
});

test('a header of the wrong types is refused as bad-frame', async () => {
  const json = new TextEncoder().encode(JSON.stringify({ page: 'one' }));
  const bytes = concatBytes(frameWithLengths(FRAME_TYPES.push, json.length), json, new Uint8Array([0, 0]));
  await expectBadFrame(bytes, ['bad-frame']);
  const notJson = new TextEncoder().encode('{page: 1');
  await expectBadFrame(concatBytes(frameWithLengths(FRAME_TYPES.push, notJson.length), notJson, new Uint8Array([0, 0])), ['bad-frame']);
  await expectBadFrame(frameWithLengths(99, 2, new TextEncoder().encode('{}')), ['bad-frame']);
});

test('huge declared lengths are refused without reading past the frame', async () => {
  await expectBadFrame(frameWithLengths(FRAME_TYPES.push, 0xffffffff), ['too-large']);
  await expectBadFrame(frameWithLengths(FRAME_TYPES.push, MAX_HEADER_BYTES - 1, new TextEncoder().encode('{}')), ['bad-frame']);
  const header = new TextEncoder().encode('{"page":1}');
  const blobCount = new Uint8Array([0xff, 0xff]);
  await expectBadFrame(concatBytes(frameWithLengths(FRAME_TYPES.push, header.length), header, blobCount), ['bad-frame']);
  const blobLength = new Uint8Array([0, 1, 0xff, 0xff, 0xff, 0xff]);
  await expectBadFrame(concatBytes(frameWithLengths(FRAME_TYPES.push, header.length), header, blobLength), ['too-large']);
});

test('a frame type only the relay sends is refused as bad-frame', async () => {
  await expectBadFrame(encodeFrame('caught-up', { headRelaySeq: 1 }), ['bad-frame']);
});

test('a connection that keeps sending garbage is closed; the others are not', async () => {
  const client = await writer();
  for (let i = 0; i < 40 && !client.closedWith; i++) client.sendRaw(c.randomBytes(64));
  expect((await client.closed()).code).toBe(CLOSE_CODES.misbehaving);
  await othersStillServed();
});

test('a connection over its rate is refused as rate-limited with a retry hint, and nothing of the page is stored', async () => {
  const limited = await testRelay({ limits: { opsPerSecond: 1, burstOps: 5 } });
  const fresh = relayIncident({ entries: 8 });
  const client = await RelayTestClient.connect(limited.url);
  helloAsWriter(client, {
    incidentId: fresh.incidentId,
    writeAuthority: fresh.keys.writeAuthority.publicKey,
    deviceKey: fresh.deviceKey,
    certificate: fresh.certificate,
    genesis: fresh.genesis,
  });
  await client.take('welcome');
  client.send('push', { page: 1 }, fresh.chain.slice(0, 4));
  expect((await client.take('ack')).header.stored).toBe(4);
  client.send('push', { page: 2 }, fresh.chain.slice(4, 8));
  const error = await client.error();
  expect(error.header).toMatchObject({ code: 'rate-limited', page: 2 });
  expect(error.header.retryAfterMs).toBeGreaterThan(0);
  expect(storedOpCount(limited, fresh.incidentId)).toBe(1 + 4);
  await client.roundTrip();
  client.close();
});

test('an incident over its storage quota is refused as quota, and nothing of the page is stored', async () => {
  const fresh = relayIncident({ entries: 8 });
  const bytesOf = (ops: Uint8Array[]) => ops.reduce((n, op) => n + op.length, 0);
  const limited = await testRelay({ limits: { incidentBytes: fresh.genesis.length + bytesOf(fresh.chain.slice(0, 4)) } });
  const client = await RelayTestClient.connect(limited.url);
  helloAsWriter(client, {
    incidentId: fresh.incidentId,
    writeAuthority: fresh.keys.writeAuthority.publicKey,
    deviceKey: fresh.deviceKey,
    certificate: fresh.certificate,
    genesis: fresh.genesis,
  });
  await client.take('welcome');
  client.send('push', { page: 1 }, fresh.chain.slice(0, 4));
  expect((await client.take('ack')).header.stored).toBe(4);
  client.send('push', { page: 2 }, fresh.chain.slice(4, 5));
  expect((await client.error()).header).toMatchObject({ code: 'quota', page: 2 });
  expect(storedOpCount(limited, fresh.incidentId)).toBe(1 + 4);
  client.close();
});

test('ops with an HLC more than 24 h ahead are stored and flagged', async () => {
  const skewed = authorOp(incident, HELD + 1, hashOf(A()[HELD - 1]), 'from the future');
  // authorOp stamps T0 + 1 h, the real ops T0 + seconds: against a relay clock at T0 − 23.5 h, only it is over 24 h ahead.
  const early = await testRelay({ now: () => decodeOp(skewed).header.hlc.ms - 24.5 * 3_600_000 });
  const client = await RelayTestClient.connect(early.url);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: incident.deviceKey,
    certificate: incident.certificate,
    genesis: incident.genesis,
  });
  await client.take('welcome');
  client.send('push', { page: 1 }, [...A().slice(0, HELD), skewed]);
  expect((await client.take('ack')).header.stored).toBe(HELD + 1);
  const flags = early.inspect((db) => db.prepare('SELECT seq, flags FROM ops WHERE incident = ? AND device = ? ORDER BY seq').all(incident.incidentId, incident.deviceId));
  expect(flags).toEqual([
    { seq: 1, flags: 0 },
    { seq: 2, flags: 0 },
    { seq: 3, flags: 0 },
    { seq: 4, flags: 1 },
  ]);
  client.close();
});
