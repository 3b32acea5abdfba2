/**
 * What a relay stores, acks and fans out (DESIGN.md §5 "Relay"): acks come after the commit, other
 * connections get new ops live with their relay seqs, catch-up runs in bounded pages ending in
 * caught-up, need answers by device seq, presence is fanned out and never stored, a new connection
 * of a device replaces the old, and the relay's file holds no incident text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { nodeCrypto as c } from '../../../electron/crypto';
import { RELAY_DB_FILE } from '../../../electron/relay/store';
import { CLOSE_CODES, MAX_PAGE_OPS, toBase64 } from '../../../shared/sync/protocol';
import { headerOf } from '../../support/op-delivery';
import { helloAsReader, helloAsWriter, RelayTestClient } from '../../support/relay-client';
import { relayIncident, secondWriter, type RelayIncident } from '../../support/relay-incident';
import { testRelay, type TestRelay } from '../../support/relays';

/** Enough ops for three catch-up pages. */
const MANY_ENTRIES = 2 * MAX_PAGE_OPS + 50;
const SECRET_TITLE = 'Zebra-7 vault breach in Lisbon';
const secretText = (i: number) => `Operator saw tangerine-${i} anomaly on the core switch`;

let relay: TestRelay;
let incident: RelayIncident;

async function writer(i: RelayIncident = incident, deviceKey = i.deviceKey, certificate = i.certificate): Promise<RelayTestClient> {
  const client = await RelayTestClient.connect(relay.url);
  helloAsWriter(client, { incidentId: i.incidentId, writeAuthority: i.keys.writeAuthority.publicKey, deviceKey, certificate, genesis: i.genesis });
  await client.take('welcome');
  return client;
}

async function reader(i: RelayIncident = incident): Promise<RelayTestClient> {
  const client = await RelayTestClient.connect(relay.url);
  helloAsReader(client, { incidentId: i.incidentId, writeAuthority: i.keys.writeAuthority.publicKey, readAuthority: i.keys.readAuthority });
  await client.take('welcome');
  return client;
}

/** Catches up from `after`; resolves with the pages and the caught-up frame. */
async function catchUp(client: RelayTestClient, after: number) {
  client.send('catch-up', { after });
  const caughtUp = await client.take('caught-up');
  const pages = client.frames.filter((f) => f.type === 'ops');
  return { pages, caughtUp };
}

const storedRelaySeqs = (incidentId: string) =>
  relay.inspect((db) =>
    (db.prepare('SELECT relay_seq, device, seq, envelope FROM ops WHERE incident = ? ORDER BY relay_seq').all(incidentId) as {
      relay_seq: number;
      device: string;
      seq: number;
      envelope: Buffer;
    }[]),
  );

beforeAll(async () => {
  relay = await testRelay();
  incident = relayIncident({ title: SECRET_TITLE, entries: MANY_ENTRIES, text: secretText });
});

test('a push is acked only once committed, and a caught-up connection gets it live with its relay seqs', async () => {
  const pusher = await writer();
  const watcher = await reader();
  const { caughtUp } = await catchUp(watcher, 0);
  const page = incident.chain.slice(0, 5);
  pusher.send('push', { page: 1 }, page);
  const ack = await pusher.take('ack');
  expect(ack.header).toEqual({ page: 1, stored: 5, heads: { [incident.deviceId]: 5 } });
  // The ack means committed: a separate read-only connection to the file already sees all five.
  const stored = storedRelaySeqs(incident.incidentId).filter((r) => r.device === incident.deviceId);
  expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
  stored.forEach((r, i) => expect(new Uint8Array(r.envelope)).toEqual(page[i]));

  // Before the push it had caught up on the genesis alone; the five come live after that.
  expect(watcher.opsReceived().map((op) => op.envelope)).toEqual([incident.genesis]);
  const liveOps = () => watcher.opsReceived().filter((op) => op.relaySeq > caughtUp.header.headRelaySeq);
  const live = await watcher.until(() => (liveOps().length >= 5 ? liveOps() : undefined), 'five live ops');
  expect(live.map((op) => op.envelope)).toEqual(page);
  expect(live.map((op) => op.relaySeq)).toEqual(stored.map((r) => r.relay_seq));
  // The pusher does not get its own ops back.
  await pusher.roundTrip();
  expect(pusher.opsReceived()).toEqual([]);

  // Pushing the same ops again is a duplicate: acked, nothing stored twice, nothing fanned out.
  pusher.send('push', { page: 2 }, page);
  expect((await pusher.take('ack')).header).toEqual({ page: 2, stored: 0, heads: { [incident.deviceId]: 5 } });
  expect(storedRelaySeqs(incident.incidentId)).toHaveLength(6);
  pusher.close();
  watcher.close();
});

