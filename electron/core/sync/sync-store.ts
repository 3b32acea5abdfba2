/**
 * The sync tables (migration 0002) as plain functions of the database: readers and writers, each
 * run inside the caller's transaction where it writes.
 *
 * Invariants:
 * - The cursor only ever names a relay seq whose ops, and every op the relay numbered below it
 *   for this incident, are held in `ops` (callers advance it in the transaction that stored them).
 * - `relay_heads` belong to `relay_epoch`: a new epoch clears them and the cursor together.
 * - Nothing here is replicated state: a rebuild leaves it alone and convergence ignores it.
 */
import { prepared, type Db } from '../store/database';
import type { RelayAddress } from './relay-address';

export interface SyncedIncident {
  incident: string;
  relay: RelayAddress;
  epoch: string | null;
  cursor: number;
  clockOffsetMs: number | null;
  clockMeasuredAt: number | null;
  joinName: string | null;
}

interface SyncRow {
  incident: string;
  relay_host: string;
  relay_port: number;
  relay_tls: number;
  relay_epoch: string | null;
  cursor: number;
  clock_offset_ms: number | null;
  clock_measured_at: number | null;
  join_name: string | null;
}

const toSynced = (r: SyncRow): SyncedIncident => ({
  incident: r.incident,
  relay: { host: r.relay_host, port: r.relay_port, tls: r.relay_tls === 1 },
  epoch: r.relay_epoch,
  cursor: r.cursor,
  clockOffsetMs: r.clock_offset_ms,
  clockMeasuredAt: r.clock_measured_at,
  joinName: r.join_name,
});

export function syncedIncidents(db: Db): SyncedIncident[] {
  return (prepared(db, 'SELECT * FROM sync_incidents ORDER BY incident').all() as SyncRow[]).map(toSynced);
}

export function syncedIncident(db: Db, incident: string): SyncedIncident | undefined {
  const row = prepared(db, 'SELECT * FROM sync_incidents WHERE incident = ?').get(incident) as SyncRow | undefined;
  return row && toSynced(row);
}

/** Points an incident at a relay; a different relay starts with no epoch, cursor or heads. */
export function setRelay(db: Db, incident: string, relay: RelayAddress): void {
  const current = syncedIncident(db, incident);
  const same = current && current.relay.host === relay.host && current.relay.port === relay.port && current.relay.tls === relay.tls;
  if (same) return;
  prepared(
    db,
    `INSERT INTO sync_incidents (incident, relay_host, relay_port, relay_tls, relay_epoch, cursor) VALUES (?, ?, ?, ?, NULL, 0)
     ON CONFLICT (incident) DO UPDATE SET relay_host = excluded.relay_host, relay_port = excluded.relay_port,
       relay_tls = excluded.relay_tls, relay_epoch = NULL, cursor = 0`,
  ).run(incident, relay.host, relay.port, relay.tls ? 1 : 0);
  prepared(db, 'DELETE FROM relay_heads WHERE incident = ?').run(incident);
}

export function setJoinName(db: Db, incident: string, name: string | null): void {
  prepared(db, 'UPDATE sync_incidents SET join_name = ? WHERE incident = ?').run(name, incident);
}

/** Adopts the relay's epoch: another epoch than the stored one drops the cursor and the relay's heads. */
export function adoptEpoch(db: Db, incident: string, epoch: string): boolean {
  const current = syncedIncident(db, incident);
  if (current?.epoch === epoch) return false;
  prepared(db, 'UPDATE sync_incidents SET relay_epoch = ?, cursor = 0 WHERE incident = ?').run(epoch, incident);
  prepared(db, 'DELETE FROM relay_heads WHERE incident = ?').run(incident);
  return true;
}

export function advanceCursor(db: Db, incident: string, relaySeq: number): void {
  prepared(db, 'UPDATE sync_incidents SET cursor = max(cursor, ?) WHERE incident = ?').run(relaySeq, incident);
}

export function recordClockOffset(db: Db, incident: string, offsetMs: number, at: number): void {
  prepared(db, 'UPDATE sync_incidents SET clock_offset_ms = ?, clock_measured_at = ? WHERE incident = ?').run(offsetMs, at, incident);
}

