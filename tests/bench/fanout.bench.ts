/**
 * Fan-out (DESIGN.md §8): one sender's ops through the real relay to N subscribed clients, beside
 * its ceiling measured in the same run: a raw `ws` server broadcasting the same bytes to the same
 * number of raw `ws` clients.
 *
 * Who runs where (three threads, so no client shares an event loop with the server it measures):
 * - the server in a worker thread (server.worker.ts): the relay through startRelay, with its SQLite
 *   store in a temporary folder, or the raw broadcaster;
 * - the receivers in another worker thread (fanout-clients.worker.ts): light protocol clients, not
 *   cores (readers of the incident: they authenticate and catch up, then note arrival times);
 * - the sender here: a writer device with its certificate, pushing real signed, encrypted ops the
 *   way the sync client does (one page in flight; what became ready meanwhile goes in the next page).
 *
 * Latency is per op per receiver, from the moment the sender had the op (rate runs: generated;
 * saturation runs: put in a page) to the moment that receiver's code read it. Delivered ops/s
 * counts every (op, receiver) pair over the span from the first measured op to its last arrival.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RelayLimits } from '../../electron/relay/relay';
import { encodeFrame } from '../../shared/sync/protocol';
import { absNow, benchIncident, benchWriter, LightClient, startWorker, until, writerOps, type BenchIncident } from './bench-net';
import { fmt, summarize, type LatencySummary } from './stats';

export interface FanoutCase {
  clients: number;
  /** Ops per second; undefined: saturation (as fast as acks allow, `batch` ops per page). */
  rate?: number;
  batch: number;
  /** Ops measured, after `warmup` ops that are not. */
  ops: number;
  warmup: number;
}

export interface FanoutSide {
  deliveredPerSec: number;
  /** Ops the sender got acknowledged per second. */
  sentPerSec: number;
  latency: LatencySummary;
  /** (op, receiver) pairs that never arrived within the wait. */
  missing: number;
}

export interface FanoutResult extends FanoutCase {
  sitrep: FanoutSide;
  raw: FanoutSide;
}

const ACK_FRAME = 5;
const ERROR_FRAME = 13;
/** Saturation runs lift the relay's per-connection rate limit (2,000 ops/s by default) so the relay itself is measured. */
const UNLIMITED: Partial<RelayLimits> = { opsPerSecond: 1e9, burstOps: 1e9 };
/** After the last ack, how long the receivers may take to get everything. */
const DELIVERY_WAIT_MS = 60_000;

interface SendTimes {
  readyAt: Float64Array;
  lastAckAt: number;
}

/** Pushes seqs 1..ops.length: at `rate` ops/s, or (no rate) as fast as acks allow. */
async function send(client: LightClient, ops: Uint8Array[], c: FanoutCase): Promise<SendTimes> {
  const total = ops.length;
  const readyAt = new Float64Array(total + 1);
  const pending: number[] = [];
  let next = 1;
  let inFlight = 0;
  let acked = 0;
  let page = 0;
  let lastAckAt = 0;
  let failure: string | undefined;
  const flush = () => {
    if (inFlight > 0 || pending.length === 0) return;
    const seqs = pending.splice(0, c.batch);
    if (c.rate === undefined) {
      const t = absNow();
      for (const s of seqs) readyAt[s] = t;
    }
    inFlight = seqs.length;
    client.ws.send(encodeFrame('push', { page: ++page }, seqs.map((s) => ops[s - 1])));
  };
  client.onData = (bytes) => {
    if (bytes[0] === ACK_FRAME) {
      acked += inFlight;
      inFlight = 0;
      lastAckAt = absNow();
      flush();
      return true;
    }
    if (bytes[0] === ERROR_FRAME) {
      failure = `the relay refused a push: ${new TextDecoder().decode(bytes.subarray(5, 400))}`;
      return true;
    }
    return false;
  };
  if (c.rate === undefined) {
    for (; next <= total; next++) pending.push(next);
    flush();
  } else {
    const start = absNow();
    const interval = 1000 / c.rate;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor((absNow() - start) / interval) + 1);
        for (; next <= due; next++) {
          readyAt[next] = absNow();
          pending.push(next);
        }
        flush();
        if (next > total || failure) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
  }
  await until(() => acked === total || failure !== undefined, `acks for ${total} ops`, 10 * 60_000, 1);
  if (failure) throw new Error(failure);
  return { readyAt, lastAckAt };
}

