/**
 * The relay store's numbered migrations, run in order at open, each in its own transaction;
 * `PRAGMA user_version` records the last one applied, and a store newer than this build is
 * refused, never downgraded. A change is a new numbered migration, never an edit of an applied one.
 */
import * as m0001 from './0001-init';
import type { Migration } from '../../sqlite/sqlite-file';


export const MIGRATIONS: readonly Migration[] = [m0001];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
