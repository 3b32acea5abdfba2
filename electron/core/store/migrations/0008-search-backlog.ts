/**
 * Migration 8: a new timeline row is queued for the search index (`search_backlog`) instead of
 * indexed in the transaction that writes it; electron/core/store/search-backlog.ts moves queued
 * rows into `timeline_search` in small transactions when the core is idle. Building the trigram
 * index of a 100,000-entry catch-up cost more than storing the entries; now it is off that path.
 *
 * Invariant: every timeline rowid is in exactly one of `timeline_search` (with the text search
 * may match, as of migration 3) and `search_backlog`. The update trigger leaves a queued row to
 * the indexer (which reads the row's text when it indexes it); the delete trigger removes a row
 * from whichever of the two holds it. Rows present now are all indexed already.
 */
export const version = 8;

const SEARCHABLE = /* sql */ `CASE WHEN new.source = 'entry' THEN new.text ELSE coalesce(new.change, '') || ' ' || new.by END`;

export const sql = /* sql */ `
CREATE TABLE search_backlog (rowid INTEGER PRIMARY KEY) STRICT;

DROP TRIGGER timeline_search_update;
CREATE TRIGGER timeline_search_update AFTER UPDATE OF text, change, by, source ON timeline
WHEN (old.text IS NOT new.text OR old.change IS NOT new.change OR old.by IS NOT new.by OR old.source IS NOT new.source)
  AND NOT EXISTS (SELECT 1 FROM search_backlog WHERE rowid = old.rowid) BEGIN
  DELETE FROM timeline_search WHERE rowid = old.rowid;
  INSERT INTO timeline_search (rowid, body) VALUES (new.rowid, ${SEARCHABLE});
END;

DROP TRIGGER timeline_search_delete;
CREATE TRIGGER timeline_search_delete AFTER DELETE ON timeline BEGIN
  DELETE FROM timeline_search WHERE rowid = old.rowid;
  DELETE FROM search_backlog WHERE rowid = old.rowid;
END;
`;