/** The most recently measured offset (relay minus device) over every relay, or 0. */
export function latestClockOffset(db: Db): number {
  const row = prepared(
    db,
    'SELECT clock_offset_ms FROM sync_incidents WHERE clock_offset_ms IS NOT NULL ORDER BY clock_measured_at DESC LIMIT 1',
  ).get() as { clock_offset_ms: number } | undefined;
  return row?.clock_offset_ms ?? 0;
}

export function relayHeads(db: Db, incident: string): Map<string, number> {
  const rows = prepared(db, 'SELECT device, seq FROM relay_heads WHERE incident = ?').all(incident) as { device: string; seq: number }[];
  return new Map(rows.map((r) => [r.device, r.seq]));
}

/** What the relay says it holds of a device; never lowered by an ack of an older page. */
export function raiseRelayHead(db: Db, incident: string, device: string, seq: number): void {
  prepared(
    db,
    `INSERT INTO relay_heads (incident, device, seq) VALUES (?, ?, ?)
     ON CONFLICT (incident, device) DO UPDATE SET seq = max(seq, excluded.seq)`,
  ).run(incident, device, seq);
}

/** The relay's heads exactly as its welcome listed them. */
export function replaceRelayHeads(db: Db, incident: string, heads: ReadonlyMap<string, number>): void {
  prepared(db, 'DELETE FROM relay_heads WHERE incident = ?').run(incident);
  for (const [device, seq] of heads) raiseRelayHead(db, incident, device, seq);
}

export interface HeldHead {
  device: string;
  seq: number;
  hash: Uint8Array;
}

export function heldHeads(db: Db, incident: string): HeldHead[] {
  return (prepared(db, 'SELECT device, head_seq AS seq, head_hash AS hash FROM devices WHERE incident = ?').all(incident) as HeldHead[]);
}

export function heldHashAt(db: Db, incident: string, device: string, seq: number): Uint8Array | undefined {
  return (prepared(db, 'SELECT hash FROM ops WHERE incident = ? AND device = ? AND seq = ?').get(incident, device, seq) as { hash: Uint8Array } | undefined)
    ?.hash;
}

export function heldEnvelopeAt(db: Db, incident: string, device: string, seq: number): Uint8Array | undefined {
  return (
    prepared(db, 'SELECT envelope FROM ops WHERE incident = ? AND device = ? AND seq = ?').get(incident, device, seq) as
      | { envelope: Uint8Array }
      | undefined
  )?.envelope;
}

/** A device's ops in seq order from `fromSeq`, at most `limit`. */
export function deviceOps(db: Db, incident: string, device: string, fromSeq: number, limit: number): { seq: number; envelope: Uint8Array }[] {
  return prepared(db, 'SELECT seq, envelope FROM ops WHERE incident = ? AND device = ? AND seq >= ? ORDER BY seq LIMIT ?').all(
    incident,
    device,
    fromSeq,
    limit,
  ) as { seq: number; envelope: Uint8Array }[];
}

/** This device's ops (under any of its identities) the relay has not acknowledged. */
export function pendingOwnOps(db: Db, incident: string, identities: readonly string[]): number {
  if (identities.length === 0) return 0;
  const placeholders = identities.map(() => '?').join(', ');
  const row = db
    .prepare(
      `SELECT coalesce(sum(max(d.head_seq - coalesce(r.seq, 0), 0)), 0) AS n FROM devices d
       LEFT JOIN relay_heads r ON r.incident = d.incident AND r.device = d.device
       WHERE d.incident = ? AND d.device IN (${placeholders})`,
    )
    .get(incident, ...identities) as { n: number };
  return row.n;
}

export function recordArrival(db: Db, incident: string, device: string, seq: number, relaySeq: number | null, at: number): void {
  prepared(db, 'INSERT OR IGNORE INTO op_arrivals (incident, device, seq, relay_seq, received_at) VALUES (?, ?, ?, ?, ?)').run(
    incident,
    device,
    seq,
    relaySeq,
    at,
  );
}

export function recordDeviceClock(db: Db, incident: string, device: string, offsetMs: number, at: number): void {
  prepared(
    db,
    `INSERT INTO device_clocks (incident, device, clock_offset_ms, seen_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (incident, device) DO UPDATE SET clock_offset_ms = excluded.clock_offset_ms, seen_at = excluded.seen_at`,
  ).run(incident, device, offsetMs, at);
}

