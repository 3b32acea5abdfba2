/**
 * The relay's store opens like the core's (DESIGN.md §5 "Relay": synchronous=FULL, acks are
 * durability promises): a foreign or newer file is refused and left untouched; a new folder gets a
 * random epoch that its reopenings keep.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION } from '../../../electron/relay/migrations';
import { closeRelayStore, openRelayStore, RELAY_DB_FILE, relayMeta } from '../../../electron/relay/store';
import { SitrepError } from '../../../shared/errors';
import { tempDir } from '../../support/temp-dir';

const refusal = (dataDir: string): SitrepError => {
  try {
    closeRelayStore(openRelayStore(dataDir));
  } catch (error) {
    if (error instanceof SitrepError) return error;
    throw error;
  }
  throw new Error('the store opened');
};

test('a new store runs in WAL with synchronous=FULL and keeps its epoch across reopenings', () => {
  const dataDir = path.join(tempDir(), 'nested', 'relay');
  const db = openRelayStore(dataDir);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('synchronous', { simple: true })).toBe(2);
  expect(db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
  const meta = relayMeta(db);
  expect(meta.epoch).toMatch(/^[0-9a-f]{32}$/);
  closeRelayStore(db);
  const again = openRelayStore(dataDir);
  expect(relayMeta(again)).toEqual(meta);
  closeRelayStore(again);
  const other = openRelayStore(tempDir());
  expect(relayMeta(other).epoch).not.toBe(meta.epoch);
  closeRelayStore(other);
});

test('a file that is not SQLite is refused and left byte-for-byte untouched', () => {
  const dataDir = tempDir();
  const file = path.join(dataDir, RELAY_DB_FILE);
  fs.writeFileSync(file, 'not a database, but somebody’s notes');
  const before = fs.readFileSync(file);
  expect(refusal(dataDir).code).toBe('not-a-database');
  expect(fs.readFileSync(file)).toEqual(before);
});

test('a store written by a newer relay is refused', () => {
  const dataDir = tempDir();
  const raw = new Database(path.join(dataDir, RELAY_DB_FILE));
  raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
  raw.close();
  const error = refusal(dataDir);
  expect(error.code).toBe('not-a-database');
  expect(error.message).toMatch(/newer/);
});
