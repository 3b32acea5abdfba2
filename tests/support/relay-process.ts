/** A real `sitrep relay` process on 127.0.0.1 (electron/cli/main.ts), started on a port and a data folder. */
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { RELAY_DB_FILE } from '../../electron/relay/store';
import { exited, readLines, spawnTs } from './child-process';

export interface RelayProcess {
  child: ChildProcess;
  port: number;
  epoch: string;
  dataDir: string;
}

/** Starts `sitrep relay` and resolves once it printed where it listens and its epoch. `port` 0 picks a free one. */
export async function startRelayProcess(dataDir: string, port = 0): Promise<RelayProcess> {
  const child = spawnTs('electron/cli/main.ts', ['relay', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir]);
  const lines = await readLines(child, (line) => /epoch [0-9a-f]+/.test(line));
  const listening = lines.map((l) => /listening on wss?:\/\/[^\s:]+:(\d+)/.exec(l)?.[1]).find(Boolean);
  const epoch = lines.map((l) => /epoch ([0-9a-f]+)/.exec(l)?.[1]).find(Boolean);
  if (!listening || !epoch) throw new Error(`unexpected relay output: ${lines.join('\n')}`);
  return { child, port: Number(listening), epoch, dataDir };
}

/** SIGKILL: no shutdown code runs, as in a power cut of the relay's process. */
export async function killRelayProcess(relay: RelayProcess): Promise<void> {
  relay.child.kill('SIGKILL');
  await exited(relay.child);
}

export async function stopRelayProcess(relay: RelayProcess): Promise<void> {
  relay.child.kill('SIGTERM');
  await exited(relay.child);
}

/** Reads a relay's database (running, or a copy of a killed one's folder) without writing to it. */
export function readRelayDb<R>(dataDir: string, query: (db: Database.Database) => R): R {
  const db = new Database(path.join(dataDir, RELAY_DB_FILE), { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

/** Per device of an incident: the seq of the last op the relay holds. */
export const relayDeviceHeads = (dataDir: string, incidentId: string): Record<string, number> =>
  readRelayDb(dataDir, (db) =>
    Object.fromEntries((db.prepare('SELECT device, seq FROM heads WHERE incident = ?').all(incidentId) as { device: string; seq: number }[]).map((h) => [h.device, h.seq])),
  );
