/**
 * Who a relay serves (DESIGN.md §5 "Keys and rights", "Relay"): a hello verifies or the socket is
 * refused with a typed error and closed. Writers sign the relay's nonce with their device key and
 * are certified by the incident's write authority; readers sign it with the read authority; an
 * incident is (id, write authority), created only from a writer's hello carrying its genesis.
 */
import { nodeCrypto as c } from '../../../electron/crypto';
import { GENESIS_PAYLOAD } from '../../../shared/model/op-payload';
import { utf8Encode } from '../../../shared/sync/bytes';
import { encodeOp } from '../../../shared/sync/op-envelope';
import { CLOSE_CODES, PROTOCOL_VERSION, toBase64 } from '../../../shared/sync/protocol';
import { issueCertificate, writerKeys } from '../../../shared/sync/incident-keys';
import { helloAsReader, helloAsWriter, RelayTestClient } from '../../support/relay-client';
import { relayIncident, secondWriter, type RelayIncident } from '../../support/relay-incident';
import { storedOpCount, testRelay, type TestRelay } from '../../support/relays';

let relay: TestRelay;
let incident: RelayIncident;

const randomKey = () => c.signingKeyFromSeed(c.randomBytes(32));

/** A writer connection of the incident's author, with its certificate and (for a new incident) the genesis. */
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

async function expectRefused(client: RelayTestClient, code: string): Promise<void> {
  const error = await client.error();
  expect(error.header.code).toBe(code);
  expect((await client.closed()).code).toBe(CLOSE_CODES.refused);
}

beforeAll(async () => {
  relay = await testRelay();
  incident = relayIncident();
});

test('a certified writer with the genesis creates the incident: welcome carries the epoch and the heads', async () => {
  const client = await RelayTestClient.connect(relay.url);
  expect(client.challenge.protocol).toBe(PROTOCOL_VERSION);
  expect(client.challenge.epoch).toBe(relay.epoch);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: incident.deviceKey,
    certificate: incident.certificate,
    genesis: incident.genesis,
  });
  const welcome = await client.take('welcome');
  expect(welcome.header.epoch).toBe(relay.epoch);
  const waDevice = Object.keys(welcome.header.have);
  expect(waDevice).toHaveLength(1);
  expect(welcome.header.have[waDevice[0]]).toEqual({ seq: 1, head: toBase64(c.sha256(incident.genesis)) });
  expect(welcome.header.headRelaySeq).toBeGreaterThan(0);
  expect(storedOpCount(relay, incident.incidentId)).toBe(1);
  client.close();
});

test('a writer whose chain the relay holds needs no certificate in its hello', async () => {
  const first = await writer();
  first.send('push', { page: 1 }, incident.chain.slice(0, 2));
  await first.take('ack');
  first.close();
  const again = await RelayTestClient.connect(relay.url);
  helloAsWriter(again, { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey, deviceKey: incident.deviceKey });
  const welcome = await again.take('welcome');
  expect(welcome.header.have[incident.deviceId].seq).toBe(2);
  again.close();
});

test('a reader signing with the read authority is welcomed', async () => {
  const client = await RelayTestClient.connect(relay.url);
  helloAsReader(client, { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey, readAuthority: incident.keys.readAuthority });
  const welcome = await client.take('welcome');
  expect(welcome.header.have[incident.deviceId].seq).toBeGreaterThanOrEqual(2);
  client.close();
});

test('a reader that has no genesis yet names no write authority and is known by the read authority alone', async () => {
  const client = await RelayTestClient.connect(relay.url);
  helloAsReader(client, { incidentId: incident.incidentId, writeAuthority: new Uint8Array(0), readAuthority: incident.keys.readAuthority });
  await client.take('welcome');
  client.close();
  const impostor = await RelayTestClient.connect(relay.url);
  helloAsReader(impostor, { incidentId: incident.incidentId, writeAuthority: new Uint8Array(0), readAuthority: randomKey() });
  await expectRefused(impostor, 'unauthorized');
  const unknown = relayIncident({ entries: 0 });
  const early = await RelayTestClient.connect(relay.url);
  helloAsReader(early, { incidentId: unknown.incidentId, writeAuthority: new Uint8Array(0), readAuthority: unknown.keys.readAuthority });
  await expectRefused(early, 'unknown-incident');
});

test('a hello signed over another nonce is refused as unauthorized', async () => {
  const client = await RelayTestClient.connect(relay.url);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: incident.deviceKey,
    certificate: incident.certificate,
    nonce: c.randomBytes(32),
  });
  await expectRefused(client, 'unauthorized');
});

test('a reader hello signed by anything but the read authority is refused', async () => {
  const client = await RelayTestClient.connect(relay.url);
  helloAsReader(client, { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey, readAuthority: randomKey() });
  await expectRefused(client, 'unauthorized');
});

test('a writer without a certificate, or with one from another write authority, is refused', async () => {
  const mallory = randomKey();
  const none = await RelayTestClient.connect(relay.url);
  helloAsWriter(none, { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey, deviceKey: mallory });
  await expectRefused(none, 'unauthorized');

  const forged = await RelayTestClient.connect(relay.url);
  const otherWa = writerKeys(c, c.randomBytes(32)).writeAuthority;
  helloAsWriter(forged, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: mallory,
    certificate: issueCertificate(otherWa, mallory.publicKey, incident.incidentId),
  });
  await expectRefused(forged, 'unauthorized');
});

