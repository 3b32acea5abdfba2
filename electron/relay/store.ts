/**
 * The relay's SQLite store (schema: migrations/): queries as plain functions of the database, and
 * the one transaction that stores ops.
 *
 * Invariants:
 * - Opening is the core's (electron/sqlite/sqlite-file.ts): a file that is not SQLite or fails
 *   `quick_check` is refused and left untouched; WAL with `synchronous=FULL`, so an op acked after
 *   `storeOps` returned survives a crash or power loss; migrations run at open; a newer schema is refused.
 * - The epoch is random at the store's creation and never changes for that file: a wiped data
 *   folder is a new epoch, a restart is not.
 * - An incident is (id, write authority): its row is made with its genesis, in the same
 *   transaction, and its write authority never changes.
 * - `storeOps` is all or nothing: the page's ops, the heads they advance and the incident's bytes
 *   used commit together. Callers hand it only ops that passed admitOp against what is stored
 *   (each device's ops in seq order, each the next after its head), so heads stay contiguous.
 * - relay_seq only grows (AUTOINCREMENT: never reused, even after a delete), so it is a cursor.
 * - Nothing decrypted is ever stored: envelopes are kept as the bytes that were signed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openSqliteFile, prepared, type SqliteDb, type SqliteFileKind } from '../sqlite/sqlite-file';
import { MIGRATIONS } from './migrations';

export type RelayDb = SqliteDb;

export const RELAY_DB_FILE = 'relay.db';
/** Bit of ops.flags: the op's HLC was more than 24 h ahead of the relay's clock on arrival. */
export const FLAG_HLC_AHEAD = 1;

const EPOCH_BYTES = 16;
const RELAY_STORE: SqliteFileKind = {
  name: 'Sitrep relay database',
  migrations: MIGRATIONS,
  whenCorrupt: 'move it away and the relay starts a new epoch',
};
/** Owner only: the folder holds what every device of every incident sent. */
const DATA_DIR_MODE = 0o700;

export interface RelayMeta {
  relayId: string;
  epoch: string;
  createdAt: number;
}

export interface IncidentRecord {
  writeAuthority: Uint8Array;
  readAuthority: Uint8Array;
  bytesUsed: number;
}

export interface DeviceHead {
  device: string;
  publicKey: Uint8Array;
  seq: number;
  hash: Uint8Array;
}

export interface StoredEnvelope {
  relaySeq: number;
  seq: number;
  envelope: Uint8Array;
}

/** An op that passed admission, ready to store. */
export interface AdmittedOp {
  device: string;
  seq: number;
  hash: Uint8Array;
  envelope: Uint8Array;
  publicKey: Uint8Array;
  flags: number;
}

export interface Equivocation {
  incident: string;
  device: string;
  seq: number;
  heldHash: Uint8Array;
  heldEnvelope: Uint8Array;
  offeredHash: Uint8Array;
  offeredEnvelope: Uint8Array;
}

// ——— Opening ———

