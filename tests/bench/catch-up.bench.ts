/**
 * Catch-up (DESIGN.md §8): a fresh device — a real core joining through the relay with the write
 * link — receives an incident of N ops, every one authenticated (§5 "Verification cost"),
 * decrypted and stored, beside the raw transfer of the same bytes over a raw `ws` connection in
 * the same run, and the peer's figure (y-websocket, ~1.28 s for 100,000 entries here).
 *
 * Setup (not measured): a source core declares an incident and writes N - 2 timeline entries in
 * batched transactions (with the genesis and the declaration, N ops), shares it through the relay
 * (running in a worker thread, so the fresh core alone uses this thread) and waits until the
 * relay holds them all. The relay's per-connection push limit is lifted for that upload only;
 * a catch-up is not rate limited.
 *
 * Measured: from `incidents.join` on a fresh core to its sync state being live, every op stored.
 * Ceiling: a raw ws server sending the same envelopes in the same `ops` frames (pages of 500) to a
 * raw client, from dialling to the last byte. Storage ceiling: the rows the fresh core wrote per op
 * (ops, timeline, arrivals, search queue) written again by raw better-sqlite3 into a store of the
 * same schema, in transactions of one page each: what SQLite alone costs for the same result, with
 * no parsing, crypto or materialising. Also, without a network, the core's ingest of the same ops
 * in pages of 500 with each mode of verification, to show what the page rule saves.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { createCore, type Core } from '../../electron/core/core';
import { incidentOps } from '../../electron/core/op-log';
import { openDatabase, prepared } from '../../electron/core/store/database';
import { searchBacklogSize } from '../../electron/core/store/search-backlog';
import { encodeFrame, MAX_PAGE_OPS } from '../../shared/sync/protocol';
import { absNow, forEachOpSeq, LightClient, startWorker, until } from './bench-net';

export interface CatchUpResult {
  ops: number;
  bytes: number;
  sitrepMs: number;
  rawMs: number;
  /** Storage ceiling: raw better-sqlite3 writing the rows the fresh core stored, same schema, same pages. */
  storeMs: number;
  /** Core ingest alone, no network: per verification mode, ms for all the pages. */
  ingestMs: Partial<Record<'each' | 'page', number>>;
}

/** y-websocket catching a fresh client up on 100,000 entries here (DESIGN.md §8). */
export const PEER_CATCH_UP_MS = 1_280;
const PEER_CATCH_UP_OPS = 100_000;
const FILL_BATCH = 1_000;
/** Generous bounds that only a hang reaches. */
const SEED_LIMIT_MS = 15 * 60_000;
const CATCH_UP_LIMIT_MS = 10 * 60_000;

const opCount = (core: Core, incidentId: string): number =>
  (prepared(core.context.db, 'SELECT count(*) AS n FROM ops WHERE incident = ?').get(incidentId) as { n: number }).n;

/** Resolves when the core's sync state for the incident is live (checked on each sync event). */
function live(core: Core, incidentId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`bench: catch-up not live within ${CATCH_UP_LIMIT_MS} ms`));
    }, CATCH_UP_LIMIT_MS);
    const unsubscribe = core.subscribe((event) => {
      if (event.type !== 'sync-changed' || event.incidentId !== incidentId) return;
      if (core.call('sync.status', { incidentId }).state !== 'live') return;
      const at = absNow();
      clearTimeout(timer);
      unsubscribe();
      resolve(at);
    });
  });
}

