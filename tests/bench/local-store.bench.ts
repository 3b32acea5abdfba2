/**
 * The core's local write and read path against its ceiling, raw better-sqlite3 on the same machine
 * in the same run (DESIGN.md §8): committing an entry in an incident of 100,000 entries, and
 * filtering/searching that timeline.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../electron/core/core';
import { indexSearchBacklog } from '../../electron/core/store/search-backlog';
import { fmt, summarize, time, type LatencySummary } from './stats';

export interface LocalStoreResult {
  entries: number;
  commit: LatencySummary;
  rawCommit: LatencySummary;
  search: LatencySummary;
  /** The same searches while every entry is still queued for the search index (scanned). */
  searchQueued: LatencySummary;
  /** Moving the whole backlog into the trigram index, in ms (done in chunks when idle in the app). */
  indexMs: number;
  rawSearch: LatencySummary;
  filter: LatencySummary;
}

const MEASURED = 1_000;
const QUERIES = 50;
const FILL_BATCH = 1_000;

export function benchLocalStore(entries: number, log: (line: string) => void): LocalStoreResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-bench-'));
  try {
    const core = createCore({ dataDir: path.join(dir, 'core') });
    const { incidentId } = core.call('incidents.declare', { title: 'Bench', severity: 'P1' });
    const kinds = ['note', 'action', 'decision'] as const;
    // The fill is not measured: batches of commands share one transaction (one fsync) to save time.
    const fillBatch = core.context.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) core.call('timeline.add', { incidentId, kind: kinds[i % 3], text: `entry ${i} on host web-${i % 97}` });
    });
    const fill = time(() => {
      for (let i = 0; i < entries - MEASURED; i += FILL_BATCH) fillBatch(i, Math.min(entries - MEASURED, i + FILL_BATCH));
    });
    log(`  filled ${entries - MEASURED} entries in ${(fill.ms / 1000).toFixed(1)} s`);
    const commits: number[] = [];
    let envelopeBytes = 0;
    for (let i = 0; i < MEASURED; i++) {
      const { ms } = time(() => core.call('timeline.add', { incidentId, text: `measured entry ${i}` }));
      commits.push(ms);
    }
    envelopeBytes = (core.context.db.prepare('SELECT avg(length(envelope)) AS b FROM ops').get() as { b: number }).b;
    const searchOnce = (i: number) => time(() => core.call('timeline.list', { incidentId, text: `web-${i % 97}`, limit: 200 })).ms;
    // Nothing above yielded to the event loop, so every entry is still queued for the search index.
    const searchQueued: number[] = [];
    for (let i = 0; i < QUERIES; i++) searchQueued.push(searchOnce(i));
    const db = core.context.db;
    const indexMs = time(() => db.transaction(() => indexSearchBacklog(db, -1))()).ms;
    const search: number[] = [];
    const filter: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      search.push(searchOnce(i));
      filter.push(time(() => core.call('timeline.list', { incidentId, kinds: ['decision'], limit: 200 })).ms);
    }
    core.close();

    const raw = new Database(path.join(dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT NOT NULL, envelope BLOB NOT NULL)');
    const insert = raw.prepare('INSERT INTO t (text, envelope) VALUES (?, ?)');
    const blob = Buffer.alloc(Math.round(envelopeBytes));
    const many = raw.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run(`entry ${i} on host web-${i % 97}`, blob);
    });
    many(entries - MEASURED);
    const rawCommits: number[] = [];
    for (let i = 0; i < MEASURED; i++) rawCommits.push(time(() => insert.run(`measured entry ${i}`, blob)).ms);
    const rawQuery = raw.prepare("SELECT id, text FROM t WHERE text LIKE ? ESCAPE '\\' ORDER BY id LIMIT 200");
    const rawCount = raw.prepare("SELECT count(*) FROM t WHERE text LIKE ? ESCAPE '\\'");
    const rawSearch: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      rawSearch.push(time(() => (rawCount.get(`%web-${i % 97}%`), rawQuery.all(`%web-${i % 97}%`))).ms);
    }
    raw.close();
    return {
      entries,
      commit: summarize(commits),
      rawCommit: summarize(rawCommits),
      search: summarize(search),
      searchQueued: summarize(searchQueued),
      indexMs,
      rawSearch: summarize(rawSearch),
      filter: summarize(filter),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function reportLocalStore(r: LocalStoreResult): string[] {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}×`;
  return [
    `local entry commit in an incident of ${r.entries} entries (target: p99 under one frame, 16 ms)`,
    `  sitrep  p50 ${fmt(r.commit.p50)}  p99 ${fmt(r.commit.p99)}`,
    `  ceiling p50 ${fmt(r.rawCommit.p50)}  p99 ${fmt(r.rawCommit.p99)}  (raw better-sqlite3 insert, synchronous=FULL)`,
    `  ratio   p50 ${ratio(r.commit.p50, r.rawCommit.p50)}  p99 ${ratio(r.commit.p99, r.rawCommit.p99)}`,
    `timeline text search over ${r.entries} entries, first page (target: under 100 ms)`,
    `  sitrep  p50 ${fmt(r.search.p50)}  p99 ${fmt(r.search.p99)}`,
    `  ceiling p50 ${fmt(r.rawSearch.p50)}  p99 ${fmt(r.rawSearch.p99)}  (raw LIKE scan + count)`,
    `  ratio   p50 ${ratio(r.search.p50, r.rawSearch.p50)}  p99 ${ratio(r.search.p99, r.rawSearch.p99)}`,
    `  before the idle indexer ran (all ${r.entries} queued, scanned): p50 ${fmt(r.searchQueued.p50)}  p99 ${fmt(r.searchQueued.p99)}` +
      ` (${ratio(r.searchQueued.p99, r.rawSearch.p99)} the ceiling); indexing them all took ${(r.indexMs / 1000).toFixed(2)} s`,
    `timeline kind filter, first page: p50 ${fmt(r.filter.p50)}  p99 ${fmt(r.filter.p99)}`,
  ];
}
