/**
 * Opening the console's SQLite store: electron/sqlite/sqlite-file.ts with this store's migrations.
 * Its invariants (not SQLite or failing quick_check: refused and untouched; WAL with
 * synchronous=FULL; migrations at open; a newer store refused) are stated there.
 */
import { openSqliteFile, prepared, type SqliteDb, type SqliteFileKind } from '../../sqlite/sqlite-file';
import { MIGRATIONS } from './migrations';

export type Db = SqliteDb;
export { prepared };

/** The store's file name in the data folder. */
export const DATABASE_FILE = 'sitrep.db';

const STORE: SqliteFileKind = { name: 'Sitrep database', migrations: MIGRATIONS, whenCorrupt: 'restore it from a backup' };

/** Opens the store (a writer creates and migrates it; a reader opens an up-to-date one read-only). */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  return openSqliteFile(file, STORE, options);
}