async function runSide(variant: 'relay' | 'raw', c: FanoutCase, incident: BenchIncident, ops: Uint8Array[], sender: ReturnType<typeof benchWriter>): Promise<FanoutSide> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-fanout-'));
  const server = startWorker(new URL('./server.worker.ts', import.meta.url), {
    kind: variant === 'relay' ? 'relay' : 'raw-broadcast',
    dataDir,
    limits: c.rate === undefined ? UNLIMITED : undefined,
  });
  const receivers = startWorker(new URL('./fanout-clients.worker.ts', import.meta.url), {});
  let senderClient: LightClient | undefined;
  try {
    const { port } = await server.request<{ port: number }>({ cmd: 'port' });
    const url = `ws://127.0.0.1:${port}/`;
    if (variant === 'relay') {
      senderClient = await LightClient.open(url);
      await senderClient.hello({
        incidentId: incident.incidentId,
        writeAuthority: incident.keys.writeAuthority.publicKey,
        as: 'writer',
        key: sender.key,
        certificate: sender.certificate,
        genesis: incident.genesis,
      });
    } else {
      senderClient = await LightClient.open(`${url}send`);
    }
    await receivers.request({
      cmd: 'connect',
      url,
      variant,
      count: c.clients,
      incidentId: incident.incidentId,
      writeAuthority: incident.keys.writeAuthority.publicKey,
      readSecret: incident.readSecret,
    });
    const firstSeq = c.warmup + 1;
    const lastSeq = ops.length;
    await receivers.request({ cmd: 'arm', firstSeq, lastSeq });
    const sent = await send(senderClient, ops, c);
    let progress = { received: 0, expected: 1 };
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    while (Date.now() < deadline) {
      progress = await receivers.request<{ received: number; expected: number }>({ cmd: 'progress' });
      if (progress.received >= progress.expected) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const { times } = await receivers.request<{ times: Float64Array[] }>({ cmd: 'collect' });
    const samples: number[] = [];
    let lastArrival = 0;
    for (const row of times) {
      for (let seq = firstSeq; seq <= lastSeq; seq++) {
        if (row[seq] === 0) continue;
        samples.push(row[seq] - sent.readyAt[seq]);
        if (row[seq] > lastArrival) lastArrival = row[seq];
      }
    }
    const firstReady = sent.readyAt[firstSeq];
    return {
      deliveredPerSec: samples.length / ((lastArrival - firstReady) / 1000),
      sentPerSec: (lastSeq - firstSeq + 1) / ((sent.lastAckAt - firstReady) / 1000),
      latency: summarize(samples),
      missing: progress.expected - progress.received,
    };
  } finally {
    await senderClient?.close();
    await receivers.request({ cmd: 'close' }).catch(() => undefined);
    await receivers.terminate();
    await server.request({ cmd: 'stop' }).catch(() => undefined);
    await server.terminate();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function benchFanout(c: FanoutCase, log: (line: string) => void): Promise<FanoutResult> {
  const incident = benchIncident();
  const sender = benchWriter(incident);
  const ops = writerOps(incident, sender, c.warmup + c.ops);
  const what = c.rate === undefined ? `saturation, ${c.batch} op${c.batch === 1 ? '' : 's'} per page` : `${c.rate} ops/s`;
  log(`  fan-out to ${c.clients} clients, ${what}: ${c.ops} ops (+${c.warmup} warm-up) of ${ops[ops.length - 1].length} bytes`);
  const raw = await runSide('raw', c, incident, ops, sender);
  const sitrep = await runSide('relay', c, incident, ops, sender);
  return { ...c, sitrep, raw };
}

export function reportFanout(r: FanoutResult): string[] {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} ops/s`;
  const side = (s: FanoutSide) =>
    `delivered ${rate(s.deliveredPerSec)} (sender acked ${rate(s.sentPerSec)})  p50 ${fmt(s.latency.p50)}  p99 ${fmt(s.latency.p99)}  max ${fmt(s.latency.max)}` +
    (s.missing ? `  MISSING ${s.missing} deliveries` : '');
  const title =
    r.rate === undefined
      ? `fan-out saturation to ${r.clients} clients: one page of ${r.batch} op${r.batch === 1 ? '' : 's'} in flight, ${r.ops} ops (relay rate limit lifted; throughput is the figure, latency includes the receivers' backlog)`
      : `fan-out at ${r.rate} ops/s to ${r.clients} clients, ${r.ops} ops (target: p99 within 2× raw ws; peer at 100 clients: p99 ~15 ms, raw ~4.6 ms)`;
  return [
    title,
    `  sitrep  ${side(r.sitrep)}`,
    `  ceiling ${side(r.raw)}  (raw ws broadcast of the same bytes)`,
    `  ratio   p50 ${ratio(r.sitrep.latency.p50, r.raw.latency.p50)}  p99 ${ratio(r.sitrep.latency.p99, r.raw.latency.p99)}  throughput ${(r.sitrep.deliveredPerSec / r.raw.deliveredPerSec).toFixed(2)} of raw`,
  ];
}
