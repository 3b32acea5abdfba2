/**
 * Migration 3: a trigram index over what timeline search matches, so a substring search of an
 * incident of 100,000 entries reads the index instead of every row; and an index by kind, so the
 * count of a kind filter does not read every row either.
 *
 * Invariant: `timeline_search` holds, per timeline rowid, exactly the text search may match — an
 * entry's text (empty once redacted), or a system entry's change and author — kept so by triggers,
 * whatever writes the timeline (materialise, redaction marks, rebuild).
 */
export const version = 3;

const SEARCHABLE = /* sql */ `CASE WHEN new.source = 'entry' THEN new.text ELSE coalesce(new.change, '') || ' ' || new.by END`;

export const sql = /* sql */ `
CREATE INDEX timeline_kind ON timeline (incident, kind);

CREATE VIRTUAL TABLE timeline_search USING fts5(body, tokenize = 'trigram');

INSERT INTO timeline_search (rowid, body)
  SELECT rowid, CASE WHEN source = 'entry' THEN text ELSE coalesce(change, '') || ' ' || by END FROM timeline;

CREATE TRIGGER timeline_search_insert AFTER INSERT ON timeline BEGIN
  INSERT INTO timeline_search (rowid, body) VALUES (new.rowid, ${SEARCHABLE});
END;

CREATE TRIGGER timeline_search_update AFTER UPDATE OF text, change, by, source ON timeline
WHEN old.text IS NOT new.text OR old.change IS NOT new.change OR old.by IS NOT new.by OR old.source IS NOT new.source BEGIN
  DELETE FROM timeline_search WHERE rowid = old.rowid;
  INSERT INTO timeline_search (rowid, body) VALUES (new.rowid, ${SEARCHABLE});
END;

CREATE TRIGGER timeline_search_delete AFTER DELETE ON timeline BEGIN
  DELETE FROM timeline_search WHERE rowid = old.rowid;
END;
`;
