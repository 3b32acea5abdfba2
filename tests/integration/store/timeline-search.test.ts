import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../../electron/core/core';
import { SEARCH_INDEX_IDLE_MS } from '../../../electron/core/search-indexer';
import { indexSearchBacklog, searchBacklogSize } from '../../../electron/core/store/search-backlog';
import type { Db } from '../../../electron/core/store/database';
import { testCore } from '../../support/cores';

const texts = (page: { entries: Array<{ text: string }> }) => page.entries.map((e) => e.text);

/** Timeline rowids in the search index and in its backlog (migration 8: each row in exactly one). */
function searchPlaces(db: Db) {
  const ids = (sql: string) => (db.prepare(sql).pluck().all() as number[]).sort((a, b) => a - b);
  return {
    timeline: ids('SELECT rowid FROM timeline'),
    indexed: ids('SELECT rowid FROM timeline_search'),
    queued: ids('SELECT rowid FROM search_backlog'),
  };
}

const indexAll = (db: Db) => db.transaction(() => indexSearchBacklog(db, -1))();

describe('timeline search', () => {
  it('finds substrings in any case, short ones too, and never a redacted text', () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Search', severity: 'P2' });
    core.call('timeline.add', { incidentId, text: 'Roll back the 14:00 deploy of checkout' });
    core.call('timeline.add', { incidentId, text: 'DB at 95% CPU' });
    const secret = core.call('timeline.add', { incidentId, text: 'token sk-live-abc123 pasted by mistake' });
    core.call('timeline.redact', { incidentId, entryId: secret.id, reason: 'secret' });

    expect(texts(core.call('timeline.list', { incidentId, text: 'ROLL BACK' }))).toEqual(['Roll back the 14:00 deploy of checkout']);
    expect(texts(core.call('timeline.list', { incidentId, text: 'eckou' }))).toEqual(['Roll back the 14:00 deploy of checkout']);
    expect(texts(core.call('timeline.list', { incidentId, text: 'db' }))).toEqual(['DB at 95% CPU']);
    expect(core.call('timeline.list', { incidentId, text: 'sk-live' }).total).toBe(0);
    // System entries match on what changed.
    core.call('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
    expect(core.call('timeline.list', { incidentId, text: 'severity' }).entries.map((e) => e.source)).toEqual(['system']);
  });

  it('indexes the entries of a store written before the index existed', () => {
    const { core, dataDir, clock } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Old store', severity: 'P2' });
    core.call('timeline.add', { incidentId, text: 'written before the search index' });
    core.close();
    // Put the store back to schema 2, as an earlier Sitrep left it.
    const db = new Database(path.join(dataDir, 'sitrep.db'));
    db.exec(`DROP TRIGGER IF EXISTS timeline_search_insert; DROP TRIGGER timeline_search_update; DROP TRIGGER timeline_search_delete;
             DROP TABLE timeline_search; DROP TABLE search_backlog; DROP INDEX timeline_kind; DROP TABLE source_polls; DROP INDEX samples_by_time; DROP INDEX samples_by_source; DROP TABLE directory_entries; DROP INDEX samples_by_value; PRAGMA user_version = 2;`);
    db.close();
    const reopened = createCore({ dataDir, now: clock.now });
    try {
      expect(texts(reopened.call('timeline.list', { incidentId, text: 'search index' }))).toEqual(['written before the search index']);
    } finally {
      reopened.close();
    }
  });

  it('finds an entry before it is indexed, the same entries after, and a text redacted in the queue never', () => {
    const { core } = testCore({ name: 'Ana' });
    const db = core.context.db;
    const { incidentId } = core.call('incidents.declare', { title: 'Queued', severity: 'P2' });
    core.call('timeline.add', { incidentId, text: 'Failover to eu-west-2 started' });
    core.call('timeline.add', { incidentId, text: 'failover of the 50% shard' });
    const secret = core.call('timeline.add', { incidentId, text: 'password hunter2 in the failover log' });
    core.call('timeline.redact', { incidentId, entryId: secret.id, reason: 'secret' });

    const before = searchPlaces(db);
    expect(before.queued).toEqual(before.timeline);
    expect(before.indexed).toEqual([]);
    const queries = ['FAILOVER', '50%', 'hunter2', 'eu-west', 'severity'];
    const queuedResults = queries.map((text) => texts(core.call('timeline.list', { incidentId, text })));
    expect(queuedResults[0]).toEqual(['Failover to eu-west-2 started', 'failover of the 50% shard']);
    expect(queuedResults[1]).toEqual(['failover of the 50% shard']);
    expect(queuedResults[2]).toEqual([]);

    expect(indexAll(db)).toBe(0);
    const after = searchPlaces(db);
    expect(after.indexed).toEqual(after.timeline);
    expect(after.queued).toEqual([]);
    expect(queries.map((text) => texts(core.call('timeline.list', { incidentId, text })))).toEqual(queuedResults);
    // The redacted entry went into the index without its text.
    expect(db.prepare('SELECT count(*) FROM timeline_search WHERE body LIKE ?').pluck().get('%hunter2%')).toBe(0);
  });

  it('keeps each row in exactly one of index and queue through redaction and rebuild', () => {
    const { core } = testCore({ name: 'Ana' });
    const db = core.context.db;
    const { incidentId } = core.call('incidents.declare', { title: 'Rebuild', severity: 'P2' });
    const first = core.call('timeline.add', { incidentId, text: 'indexed, then redacted' });
    indexAll(db);
    core.call('timeline.redact', { incidentId, entryId: first.id, reason: 'wrong incident' });
    core.call('timeline.add', { incidentId, text: 'still queued' });
    const places = searchPlaces(db);
    expect([...places.indexed, ...places.queued].sort((a, b) => a - b)).toEqual(places.timeline);
    expect(places.queued.length).toBeGreaterThan(0);
    expect(core.call('timeline.list', { incidentId, text: 'then redacted' }).total).toBe(0);

    core.rebuild();
    const rebuilt = searchPlaces(db);
    expect(rebuilt.queued).toEqual(rebuilt.timeline);
    expect(rebuilt.indexed).toEqual([]);
    expect(texts(core.call('timeline.list', { incidentId, text: 'still queued' }))).toEqual(['still queued']);
    expect(core.call('timeline.list', { incidentId, text: 'then redacted' }).total).toBe(0);
  });

  it('indexes what was queued once the writes pause', async () => {
    const { core } = testCore({ name: 'Ana' });
    const db = core.context.db;
    const { incidentId } = core.call('incidents.declare', { title: 'Idle', severity: 'P2' });
    for (let i = 0; i < 5; i++) core.call('timeline.add', { incidentId, text: `update ${i}` });
    expect(searchBacklogSize(db)).toBeGreaterThan(0);
    await vi.waitFor(() => expect(searchBacklogSize(db)).toBe(0), { timeout: SEARCH_INDEX_IDLE_MS * 25, interval: SEARCH_INDEX_IDLE_MS / 2 });
    const places = searchPlaces(db);
    expect(places.indexed).toEqual(places.timeline);
    expect(texts(core.call('timeline.list', { incidentId, text: 'update 3' }))).toEqual(['update 3']);
  });
});
