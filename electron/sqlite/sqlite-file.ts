/**
 * Opening one of Sitrep's SQLite files: the console's store (electron/core/store) and the relay's
 * (electron/relay). Each passes its own migrations and the words for its errors.
 *
 * Invariants:
 * - A file that is not SQLite, or fails `quick_check`, is refused with an error naming it, and is
 *   left byte-for-byte untouched (nothing is written before both checks pass).
 * - A schema newer than the migrations this build knows is refused, never downgraded.
 * - A writer opens in WAL mode with `synchronous=FULL` (a commit survives power loss) and runs the
 *   pending migrations in order, each in its own transaction with the `user_version` it reaches.
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { SitrepError } from '../../shared/errors';

export type SqliteDb = Database.Database;

/** A numbered schema change: never edited once applied; a change is a new migration. */
export interface Migration {
  version: number;
  sql: string;
}

export interface SqliteFileKind {
  /** What the file is, in errors: "Sitrep database", "Sitrep relay database". */
  name: string;
  migrations: readonly Migration[];
  /** What to do with a corrupt file, appended to the error ("restore it from a backup"). */
  whenCorrupt: string;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const BUSY_TIMEOUT_MS = 5_000;

const latestVersion = (kind: SqliteFileKind): number => kind.migrations[kind.migrations.length - 1].version;

/**
 * Opens `file` (a writer creates it when absent). A reader opens it read-only and refuses a schema
 * older than this build's, which only a writer may migrate.
 */
export function openSqliteFile(file: string, kind: SqliteFileKind, options: { readonly?: boolean } = {}): SqliteDb {
  const readonly = options.readonly ?? false;
  if (readonly && !fs.existsSync(file)) throw new SitrepError('not-found', `${file} does not exist`);
  refuseUnlessSqlite(file, kind);
  const latest = latestVersion(kind);
  const db = new Database(file, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw corrupt(file, String(check), kind);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > latest) throw new SitrepError('not-a-database', `${file} was written by a newer Sitrep (schema ${version}, this build knows ${latest})`);
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db, kind.migrations, version);
    } else if (version < latest) {
      throw new SitrepError('not-a-database', `${file} has schema ${version}; open it once with a writer (serve or the app) to migrate it`);
    }
    return db;
  } catch (error) {
    db.close();
    if (error instanceof SitrepError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) throw corrupt(file, code, kind);
    throw error;
  }
}

function refuseUnlessSqlite(file: string, kind: SqliteFileKind): void {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return;
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw new SitrepError('not-a-database', `${file} is not a ${kind.name} (it is not an SQLite file); it was left untouched`);
}

const corrupt = (file: string, why: string, kind: SqliteFileKind) =>
  new SitrepError('corrupt-database', `${file} is corrupt (${why}); it was left untouched — ${kind.whenCorrupt}`);

function migrate(db: SqliteDb, migrations: readonly Migration[], from: number): void {
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** Statements cached per connection: preparing is the expensive part of a small query. */
const statementCache = new WeakMap<SqliteDb, Map<string, Database.Statement>>();

export function prepared(db: SqliteDb, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) statementCache.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}