export async function benchCatchUp(
  ops: number,
  log: (line: string) => void,
  ingestModes: readonly ('each' | 'page')[] = ['each', 'page'],
): Promise<CatchUpResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-catchup-'));
  const relay = startWorker(new URL('./server.worker.ts', import.meta.url), {
    kind: 'relay',
    dataDir: path.join(dir, 'relay'),
    limits: { opsPerSecond: 1e9, burstOps: 1e9 },
  });
  const cores: Core[] = [];
  const open = (name: string, sync: boolean) => {
    const core = createCore({ dataDir: path.join(dir, name), sync: sync ? {} : false });
    cores.push(core);
    return core;
  };
  try {
    const { port } = await relay.request<{ port: number }>({ cmd: 'port' });

    // ——— Setup: N ops on a source core, uploaded to the relay ———
    const source = open('source', true);
    const { incidentId } = source.call('incidents.declare', { title: 'Bench catch-up', severity: 'P1' });
    const ctx = source.context;
    const kinds = ['note', 'action', 'decision'] as const;
    const fill = ctx.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const at = ctx.now();
        ctx.writeOp(incidentId, {
          kind: 'entry.add',
          entry: { id: uuidv7({ msecs: at }), kind: kinds[i % 3], text: `entry ${i}: checked web-${i % 97}, p99 latency back under 300 ms`, occurredAt: at },
        });
      }
    });
    let t = absNow();
    for (let i = 0; i < ops - 2; i += FILL_BATCH) fill(i, Math.min(ops - 2, i + FILL_BATCH));
    log(`  catch-up: wrote ${ops} ops on the source core in ${((absNow() - t) / 1000).toFixed(1)} s`);
    t = absNow();
    const { writeLink } = source.call('incidents.share', { incidentId, relay: `127.0.0.1:${port}` });
    await until(() => source.call('sync.status', { incidentId }).pendingOps === 0, 'the relay to hold every op', SEED_LIMIT_MS, 50);
    log(`  catch-up: the relay took them in ${((absNow() - t) / 1000).toFixed(1)} s`);
    const envelopes = incidentOps(source.context.db, incidentId);
    const bytes = envelopes.reduce((n, e) => n + e.length, 0);
    cores.splice(cores.indexOf(source), 1);
    source.close();

    // ——— Measured: a fresh core joins through the relay ———
    const fresh = open('fresh', true);
    const start = absNow();
    const reachedLive = live(fresh, incidentId);
    fresh.call('incidents.join', { link: writeLink!, name: 'Bench responder' });
    const end = await reachedLive;
    const held = opCount(fresh, incidentId);
    if (held < ops) throw new Error(`bench: the fresh core is live holding ${held} of ${ops} ops`);
    const sitrepMs = end - start;
    // Before the idle search indexer (electron/core/search-indexer.ts) has had a chance to run.
    const storeMs = storageCeiling(fresh, path.join(dir, 'storage-ceiling.db'));
    // The indexer then runs on this thread: let it finish before the raw transfer is measured here.
    const indexStart = absNow();
    await until(() => searchBacklogSize(fresh.context.db) === 0, 'the search index to catch up', CATCH_UP_LIMIT_MS, 10);
    log(`  catch-up: the search index took the ${ops} entries in ${((absNow() - indexStart) / 1000).toFixed(2)} s once the writes paused`);

    // ——— Ceiling: the same bytes in the same frames over a raw ws connection ———
    const frames: Uint8Array[] = [];
    for (let i = 0; i < envelopes.length; i += MAX_PAGE_OPS) {
      const page = envelopes.slice(i, i + MAX_PAGE_OPS);
      frames.push(encodeFrame('ops', { relaySeqs: page.map((_, j) => i + j + 1), more: i + MAX_PAGE_OPS < envelopes.length }, page));
    }
    const raw = startWorker(new URL('./server.worker.ts', import.meta.url), { kind: 'raw-transfer', frames });
    let rawMs: number;
    try {
      const { port: rawPort } = await raw.request<{ port: number }>({ cmd: 'port' });
      const rawStart = absNow();
      const client = await LightClient.open(`ws://127.0.0.1:${rawPort}/`);
      let received = 0;
      let rawEnd = 0;
      client.onData = (frame) => {
        received += forEachOpSeq(frame, () => undefined);
        if (received >= envelopes.length) rawEnd = absNow();
        return true;
      };
      client.send('catch-up', { after: 0 });
      await until(() => rawEnd > 0, 'the raw transfer', CATCH_UP_LIMIT_MS, 1);
      rawMs = rawEnd - rawStart;
      await client.close();
    } finally {
      await raw.request({ cmd: 'stop' }).catch(() => undefined);
      await raw.terminate();
    }

    // ——— Ingest alone, per verification mode (no network, no relay) ———
    const ingestMs: CatchUpResult['ingestMs'] = {};
    const secret = fresh.context.keys.incidentSecret(incidentId)!;
    for (const mode of ingestModes) {
      const core = open(`ingest-${mode}`, false);
      core.context.keys.putIncidentSecret(incidentId, secret.access, secret.secret);
      const t0 = absNow();
      for (let i = 0; i < envelopes.length; i += MAX_PAGE_OPS) core.ingest(envelopes.slice(i, i + MAX_PAGE_OPS), undefined, { verify: mode });
      ingestMs[mode] = absNow() - t0;
      if (opCount(core, incidentId) !== ops) throw new Error(`bench: ingest (${mode}) stored ${opCount(core, incidentId)} of ${ops} ops`);
    }
    return { ops, bytes, sitrepMs, rawMs, storeMs, ingestMs };
  } finally {
    for (const core of cores.splice(0)) core.close();
    await relay.request({ cmd: 'stop' }).catch(() => undefined);
    await relay.terminate();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The tables a catch-up writes a row of per op (the few per-device rows are left out). */
const PER_OP_TABLES = ['ops', 'timeline', 'op_arrivals', 'search_backlog'] as const;

/** Writes the fresh core's per-op rows into an empty store of the same schema, page by page; ms taken. */
function storageCeiling(fresh: Core, file: string): number {
  const rows = PER_OP_TABLES.map((table) => fresh.context.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().all() as unknown[][]);
  const db = openDatabase(file);
  try {
    const inserts = PER_OP_TABLES.map((table) =>
      db.prepare(`INSERT INTO ${table} VALUES (${(db.pragma(`table_info(${table})`) as unknown[]).map(() => '?').join(', ')})`),
    );
    const page = db.transaction((from: number) => {
      inserts.forEach((insert, i) => {
        for (const row of rows[i].slice(from, from + MAX_PAGE_OPS)) insert.run(...row);
      });
    });
    const longest = Math.max(...rows.map((r) => r.length));
    const t0 = absNow();
    for (let from = 0; from < longest; from += MAX_PAGE_OPS) page(from);
    return absNow() - t0;
  } finally {
    db.close();
  }
}

export function reportCatchUp(r: CatchUpResult): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const peerMs = (PEER_CATCH_UP_MS * r.ops) / PEER_CATCH_UP_OPS;
  const perSec = (ms: number) => `${Math.round(r.ops / (ms / 1000)).toLocaleString('en-US')} ops/s`;
  const lines = [
    `catch-up of a fresh core: ${r.ops.toLocaleString('en-US')} ops, ${(r.bytes / 1e6).toFixed(1)} MB, authenticated, decrypted, stored (target: at most the peer's ~${s(PEER_CATCH_UP_MS)})`,
    `  sitrep  ${s(r.sitrepMs)}  (${perSec(r.sitrepMs)}; a real core joining through the relay)`,
    `  ceiling ${s(r.rawMs)}  (raw ws transfer of the same bytes in the same frames)`,
    `  storage ${s(r.storeMs)}  (raw better-sqlite3 writing the same rows, same schema, one transaction per page)`,
    `  ratio   ${(r.sitrepMs / r.rawMs).toFixed(1)}× the transfer, ${(r.sitrepMs / (r.rawMs + r.storeMs)).toFixed(2)}× transfer + storage, ` +
      `${(r.sitrepMs / peerMs).toFixed(2)}× the peer's time; storage alone is ${(r.storeMs / peerMs).toFixed(2)}× the peer's time` +
      (r.ops === PEER_CATCH_UP_OPS ? '' : ` (its ${s(PEER_CATCH_UP_MS)} for ${PEER_CATCH_UP_OPS.toLocaleString('en-US')} scaled linearly to ${s(peerMs)})`),
  ];
  const { each, page } = r.ingestMs;
  if (each !== undefined) lines.push(`  ingest alone, every op's signature checked:   ${s(each)}  (${perSec(each)})`);
  if (page !== undefined) lines.push(`  ingest alone, per page (DESIGN.md §5 rule):   ${s(page)}  (${perSec(page)})`);
  return lines;
}
