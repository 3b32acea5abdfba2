import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../../electron/core/core';
import { testCore } from '../../support/cores';

const texts = (page: { entries: Array<{ text: string }> }) => page.entries.map((e) => e.text);

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
             DROP TABLE timeline_search; DROP INDEX timeline_kind; DROP TABLE source_polls; DROP INDEX samples_by_time; DROP INDEX samples_by_source; DROP TABLE directory_entries; DROP INDEX samples_by_value; PRAGMA user_version = 2;`);
    db.close();
    const reopened = createCore({ dataDir, now: clock.now });
    try {
      expect(texts(reopened.call('timeline.list', { incidentId, text: 'search index' }))).toEqual(['written before the search index']);
    } finally {
      reopened.close();
    }
  });
});