test('catch-up from 0 comes in bounded pages in relay seq order, then caught-up; from a cursor, only what follows', async () => {
  const pusher = await writer();
  const rest = incident.chain.slice(5);
  for (let i = 0, page = 10; i < rest.length; i += MAX_PAGE_OPS, page++) {
    pusher.send('push', { page }, rest.slice(i, i + MAX_PAGE_OPS));
    await pusher.take('ack', (f) => f.header.page === page);
  }
  const stored = storedRelaySeqs(incident.incidentId);
  expect(stored).toHaveLength(1 + incident.chain.length);

  const client = await reader();
  const { pages, caughtUp } = await catchUp(client, 0);
  expect(pages.length).toBeGreaterThanOrEqual(3);
  for (const p of pages) expect(p.blobs.length).toBeLessThanOrEqual(MAX_PAGE_OPS);
  expect(pages.map((p) => p.header.more)).toEqual([...pages.slice(1).map(() => true), false]);
  const received = client.opsReceived();
  expect(received.map((op) => op.relaySeq)).toEqual(stored.map((r) => r.relay_seq));
  received.forEach((op, i) => expect(op.envelope).toEqual(new Uint8Array(stored[i].envelope)));
  expect(caughtUp.header.headRelaySeq).toBe(stored[stored.length - 1].relay_seq);
  // The caught-up frame comes after the last page.
  expect(client.frames.findIndex((f) => f.type === 'caught-up')).toBeGreaterThan(client.frames.lastIndexOf(pages[pages.length - 1]));
  client.close();

  const cursor = stored[stored.length - 8].relay_seq;
  const later = await reader();
  const fromCursor = await catchUp(later, cursor);
  expect(later.opsReceived().map((op) => op.relaySeq)).toEqual(stored.slice(-7).map((r) => r.relay_seq));
  expect(fromCursor.caughtUp.header.headRelaySeq).toBe(stored[stored.length - 1].relay_seq);

  const atHead = await reader();
  const nothing = await catchUp(atHead, stored[stored.length - 1].relay_seq);
  expect(nothing.pages).toEqual([]);
  pusher.close();
  later.close();
  atHead.close();
});

test('need answers a device seq range with its ops, and an empty last page for a range it does not hold', async () => {
  const client = await reader();
  client.send('need', { device: incident.deviceId, fromSeq: 3, toSeq: 6 });
  const page = await client.take('ops');
  expect(page.header.more).toBe(false);
  expect(page.blobs).toEqual(incident.chain.slice(2, 6));
  const stored = storedRelaySeqs(incident.incidentId).filter((r) => r.device === incident.deviceId && r.seq >= 3 && r.seq <= 6);
  expect(page.header.relaySeqs).toEqual(stored.map((r) => r.relay_seq));

  client.send('need', { device: incident.deviceId, fromSeq: incident.chain.length + 1, toSeq: incident.chain.length + 100 });
  const none = await client.take('ops');
  expect(none.header).toEqual({ relaySeqs: [], more: false });
  expect(none.blobs).toEqual([]);

  client.send('need', { device: incident.deviceId, fromSeq: 1, toSeq: incident.chain.length });
  const pages = [await client.take('ops')];
  while (pages[pages.length - 1].header.more) pages.push(await client.take('ops'));
  expect(pages.length).toBeGreaterThanOrEqual(3);
  expect(pages.flatMap((p) => p.blobs)).toEqual(incident.chain);
  client.close();
});

test('presence goes to the other connections of the incident, stamped with the sender device, and is never stored', async () => {
  const { writer: charlie, certificate } = secondWriter(incident, 0);
  const alpha = await writer();
  const other = await writer(incident, charlie.core.context.keys.deviceKey, certificate);
  const watcher = await reader();
  const sealed = c.randomBytes(300);
  // The sender claims to be someone else; the relay stamps the device its hello proved.
  alpha.send('presence', { from: charlie.core.deviceId }, [sealed]);
  for (const client of [other, watcher]) {
    const presence = await client.take('presence');
    expect(presence.header.from).toBe(incident.deviceId);
    expect(presence.blobs).toEqual([sealed]);
  }
  await alpha.roundTrip();
  expect(alpha.frames.some((f) => f.type === 'presence')).toBe(false);

  watcher.send('presence', {}, [sealed]);
  expect((await watcher.error()).header.code).toBe('read-only');

  const files = fs.readdirSync(relay.dataDir).map((f) => fs.readFileSync(path.join(relay.dataDir, f)));
  for (const file of files) expect(file.indexOf(Buffer.from(sealed))).toBe(-1);
});

test('a new connection of the same device for the incident replaces the old one', async () => {
  const first = await writer();
  const second = await writer();
  expect((await first.closed()).code).toBe(CLOSE_CODES.replaced);
  // The newer one is served.
  second.send('push', { page: 1 }, incident.chain.slice(0, 1));
  expect((await second.take('ack')).header.stored).toBe(0);
  second.close();
});

test('the welcome reports the relay heads per device with head hashes', async () => {
  const client = await reader();
  const welcome = client.frames.find((f) => f.type === 'welcome')!;
  expect(welcome.type === 'welcome' && welcome.header.have[incident.deviceId]).toEqual({
    seq: incident.chain.length,
    head: toBase64(c.sha256(incident.chain[incident.chain.length - 1])),
  });
  client.close();
});

test("the relay's database holds no incident text: not the title, not a timeline entry", async () => {
  expect(headerOf(incident.chain[0]).incidentId).toBe(incident.incidentId);
  const dbFiles = fs.readdirSync(relay.dataDir).filter((f) => f.startsWith(RELAY_DB_FILE));
  expect(dbFiles).toContain(RELAY_DB_FILE);
  const bytes = Buffer.concat(dbFiles.map((f) => fs.readFileSync(path.join(relay.dataDir, f))));
  // The ops are there (their signed bytes), the words are not.
  expect(bytes.indexOf(Buffer.from(incident.chain[3]))).toBeGreaterThanOrEqual(0);
  for (const text of [SECRET_TITLE, 'Zebra-7', secretText(1), secretText(MANY_ENTRIES), 'tangerine-']) {
    expect(bytes.indexOf(Buffer.from(text, 'utf8'))).toBe(-1);
  }
});
