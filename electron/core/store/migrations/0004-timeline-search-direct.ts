/**
 * Migration 4: the search index of a newly inserted timeline row is written by materialise.ts
 * beside the row, not by an insert trigger. A trigger makes every timeline insert a statement with
 * a statement journal, and FTS5 flushes its pending index to a new segment at each such statement
 * (its savepoint), so a catch-up of 100,000 entries wrote 100,000 tiny segments and merged them
 * again; a plain insert into the index accumulates a page's terms in memory and writes them once.
 *
 * Invariant (unchanged): `timeline_search` holds, per timeline rowid, exactly the text search may
 * match. Inserts: materialise.ts (the only writer of new timeline rows, rebuild included) inserts
 * the index row in the same transaction; updates and deletes: the triggers of migration 3.
 */
export const version = 4;

export const sql = /* sql */ `
DROP TRIGGER timeline_search_insert;
`;
