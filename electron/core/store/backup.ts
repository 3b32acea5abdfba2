/**
 * Backups of the whole store, taken while it is in use (SQLite's online backup), kept in rotation in
 * `<data dir>/backups/`.
 *
 * Invariants:
 * - A backup is one self-contained SQLite file (rollback journal, no -wal beside it), mode 0600, in a
 *   folder of mode 0700. It is copied in one backup step, so it is one consistent snapshot even while
 *   another process writes. It is checked (`quick_check`) before it gets its final name: a file named
 *   `sitrep-*.db` in the folder was whole when it was written.
 * - Never the key store: only the SQLite file is copied (keys.json stays beside it, DESIGN.md §4).
 * - Names sort oldest first: `sitrep-<UTC time>-<NN>.db`; rotation keeps the newest `keep`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupInfo } from '../../../shared/model/backup-info';
import { SitrepError } from '../../../shared/errors';
import { DATABASE_FILE, openDatabase, type Db } from './database';

export const BACKUPS_DIR = 'backups';
export const DEFAULT_BACKUP_EVERY_MS = 15 * 60_000;
export const DEFAULT_BACKUPS_KEPT = 24;
const BACKUP_NAME = /^sitrep-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)-(\d{2})\.db$/;
const PARTIAL_SUFFIX = '.partial';
/** Pages per backup step: all of them, so the copy is one snapshot rather than restarted by writers. */
const ALL_PAGES = 0x7fffffff;
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
/** Same-millisecond backups (a fake clock, a double click) get the next counter. */
const MAX_SAME_MOMENT = 100;

export const backupsDir = (dataDir: string): string => path.join(dataDir, BACKUPS_DIR);

const stamp = (at: number): string => new Date(at).toISOString().replace(/[:.]/g, '-');
const takenAtOf = (name: string): number | null => {
  const match = BACKUP_NAME.exec(name);
  if (!match) return null;
  const [date, time] = match[1].split('T');
  const [h, m, s, ms] = time.replace('Z', '').split('-');
  return Date.parse(`${date}T${h}:${m}:${s}.${ms}Z`);
};

/** The backups in the folder, oldest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { file, takenAt: takenAtOf(name) ?? 0, bytes: fs.statSync(file).size };
    });
}

function freshName(dir: string, at: number): string {
  for (let n = 0; n < MAX_SAME_MOMENT; n++) {
    const file = path.join(dir, `sitrep-${stamp(at)}-${String(n).padStart(2, '0')}.db`);
    if (!fs.existsSync(file) && !fs.existsSync(file + PARTIAL_SUFFIX)) return file;
  }
  throw new SitrepError('internal', `${dir}: ${MAX_SAME_MOMENT} backups in the same millisecond`);
}

/** Why the file is not a whole SQLite store, or null when `integrity_check` says ok. */
export function backupProblem(file: string): string | null {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return String(check);
    const hasOps = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = 'ops'").get() as { n: number };
    return hasOps.n === 1 ? null : 'not a Sitrep store (no op log)';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    db?.close();
  }
}

/** The newest backup that passes `integrity_check`, skipping damaged newer ones. */
export function newestGoodBackup(dataDir: string): BackupInfo | null {
  for (const backup of listBackups(dataDir).reverse()) if (backupProblem(backup.file) === null) return backup;
  return null;
}

/** Deletes all but the newest `keep` backups; returns the files deleted. */
export function rotateBackups(dataDir: string, keep: number): string[] {
  const backups = listBackups(dataDir);
  const excess = backups.slice(0, Math.max(0, backups.length - keep));
  for (const { file } of excess) fs.rmSync(file, { force: true });
  return excess.map((b) => b.file);
}

/**
 * Copies the store `db` has open (a writer's or a read-only connection) to a new backup, then
 * rotates. Other connections, in this process or another, may write meanwhile.
 */
export async function takeBackup(db: Db, dataDir: string, options: { at: number; keep: number }): Promise<BackupInfo> {
  const dir = backupsDir(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  fs.chmodSync(dir, DIR_MODE);
  const file = freshName(dir, options.at);
  const partial = file + PARTIAL_SUFFIX;
  try {
    // Created empty and private first, so the copy is never readable by others, even for a moment.
    fs.closeSync(fs.openSync(partial, 'wx', FILE_MODE));
    await db.backup(partial, { progress: () => ALL_PAGES });
    const copy = new Database(partial);
    try {
      // The copy inherits WAL mode; a backup must be one file that opens anywhere.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const problem = backupProblem(partial);
    if (problem) throw new SitrepError('corrupt-database', `the backup ${file} failed its check (${problem}); it was not kept`);
    fs.chmodSync(partial, FILE_MODE);
    fs.renameSync(partial, file);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  rotateBackups(dataDir, options.keep);
  return { file, takenAt: options.at, bytes: fs.statSync(file).size };
}

/** `sitrep backup`: a backup of the folder's store, read-only beside a running console or not. */
export async function backupDataDir(dataDir: string, options: { at: number; keep: number }): Promise<BackupInfo> {
  const db = openDatabase(path.join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return await takeBackup(db, dataDir, options);
  } finally {
    db.close();
  }
}