/** Opens (creating when absent) the relay database in `dataDir`. */
export function openRelayStore(dataDir: string, now: () => number = Date.now): RelayDb {
  fs.mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  const db = openSqliteFile(path.join(dataDir, RELAY_DB_FILE), RELAY_STORE);
  try {
    db.pragma('foreign_keys = ON');
    prepared(db, 'INSERT OR IGNORE INTO relay_meta (id, relay_id, epoch, created_at) VALUES (1, ?, ?, ?)').run(
      randomUUID(),
      randomBytes(EPOCH_BYTES).toString('hex'),
      now(),
    );
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Folds the WAL back into the database file and truncates it, so the WAL cannot grow without bound. */
export function checkpoint(db: RelayDb): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

export function closeRelayStore(db: RelayDb): void {
  if (!db.open) return;
  checkpoint(db);
  db.close();
}

// ——— Readers ———

export function relayMeta(db: RelayDb): RelayMeta {
  const row = prepared(db, 'SELECT relay_id, epoch, created_at FROM relay_meta WHERE id = 1').get() as {
    relay_id: string;
    epoch: string;
    created_at: number;
  };
  return { relayId: row.relay_id, epoch: row.epoch, createdAt: row.created_at };
}

export function incidentRecord(db: RelayDb, incident: string): IncidentRecord | undefined {
  const row = prepared(db, 'SELECT write_authority, read_authority, bytes_used FROM incidents WHERE incident = ?').get(incident) as
    | { write_authority: Uint8Array; read_authority: Uint8Array; bytes_used: number }
    | undefined;
  return row && { writeAuthority: row.write_authority, readAuthority: row.read_authority, bytesUsed: row.bytes_used };
}

export function deviceHead(db: RelayDb, incident: string, device: string): DeviceHead | undefined {
  const row = prepared(db, 'SELECT public_key, seq, hash FROM heads WHERE incident = ? AND device = ?').get(incident, device) as
    | { public_key: Uint8Array; seq: number; hash: Uint8Array }
    | undefined;
  return row && { device, publicKey: row.public_key, seq: row.seq, hash: row.hash };
}

export function headsOf(db: RelayDb, incident: string): DeviceHead[] {
  const rows = prepared(db, 'SELECT device, public_key, seq, hash FROM heads WHERE incident = ? ORDER BY device').all(incident) as {
    device: string;
    public_key: Uint8Array;
    seq: number;
    hash: Uint8Array;
  }[];
  return rows.map((r) => ({ device: r.device, publicKey: r.public_key, seq: r.seq, hash: r.hash }));
}

/** The op held at (incident, device, seq), for admission and equivocation evidence. */
export function heldOp(db: RelayDb, incident: string, device: string, seq: number): { hash: Uint8Array; envelope: Uint8Array } | undefined {
  return prepared(db, 'SELECT hash, envelope FROM ops WHERE incident = ? AND device = ? AND seq = ?').get(incident, device, seq) as
    | { hash: Uint8Array; envelope: Uint8Array }
    | undefined;
}

/** The highest relay seq among the incident's ops; 0 before any. */
export function headRelaySeq(db: RelayDb, incident: string): number {
  const row = prepared(db, 'SELECT MAX(relay_seq) AS head FROM ops WHERE incident = ?').get(incident) as { head: number | null };
  return row.head ?? 0;
}

/** The incident's ops after a relay seq, in relay seq order. */
export function opsAfter(db: RelayDb, incident: string, after: number, limit: number): StoredEnvelope[] {
  const rows = prepared(db, 'SELECT relay_seq, seq, envelope FROM ops WHERE incident = ? AND relay_seq > ? ORDER BY relay_seq LIMIT ?').all(
    incident,
    after,
    limit,
  ) as { relay_seq: number; seq: number; envelope: Uint8Array }[];
  return rows.map((r) => ({ relaySeq: r.relay_seq, seq: r.seq, envelope: r.envelope }));
}

/** One device's ops with fromSeq ≤ seq ≤ toSeq, in seq order. */
export function opsOfDevice(db: RelayDb, incident: string, device: string, fromSeq: number, toSeq: number, limit: number): StoredEnvelope[] {
  const rows = prepared(
    db,
    'SELECT relay_seq, seq, envelope FROM ops WHERE incident = ? AND device = ? AND seq >= ? AND seq <= ? ORDER BY seq LIMIT ?',
  ).all(incident, device, fromSeq, toSeq, limit) as { relay_seq: number; seq: number; envelope: Uint8Array }[];
  return rows.map((r) => ({ relaySeq: r.relay_seq, seq: r.seq, envelope: r.envelope }));
}

export function equivocationsOf(db: RelayDb, incident: string): Equivocation[] {
  const rows = prepared(
    db,
    'SELECT device, seq, held_hash, held_envelope, offered_hash, offered_envelope FROM equivocations WHERE incident = ? ORDER BY received_at, device, seq',
  ).all(incident) as {
    device: string;
    seq: number;
    held_hash: Uint8Array;
    held_envelope: Uint8Array;
    offered_hash: Uint8Array;
    offered_envelope: Uint8Array;
  }[];
  return rows.map((r) => ({
    incident,
    device: r.device,
    seq: r.seq,
    heldHash: r.held_hash,
    heldEnvelope: r.held_envelope,
    offeredHash: r.offered_hash,
    offeredEnvelope: r.offered_envelope,
  }));
}

// ——— Writers ———

/**
 * Stores admitted ops in one transaction, first creating the incident when `create` is given (its
 * genesis is then among `ops`). Returns each op's relay seq, in the order given.
 */
export function storeOps(
  db: RelayDb,
  incident: string,
  ops: readonly AdmittedOp[],
  receivedAt: number,
  create?: { writeAuthority: Uint8Array; readAuthority: Uint8Array },
): number[] {
  return db.transaction(() => {
    if (create) {
      prepared(db, 'INSERT INTO incidents (incident, write_authority, read_authority, bytes_used, created_at) VALUES (?, ?, ?, 0, ?)').run(
        incident,
        create.writeAuthority,
        create.readAuthority,
        receivedAt,
      );
    }
    const relaySeqs: number[] = [];
    let bytes = 0;
    for (const op of ops) {
      const result = prepared(
        db,
        'INSERT INTO ops (incident, device, seq, hash, envelope, received_at, flags) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(incident, op.device, op.seq, op.hash, op.envelope, receivedAt, op.flags);
      relaySeqs.push(Number(result.lastInsertRowid));
      prepared(
        db,
        `INSERT INTO heads (incident, device, public_key, seq, hash) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (incident, device) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      ).run(incident, op.device, op.publicKey, op.seq, op.hash);
      bytes += op.envelope.length;
    }
    prepared(db, 'UPDATE incidents SET bytes_used = bytes_used + ? WHERE incident = ?').run(bytes, incident);
    return relaySeqs;
  })();
}

/** Keeps both ops of an equivocation; the same pair offered again is kept once. */
export function recordEquivocation(db: RelayDb, e: Equivocation, receivedAt: number): void {
  prepared(
    db,
    `INSERT OR IGNORE INTO equivocations
       (incident, device, seq, held_hash, held_envelope, offered_hash, offered_envelope, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(e.incident, e.device, e.seq, e.heldHash, e.heldEnvelope, e.offeredHash, e.offeredEnvelope, receivedAt);
}
