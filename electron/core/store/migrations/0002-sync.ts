/**
 * Migration 2: what a device keeps about syncing through a relay (DESIGN.md §5).
 *
 * All of it is local: none of it is replicated, none of it is in `replicatedIncident`, and the op
 * log stays the only source of truth for an incident's state.
 *
 * - `sync_incidents`: per shared incident, the relay's address, the relay epoch the cursor belongs
 *   to, the cursor (every op the relay numbered at or below it is held here), the measured clock
 *   offset (relay minus device) and a write-link join's roster entry still to be written.
 * - `relay_heads`: per device, the highest contiguous seq the relay said it holds (welcome or ack),
 *   in `relay_epoch`. This device's ops above it are its outbox: pending until acknowledged.
 * - `op_arrivals`: local view marks of ops that came from a relay (relay seq, received-at).
 * - `device_clocks`: the last clock offset each device recorded in its ops, for "devices more than
 *   a minute off".
 * - `equivocations`: two different signed ops at one (incident, device, seq), both kept as evidence;
 *   that device's ops from that seq on are no longer applied.
 * - `identity_moves`: ops of this device found rolled back or cloned and re-signed by a new identity.
 */
export const version = 2;

export const sql = /* sql */ `
CREATE TABLE sync_incidents (
  incident TEXT PRIMARY KEY,
  relay_host TEXT NOT NULL,
  relay_port INTEGER NOT NULL,
  relay_tls INTEGER NOT NULL,
  relay_epoch TEXT,
  cursor INTEGER NOT NULL DEFAULT 0,
  clock_offset_ms INTEGER,
  clock_measured_at INTEGER,
  join_name TEXT
) STRICT;

CREATE TABLE relay_heads (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (incident, device)
) STRICT;

CREATE TABLE op_arrivals (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  relay_seq INTEGER,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (incident, device, seq)
) STRICT;

CREATE TABLE device_clocks (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  clock_offset_ms INTEGER NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (incident, device)
) STRICT;

CREATE TABLE equivocations (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  held_hash BLOB NOT NULL,
  held_envelope BLOB,
  offered_hash BLOB NOT NULL,
  offered_envelope BLOB,
  detected_at INTEGER NOT NULL,
  PRIMARY KEY (incident, device, seq, offered_hash)
) STRICT;

CREATE TABLE identity_moves (
  incident TEXT NOT NULL,
  from_device TEXT NOT NULL,
  from_seq INTEGER NOT NULL,
  to_device TEXT NOT NULL,
  ops INTEGER NOT NULL,
  reason TEXT NOT NULL,
  moved_at INTEGER NOT NULL
) STRICT;
`;