export function skewedDevices(db: Db, incident: string, limitMs: number): string[] {
  return (
    prepared(db, 'SELECT device FROM device_clocks WHERE incident = ? AND abs(clock_offset_ms) > ? ORDER BY device').all(incident, limitMs) as {
      device: string;
    }[]
  ).map((r) => r.device);
}

/** Devices more than `limitMs` off, with the offset (relay host minus device) they last recorded. */
export function skewedDeviceOffsets(db: Db, incident: string, limitMs: number): Map<string, number> {
  const rows = prepared(db, 'SELECT device, clock_offset_ms FROM device_clocks WHERE incident = ? AND abs(clock_offset_ms) > ?').all(incident, limitMs) as {
    device: string;
    clock_offset_ms: number;
  }[];
  return new Map(rows.map((r) => [r.device, r.clock_offset_ms]));
}

export interface Equivocation {
  device: string;
  seq: number;
  heldHash: Uint8Array;
  offeredHash: Uint8Array;
  detectedAt: number;
}

export function recordEquivocation(
  db: Db,
  incident: string,
  e: Equivocation & { heldEnvelope: Uint8Array | null; offeredEnvelope: Uint8Array | null },
): void {
  prepared(
    db,
    `INSERT INTO equivocations (incident, device, seq, held_hash, held_envelope, offered_hash, offered_envelope, detected_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (incident, device, seq, offered_hash) DO UPDATE SET
       held_envelope = coalesce(held_envelope, excluded.held_envelope),
       offered_envelope = coalesce(offered_envelope, excluded.offered_envelope)`,
  ).run(incident, e.device, e.seq, e.heldHash, e.heldEnvelope, e.offeredHash, e.offeredEnvelope, e.detectedAt);
}

export function equivocations(db: Db, incident: string): Equivocation[] {
  return (
    prepared(
      db,
      'SELECT device, seq, held_hash, offered_hash, detected_at FROM equivocations WHERE incident = ? ORDER BY detected_at, device, seq',
    ).all(incident) as { device: string; seq: number; held_hash: Uint8Array; offered_hash: Uint8Array; detected_at: number }[]
  ).map((r) => ({ device: r.device, seq: r.seq, heldHash: r.held_hash, offeredHash: r.offered_hash, detectedAt: r.detected_at }));
}

/** Per equivocating device, the first seq at which two ops were seen: nothing from there on is applied. */
export function blockedDevices(db: Db, incident: string): Map<string, number> {
  const rows = prepared(db, 'SELECT device, min(seq) AS seq FROM equivocations WHERE incident = ? GROUP BY device').all(incident) as {
    device: string;
    seq: number;
  }[];
  return new Map(rows.map((r) => [r.device, r.seq]));
}

export interface IdentityMove {
  fromDevice: string;
  fromSeq: number;
  toDevice: string;
  ops: number;
  reason: string;
  movedAt: number;
}

export function recordIdentityMove(db: Db, incident: string, m: IdentityMove): void {
  prepared(
    db,
    'INSERT INTO identity_moves (incident, from_device, from_seq, to_device, ops, reason, moved_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(incident, m.fromDevice, m.fromSeq, m.toDevice, m.ops, m.reason, m.movedAt);
}

export function identityMoves(db: Db, incident: string): IdentityMove[] {
  return (
    prepared(db, 'SELECT from_device, from_seq, to_device, ops, reason, moved_at FROM identity_moves WHERE incident = ? ORDER BY moved_at').all(
      incident,
    ) as { from_device: string; from_seq: number; to_device: string; ops: number; reason: string; moved_at: number }[]
  ).map((r) => ({ fromDevice: r.from_device, fromSeq: r.from_seq, toDevice: r.to_device, ops: r.ops, reason: r.reason, movedAt: r.moved_at }));
}

/** The incident's genesis as signed bytes and its write authority, once held. */
export function genesisOf(db: Db, incident: string): { device: string; envelope: Uint8Array; writeAuthority: Uint8Array } | undefined {
  return prepared(
    db,
    `SELECT a.genesis_device AS device, o.envelope AS envelope, a.write_authority_key AS writeAuthority FROM incident_authority a
     JOIN ops o ON o.incident = a.incident AND o.device = a.genesis_device AND o.seq = 1 WHERE a.incident = ?`,
  ).get(incident) as { device: string; envelope: Uint8Array; writeAuthority: Uint8Array } | undefined;
}
