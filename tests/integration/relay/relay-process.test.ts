/**
 * A real `sitrep relay` process (DESIGN.md §5 "Relay": an ack is a durability promise; a relay
 * that lost its data shows a new epoch). Killed with SIGKILL while a client streams pages at it,
 * it loses no op it acked, and the client re-pushes from the heads the restarted relay reports.
 */
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { exited, readLines, spawnTs } from '../../support/child-process';
import { helloAsWriter, RelayTestClient } from '../../support/relay-client';
import { relayIncident, type RelayIncident } from '../../support/relay-incident';
import { tempDir } from '../../support/temp-dir';

const OPS_PER_PAGE = 2;

async function startRelayProcess(dataDir: string): Promise<{ child: ChildProcess; url: string; epoch: string }> {
  const child = spawnTs('electron/cli/main.ts', ['relay', '--port', '0', '--data-dir', dataDir]);
  const lines = await readLines(child, (line) => /epoch [0-9a-f]+/.test(line));
  const url = lines.map((l) => /listening on (ws:\/\/\S+)/.exec(l)?.[1]).find(Boolean);
  const epoch = lines.map((l) => /epoch ([0-9a-f]+)/.exec(l)?.[1]).find(Boolean);
  if (!url || !epoch) throw new Error(`unexpected relay output: ${lines.join('\n')}`);
  return { child, url, epoch };
}

async function connectWriter(url: string, incident: RelayIncident): Promise<{ client: RelayTestClient; relayHead: number }> {
  const client = await RelayTestClient.connect(url);
  helloAsWriter(client, {
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    deviceKey: incident.deviceKey,
    certificate: incident.certificate,
    genesis: incident.genesis,
  });
  const welcome = await client.take('welcome');
  return { client, relayHead: welcome.header.have[incident.deviceId]?.seq ?? 0 };
}

const pagesFrom = (ops: Uint8Array[]) => Array.from({ length: Math.ceil(ops.length / OPS_PER_PAGE) }, (_, i) => ops.slice(i * OPS_PER_PAGE, (i + 1) * OPS_PER_PAGE));

test('kill -9 mid-stream loses no acked op, the client re-pushes the rest, and the epoch survives a restart', { timeout: 120_000 }, async () => {
  const dataDir = tempDir('sitrep-relay-process-');
  const incident = relayIncident({ entries: 300 });
  const first = await startRelayProcess(dataDir);

  const { client } = await connectWriter(first.url, incident);
  expect(client.challenge.epoch).toBe(first.epoch);
  // Stream every page without waiting for acks, and kill the relay once a few have come back.
  pagesFrom(incident.chain).forEach((page, i) => client.send('push', { page: i + 1 }, page));
  await client.until(() => (client.frames.filter((f) => f.type === 'ack').length >= 3 ? true : undefined), 'three acks');
  first.child.kill('SIGKILL');
  await exited(first.child);
  await client.closed();
  const ackedHead = Math.max(...client.frames.flatMap((f) => (f.type === 'ack' ? [f.header.heads[incident.deviceId]] : [])));
  expect(ackedHead).toBeGreaterThanOrEqual(3 * OPS_PER_PAGE);

  const second = await startRelayProcess(dataDir);
  expect(second.epoch).toBe(first.epoch);
  const { client: again, relayHead } = await connectWriter(second.url, incident);
  expect(relayHead).toBeGreaterThanOrEqual(ackedHead);
  // Re-push what the relay lacks, from its head.
  const pages = pagesFrom(incident.chain.slice(relayHead));
  pages.forEach((page, i) => again.send('push', { page: i + 1 }, page));
  if (pages.length) await again.take('ack', (f) => f.header.page === pages.length);
  expect(again.frames.some((f) => f.type === 'error')).toBe(false);

  // Everything is there, once, in the device's order.
  again.send('catch-up', { after: 0 });
  const caughtUp = await again.take('caught-up');
  const received = again.opsReceived();
  expect(received.map((op) => op.envelope)).toEqual([incident.genesis, ...incident.chain]);
  expect(caughtUp.header.headRelaySeq).toBe(received[received.length - 1].relaySeq);
  again.close();

  second.child.kill('SIGTERM');
  await exited(second.child);
  expect(second.child.exitCode).toBe(0);

  // A wiped data folder is a relay that lost its data: a new epoch, and it holds nothing.
  fs.rmSync(dataDir, { recursive: true, force: true });
  const third = await startRelayProcess(dataDir);
  expect(third.epoch).not.toBe(first.epoch);
  const fresh = await RelayTestClient.connect(third.url);
  expect(fresh.challenge.epoch).toBe(third.epoch);
  fresh.close();
  third.child.kill('SIGTERM');
  await exited(third.child);
});
