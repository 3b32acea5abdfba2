/**
 * Opening the SQLite store.
 *
 * Invariants:
 * - A file that is not SQLite, or fails `quick_check`, is refused with an error naming it, and is
 *   left byte-for-byte untouched (nothing is written before both checks pass).
 * - A writable store runs in WAL mode with `synchronous=FULL`: a committed op survives power loss.
 * - Migrations run at open, each in its own transaction; a store newer than this build is refused.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SitrepError } from '../../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** The store's file name in the data folder. */
export const DATABASE_FILE = 'sitrep.db';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const BUSY_TIMEOUT_MS = 5_000;

function refuseUnlessSqlite(file: string): void {
  if (!fs.existsSync(file)) return;
  const size = fs.statSync(file).size;
  if (size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) {
    throw new SitrepError('not-a-database', `${file} is not a Sitrep database (it is not an SQLite file); it was left untouched`);
  }
}

function corrupt(file: string, why: string): SitrepError {
  return new SitrepError('corrupt-database', `${file} is corrupt (${why}); it was left untouched — restore it from a backup`);
}

export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  const readonly = options.readonly ?? false;
  if (readonly && !fs.existsSync(file)) throw new SitrepError('not-found', `${file} does not exist`);
  refuseUnlessSqlite(file);
  const db = new Database(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corrupt(file, String(check));
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION) {
      throw new SitrepError('not-a-database', `${file} was written by a newer Sitrep (schema ${version}, this build knows ${LATEST_SCHEMA_VERSION})`);
    }
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db, version);
    } else if (version < LATEST_SCHEMA_VERSION) {
      throw new SitrepError('not-a-database', `${file} has schema ${version}; open it once with a writer (serve or the app) to migrate it`);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof SitrepError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) throw corrupt(file, code);
    throw error;
  }
}

function migrate(db: Db, from: number): void {
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** Statements cached per connection: preparing is the expensive part of a small query. */
const statementCache = new WeakMap<Db, Map<string, Database.Statement>>();

export function prepared(db: Db, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
