/**
 * A relay listening with TLS (DESIGN.md §5 "Relay": certificate and key files). The fixture is a
 * self-signed certificate for localhost and 127.0.0.1, made for these tests only.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startRelay } from '../../../electron/relay/server';
import { helloAsWriter, RelayTestClient } from '../../support/relay-client';
import { relayIncident } from '../../support/relay-incident';
import { testRelay } from '../../support/relays';
import { tempDir } from '../../support/temp-dir';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const tlsCert = fixture('test-cert.pem');
const tlsKey = fixture('test-key.pem');

test('with a certificate and key the relay speaks wss:// and serves a writer as usual', async () => {
  const relay = await testRelay({ tlsCert, tlsKey });
  expect(relay.url).toBe(`wss://127.0.0.1:${relay.port}/`);
  const incident = relayIncident({ entries: 2 });
  const client = await RelayTestClient.connect(relay.url, { ca: fs.readFileSync(tlsCert) });
  expect(client.challenge.epoch).toBe(relay.epoch);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: incident.deviceKey,
    certificate: incident.certificate,
    genesis: incident.genesis,
  });
  await client.take('welcome');
  client.send('push', { page: 1 }, incident.chain);
  expect((await client.take('ack')).header.stored).toBe(incident.chain.length);
  client.close();
});

test('a certificate without its key (or the reverse) is refused before anything opens', async () => {
  const dataDir = tempDir('sitrep-relay-tls-');
  await expect(startRelay({ dataDir, port: 0, tlsCert })).rejects.toThrow(/go together/);
  await expect(startRelay({ dataDir, port: 0, tlsKey })).rejects.toThrow(/go together/);
  expect(fs.readdirSync(dataDir)).toEqual([]);
});
