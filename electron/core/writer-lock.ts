/**
 * One writer per data folder (DESIGN.md §3).
 *
 * Invariant: the lock is an exclusive SQLite lock on `lock.db`, held for the life of the connection;
 * the kernel drops it when the process dies, so a restart after kill -9 just works, and a second
 * writer gets "already in use" at once instead of waiting.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { SitrepError } from '../../shared/errors';

export const LOCK_FILE = 'lock.db';

export interface WriterLock {
  release(): void;
}

export function acquireWriterLock(dataDir: string): WriterLock {
  const file = path.join(dataDir, LOCK_FILE);
  const lock = new Database(file, { timeout: 0 });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL) STRICT');
    lock.exec('BEGIN EXCLUSIVE');
    lock.prepare('DELETE FROM holder').run();
    lock.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    lock.exec('COMMIT');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new SitrepError(
        'already-in-use',
        `${dataDir} is already in use by another Sitrep process (a console, serve, import, restore or rebuild); close it first`,
      );
    }
    throw error;
  }
  return { release: () => lock.close() };
}
