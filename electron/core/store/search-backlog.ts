/**
 * The timeline's search index, kept up to date behind the writes (migration 8).
 *
 * Invariants:
 * - Every timeline rowid is in exactly one of `timeline_search` and `search_backlog`: a new row is
 *   queued here, in the transaction that inserts it, and moved into the index by
 *   `indexSearchBacklog` in a transaction of its own, with the text the row holds at that moment.
 * - What a row's search matches is `SEARCHABLE_TEXT` whether it is indexed yet or not: the
 *   search query (queries/timeline.ts) reads the index for indexed rows and scans queued rows.
 */
import { prepared, type Db } from './database';

/** What search matches in a timeline row: an entry's text, a system entry's change and author. */
export const SEARCHABLE_TEXT = /* sql */ `CASE WHEN source = 'entry' THEN text ELSE coalesce(change, '') || ' ' || by END`;

/** Queues a newly inserted timeline row for the search index. */
export function queueForSearch(db: Db, rowid: number | bigint): void {
  prepared(db, 'INSERT INTO search_backlog (rowid) VALUES (?)').run(rowid);
}

/**
 * Moves up to `limit` queued rows, oldest first, into the search index; runs inside the caller's
 * transaction. Returns how many rows are still queued.
 */
export function indexSearchBacklog(db: Db, limit: number): number {
  const queued = prepared(db, 'SELECT rowid FROM search_backlog ORDER BY rowid LIMIT ?').pluck().all(limit) as number[];
  if (queued.length > 0) {
    const last = queued[queued.length - 1];
    prepared(
      db,
      `INSERT INTO timeline_search (rowid, body)
       SELECT rowid, ${SEARCHABLE_TEXT} FROM timeline WHERE rowid IN (SELECT rowid FROM search_backlog WHERE rowid <= ?)`,
    ).run(last);
    prepared(db, 'DELETE FROM search_backlog WHERE rowid <= ?').run(last);
  }
  return searchBacklogSize(db);
}

export function searchBacklogSize(db: Db): number {
  return prepared(db, 'SELECT count(*) FROM search_backlog').pluck().get() as number;
}