test('a second writer with a certificate from the write authority is welcomed', async () => {
  const { writer: charlie, certificate } = secondWriter(incident);
  const client = await RelayTestClient.connect(relay.url);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: charlie.core.context.keys.deviceKey,
    certificate,
  });
  await client.take('welcome');
  client.close();
});

test('a reader that pushes is refused as read-only and stays connected', async () => {
  const client = await RelayTestClient.connect(relay.url);
  helloAsReader(client, { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey, readAuthority: incident.keys.readAuthority });
  await client.take('welcome');
  const before = storedOpCount(relay, incident.incidentId);
  client.send('push', { page: 7 }, incident.chain.slice(2, 4));
  const error = await client.error();
  expect(error.header).toMatchObject({ code: 'read-only', page: 7 });
  expect(storedOpCount(relay, incident.incidentId)).toBe(before);
  await client.roundTrip();
  client.close();
});

test('an unknown incident without its genesis is refused', async () => {
  const unknown = relayIncident({ entries: 1 });
  const client = await RelayTestClient.connect(relay.url);
  helloAsWriter(client, {
    incidentId: unknown.incidentId,
    writeAuthority: unknown.keys.writeAuthority.publicKey,
    deviceKey: unknown.deviceKey,
    certificate: unknown.certificate,
  });
  await expectRefused(client, 'unknown-incident');
  const reader = await RelayTestClient.connect(relay.url);
  helloAsReader(reader, { incidentId: unknown.incidentId, writeAuthority: unknown.keys.writeAuthority.publicKey, readAuthority: unknown.keys.readAuthority });
  await expectRefused(reader, 'unknown-incident');
  expect(storedOpCount(relay, unknown.incidentId)).toBe(0);
});

test('a hello carrying a forged genesis is refused and creates nothing', async () => {
  const unknown = relayIncident({ entries: 1 });
  const client = await RelayTestClient.connect(relay.url);
  const tampered = new Uint8Array(unknown.genesis);
  tampered[tampered.length - 1] ^= 1;
  helloAsWriter(client, {
    incidentId: unknown.incidentId,
    writeAuthority: unknown.keys.writeAuthority.publicKey,
    deviceKey: unknown.deviceKey,
    certificate: unknown.certificate,
    genesis: tampered,
  });
  const error = await client.error('op-rejected');
  expect(error.header.details?.[0]).toBe('bad-signature');
  await client.closed();
  expect(relay.inspect((db) => db.prepare('SELECT COUNT(*) AS n FROM incidents WHERE incident = ?').get(unknown.incidentId))).toEqual({ n: 0 });
});

test('a second genesis for a held incident id under another write authority is refused as unknown-incident', async () => {
  const impostor = writerKeys(c, c.randomBytes(32));
  const mallory = randomKey();
  // A genesis of the impostor's own for the same incident id, signed by its own write authority.
  const genesis = encodeOp(c, {
    type: 'genesis',
    incidentId: incident.incidentId,
    seq: 1,
    hlc: { ms: Date.now(), counter: 0 },
    prev: new Uint8Array(32),
    clockOffsetMs: 0,
    devicePublicKey: impostor.writeAuthority.publicKey,
    readAuthorityPublicKey: impostor.readAuthority.publicKey,
    payload: utf8Encode(GENESIS_PAYLOAD),
    contentKey: impostor.contentKey,
    signer: impostor.writeAuthority,
  });
  const client = await RelayTestClient.connect(relay.url);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: impostor.writeAuthority.publicKey,
    deviceKey: mallory,
    certificate: issueCertificate(impostor.writeAuthority, mallory.publicKey, incident.incidentId),
    genesis,
  });
  await expectRefused(client, 'unknown-incident');
  const held = relay.inspect((db) => db.prepare('SELECT write_authority FROM incidents WHERE incident = ?').get(incident.incidentId)) as {
    write_authority: Buffer;
  };
  expect(new Uint8Array(held.write_authority)).toEqual(incident.keys.writeAuthority.publicKey);
  // The real incident is still served.
  (await writer()).close();
});

test('a hello of another protocol version is refused as unsupported-protocol', async () => {
  const client = await RelayTestClient.connect(relay.url);
  client.send('hello', {
    protocol: PROTOCOL_VERSION + 1,
    incident: incident.incidentId,
    writeAuthority: toBase64(incident.keys.writeAuthority.publicKey),
    as: 'writer',
    key: toBase64(incident.deviceKey.publicKey),
    signature: toBase64(new Uint8Array(64)),
    cursor: null,
    have: {},
  });
  await expectRefused(client, 'unsupported-protocol');
});

test('frames before a hello are refused as unauthorized, and the connection can still say hello', async () => {
  const client = await RelayTestClient.connect(relay.url);
  client.send('catch-up', { after: 0 });
  expect((await client.error()).header.code).toBe('unauthorized');
  client.send('push', { page: 1 }, [incident.chain[0]]);
  expect((await client.error()).header.code).toBe('unauthorized');
  helloAsWriter(client, { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey, deviceKey: incident.deviceKey });
  await client.take('welcome');
  client.close();
});
