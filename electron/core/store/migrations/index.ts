/**
 * Numbered migrations, run in order at open inside one transaction each; `PRAGMA user_version`
 * records the last one applied. A database newer than this build is refused, never downgraded.
 */
import * as m0001 from './0001-init';
import * as m0002 from './0002-sync';
import * as m0003 from './0003-timeline-search';
import * as m0004 from './0004-timeline-search-direct';
import * as m0005 from './0005-source-polls';
import * as m0006 from './0006-directory';
import * as m0007 from './0007-samples-by-value';
import * as m0008 from './0008-search-backlog';
import type { Migration } from '../../../sqlite/sqlite-file';

export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008];
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
