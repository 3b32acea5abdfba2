/** In-process relays on 127.0.0.1 and temporary folders, every one stopped when the test file ends. */
import path from 'node:path';
import Database from 'better-sqlite3';
import { startRelay, type RelayServerOptions, type RunningRelay } from '../../electron/relay/server';
import { RELAY_DB_FILE } from '../../electron/relay/store';
import { tempDir } from './temp-dir';

export interface TestRelay extends RunningRelay {
  dataDir: string;
  /** A second, read-only connection to the relay's database: sees only what was committed. */
  inspect<R>(query: (db: Database.Database) => R): R;
}

const running: RunningRelay[] = [];

export async function testRelay(options: Partial<RelayServerOptions> = {}): Promise<TestRelay> {
  const dataDir = options.dataDir ?? tempDir('sitrep-relay-');
  const relay = await startRelay({ port: 0, ...options, dataDir });
  running.push(relay);
  return {
    ...relay,
    dataDir,
    inspect(query) {
      const db = new Database(path.join(dataDir, RELAY_DB_FILE), { readonly: true });
      try {
        return query(db);
      } finally {
        db.close();
      }
    },
  };
}

/** How many ops the relay has committed for an incident. */
export const storedOpCount = (relay: TestRelay, incident: string): number =>
  relay.inspect((db) => (db.prepare('SELECT COUNT(*) AS n FROM ops WHERE incident = ?').get(incident) as { n: number }).n);

afterAll(async () => {
  await Promise.all(running.splice(0).map((relay) => relay.close()));
});
