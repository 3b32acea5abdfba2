/**
 * Putting a backup in place of the store (`sitrep restore`).
 *
 * Invariants:
 * - It holds the writer lock throughout: it refuses while a console (or serve, import, rebuild) runs.
 * - The backup passes `integrity_check` before anything is touched; a damaged one changes nothing.
 * - The current store is never deleted: it (and its -wal/-shm, so its last writes stay readable) is
 *   renamed aside to `sitrep.db.before-restore-<UTC time>`; then a private copy of the backup is
 *   fsynced and renamed into place, so the store is either the old file or the whole backup.
 * - Keys are untouched: keys.json stays beside the store (backups never hold it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { SitrepError } from '../../../shared/errors';
import { acquireWriterLock } from '../writer-lock';
import { backupProblem, newestGoodBackup } from './backup';
import { DATABASE_FILE } from './database';

const SIDE_FILES = ['-wal', '-shm'] as const;
const FILE_MODE = 0o600;

export interface RestoreReport {
  restored: string;
  /** Where the store that was in place now is; null when the folder had none. */
  keptAside: string | null;
}

/** The backup a restore would use: the file given, or the newest good one of the folder. */
export function chooseBackup(dataDir: string, from: string | undefined): string {
  if (from) return path.resolve(from);
  const newest = newestGoodBackup(dataDir);
  if (!newest) throw new SitrepError('not-found', `no good backup in ${path.join(dataDir, 'backups')}`);
  return newest.file;
}

export function restoreStore(dataDir: string, backup: string, now: number): RestoreReport {
  const lock = acquireWriterLock(dataDir);
  try {
    if (!fs.existsSync(backup)) throw new SitrepError('not-found', `${backup} does not exist`);
    const problem = backupProblem(backup);
    if (problem) throw new SitrepError('corrupt-database', `${backup} is not a good backup (${problem}); nothing was changed`);

    const store = path.join(dataDir, DATABASE_FILE);
    const incoming = `${store}.restoring`;
    fs.copyFileSync(backup, incoming);
    fs.chmodSync(incoming, FILE_MODE);
    const fd = fs.openSync(incoming, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }

    let keptAside: string | null = null;
    if (fs.existsSync(store)) {
      keptAside = `${store}.before-restore-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(store, keptAside);
      for (const side of SIDE_FILES) if (fs.existsSync(store + side)) fs.renameSync(store + side, keptAside + side);
    }
    fs.renameSync(incoming, store);
    return { restored: backup, keptAside };
  } finally {
    lock.release();
  }
}
