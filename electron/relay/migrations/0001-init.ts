/**
 * Migration 1: the relay's whole store (store.ts states its invariants). It holds signed, encrypted
 * op envelopes exactly as pushed, and never anything decrypted.
 *
 * The DDL is a string in a module, as the core's migrations are, and not a .sql file read at run
 * time: the desktop app bundles the relay (hosted relays) into one script, where no file beside the
 * source exists to be read.
 */
export const version = 1;

export const sql = /* sql */ `
-- One row: who this relay is. epoch is random at creation and never reused, so a client that
-- sees another epoch knows the relay lost its data and re-seeds it.
CREATE TABLE relay_meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  relay_id TEXT NOT NULL,
  epoch TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- An incident is known by its id and the write authority its genesis was signed by; the id is the
-- key, so a second genesis for the same id under another write authority has nowhere to go.
CREATE TABLE incidents (
  incident TEXT PRIMARY KEY,
  write_authority BLOB NOT NULL,
  read_authority BLOB NOT NULL,
  bytes_used INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Every op stored, in arrival order: relay_seq is the catch-up cursor and is never reused.
-- flags: bit 0 = HLC more than 24 h ahead of the relay's clock when it arrived.
CREATE TABLE ops (
  relay_seq INTEGER PRIMARY KEY AUTOINCREMENT,
  incident TEXT NOT NULL REFERENCES incidents (incident),
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL,
  envelope BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  flags INTEGER NOT NULL,
  UNIQUE (incident, device, seq)
) STRICT;
CREATE INDEX ops_by_incident ON ops (incident, relay_seq);

-- Per (incident, device): the highest seq held (always contiguous from 1) and that op's hash.
CREATE TABLE heads (
  incident TEXT NOT NULL REFERENCES incidents (incident),
  device TEXT NOT NULL,
  public_key BLOB NOT NULL,
  seq INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (incident, device)
) STRICT;

-- Two different signed ops offered at one (incident, device, seq): both kept, as evidence.
CREATE TABLE equivocations (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  held_hash BLOB NOT NULL,
  held_envelope BLOB NOT NULL,
  offered_hash BLOB NOT NULL,
  offered_envelope BLOB NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (incident, device, seq, offered_hash)
) STRICT;
`;
