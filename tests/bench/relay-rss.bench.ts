/**
 * Relay memory at 1,000 idle connections (DESIGN.md §8: under 200 MB). The relay runs as its own
 * process, `sitrep relay` (electron/cli/main.ts through tsx, as `npm run relay` does), and its
 * resident set is read from /proc/<pid>/status (VmRSS) once it listens and again once every
 * connection has authenticated and subscribed. The connections come from this process: light
 * protocol clients, no cores, spread over several incidents, half of them writers (each its own
 * device with its certificate) and half readers; each says hello, catches up (the incident's
 * backlog) and is then live, answering the relay's pings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { encodeFrame } from '../../shared/sync/protocol';
import { benchIncident, benchWriter, LightClient, openMany, readerKey, until, writerOps, type BenchIncident } from './bench-net';

export interface RelayRssResult {
  connections: number;
  incidents: number;
  opsPerIncident: number;
  rssBeforeKb: number;
  rssAfterKb: number;
  hwmKb: number;
}

export const RSS_TARGET_MB = 200;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const INCIDENTS = 10;
const OPS_PER_INCIDENT = 200;
const WAVE = 25;
/** Lets the relay finish what the last connections started before it is measured. */
const SETTLE_MS = 2_000;
const START_LIMIT_MS = 60_000;
const STOP_LIMIT_MS = 10_000;

function procStatus(pid: number): { rssKb: number; hwmKb: number } {
  const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
}

function startRelayProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/main.ts', 'relay', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => reject(new Error(`bench: sitrep relay did not start within ${START_LIMIT_MS} ms: ${stderr}`)), START_LIMIT_MS);
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const url = /listening on (ws:\/\/\S+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ child, url });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: sitrep relay exited (${code}): ${stderr}`));
    });
  });
}

async function stopRelayProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_LIMIT_MS);
  await exited;
  clearTimeout(timer);
}

/** The incident's first writer: creates it on the relay (genesis in the hello) and pushes its backlog. */
async function seed(url: string, incident: BenchIncident): Promise<LightClient> {
  const writer = benchWriter(incident);
  const client = await LightClient.open(url);
  await client.hello({
    incidentId: incident.incidentId,
    writeAuthority: incident.keys.writeAuthority.publicKey,
    as: 'writer',
    key: writer.key,
    certificate: writer.certificate,
    genesis: incident.genesis,
  });
  client.ws.send(encodeFrame('push', { page: 1 }, writerOps(incident, writer, OPS_PER_INCIDENT)));
  await client.next('ack');
  await client.subscribe();
  return client;
}

export async function benchRelayRss(connections: number, log: (line: string) => void): Promise<RelayRssResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-rss-'));
  const clients: LightClient[] = [];
  let child: ChildProcess | undefined;
  try {
    const started = await startRelayProcess(dataDir);
    child = started.child;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const before = procStatus(child.pid!);
    const incidents = Array.from({ length: Math.min(INCIDENTS, connections) }, () => benchIncident());
    for (const incident of incidents) clients.push(await seed(started.url, incident));
    const rest = await openMany(connections - incidents.length, WAVE, async (i) => {
      const incident = incidents[i % incidents.length];
      const client = await LightClient.open(started.url);
      const base = { incidentId: incident.incidentId, writeAuthority: incident.keys.writeAuthority.publicKey };
      if (i % 2 === 0) {
        const writer = benchWriter(incident);
        await client.hello({ ...base, as: 'writer', key: writer.key, certificate: writer.certificate });
      } else {
        await client.hello({ ...base, as: 'reader', key: readerKey(incident) });
      }
      await client.subscribe();
      return client;
    });
    clients.push(...rest);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await until(() => clients.every((client) => !client.closed), 'every connection to stay open', 1_000);
    const after = procStatus(child.pid!);
    log(`  relay rss: ${clients.length} connections open on ${incidents.length} incidents`);
    return {
      connections: clients.length,
      incidents: incidents.length,
      opsPerIncident: OPS_PER_INCIDENT,
      rssBeforeKb: before.rssKb,
      rssAfterKb: after.rssKb,
      hwmKb: after.hwmKb,
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    if (child) await stopRelayProcess(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export function reportRelayRss(r: RelayRssResult): string[] {
  const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
  const perConnection = (r.rssAfterKb - r.rssBeforeKb) / r.connections;
  return [
    `relay memory at ${r.connections} idle connections (authenticated, subscribed; ${r.incidents} incidents of ${r.opsPerIncident} ops; target: under ${RSS_TARGET_MB} MB)`,
    `  sitrep relay process (sitrep relay): VmRSS ${mb(r.rssBeforeKb)} listening → ${mb(r.rssAfterKb)} with the connections (peak ${mb(r.hwmKb)})`,
    `  ${perConnection.toFixed(1)} kB per connection; ${((r.rssAfterKb / 1024 / RSS_TARGET_MB) * 100).toFixed(0)}% of the target`,
  ];
}
