/**
 * Moves queued timeline rows into the search index (store/search-backlog.ts) when the core is idle:
 * `SEARCH_INDEX_IDLE_MS` after the last change, then chunk by chunk, one transaction per chunk and
 * back to the event loop between chunks. A catch-up that writes page after page keeps pushing it
 * back, so indexing never slows it; a search never waits for it (queued rows are scanned).
 */
import type { Db } from './store/database';
import { indexSearchBacklog, searchBacklogSize } from './store/search-backlog';

export const SEARCH_INDEX_IDLE_MS = 200;
export const SEARCH_INDEX_CHUNK_ROWS = 2_000;

export interface SearchIndexer {
  /** Something was committed: index after the next idle moment. */
  changed(): void;
  close(): void;
}

export function createSearchIndexer(db: Db): SearchIndexer {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const schedule = (ms: number) => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };
  const run = () => {
    timer = undefined;
    if (closed) return;
    try {
      const left = db.transaction(() => indexSearchBacklog(db, SEARCH_INDEX_CHUNK_ROWS))();
      if (left > 0) schedule(0);
    } catch (error) {
      // Rolled back: the rows stay queued (and searchable) and are tried after the next change.
      console.error('search indexing failed:', error);
    }
  };
  if (searchBacklogSize(db) > 0) schedule(SEARCH_INDEX_IDLE_MS);
  return {
    changed: () => schedule(SEARCH_INDEX_IDLE_MS),
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
