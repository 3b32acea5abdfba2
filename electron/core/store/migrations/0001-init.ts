/**
 * Migration 1: the op log and everything materialised from it.
 *
 * `ops`, `incident_authority` and `devices` are the source of truth; every other table is derived
 * from them and `sitrep rebuild` recreates it. `settings` holds local, unreplicated choices.
 */
export const version = 1;

export const sql = /* sql */ `
CREATE TABLE incident_authority (
  incident TEXT PRIMARY KEY,
  write_authority_key BLOB NOT NULL,
  read_authority_key BLOB NOT NULL,
  genesis_device TEXT NOT NULL
) STRICT;

CREATE TABLE ops (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hlc_ms INTEGER NOT NULL,
  hlc_counter INTEGER NOT NULL,
  hash BLOB NOT NULL,
  envelope BLOB NOT NULL,
  kind TEXT NOT NULL,
  applied INTEGER NOT NULL,
  UNIQUE (incident, device, seq)
) STRICT;
CREATE INDEX ops_unapplied ON ops (applied) WHERE applied = 0;

CREATE TABLE devices (
  incident TEXT NOT NULL,
  device TEXT NOT NULL,
  public_key BLOB NOT NULL,
  head_seq INTEGER NOT NULL,
  head_hash BLOB NOT NULL,
  PRIMARY KEY (incident, device)
) STRICT;

CREATE TABLE clock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  hlc_ms INTEGER NOT NULL,
  hlc_counter INTEGER NOT NULL
) STRICT;
INSERT INTO clock (id, hlc_ms, hlc_counter) VALUES (1, 0, 0);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  declared_by_device TEXT NOT NULL,
  declared_at INTEGER NOT NULL,
  declaration TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  status TEXT NOT NULL,
  phase TEXT NOT NULL,
  drill INTEGER NOT NULL,
  commander TEXT
) STRICT;

CREATE TABLE field_writes (
  incident TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hlc_ms INTEGER NOT NULL,
  hlc_counter INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  value TEXT NOT NULL,
  pred TEXT NOT NULL,
  reason TEXT,
  PRIMARY KEY (incident, entity_type, entity_id, field, device, seq)
) STRICT;

CREATE TABLE field_values (
  incident TEXT NOT NULL,
  entity_type TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  heads TEXT NOT NULL,
  conflicted INTEGER NOT NULL,
  PRIMARY KEY (incident, entity_type, entity_id, field)
) STRICT;

CREATE TABLE people (
  incident TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  contact TEXT NOT NULL,
  device_ids TEXT NOT NULL,
  removed INTEGER NOT NULL,
  PRIMARY KEY (incident, id)
) STRICT;

CREATE TABLE roster (
  incident TEXT NOT NULL,
  role_key TEXT NOT NULL,
  holder TEXT,
  conflicted INTEGER NOT NULL,
  set_by TEXT NOT NULL,
  set_at INTEGER NOT NULL,
  PRIMARY KEY (incident, role_key)
) STRICT;

CREATE TABLE checklist (
  incident TEXT NOT NULL,
  item TEXT NOT NULL,
  status TEXT NOT NULL,
  assignee TEXT,
  note TEXT NOT NULL,
  status_by TEXT,
  status_at INTEGER,
  conflicted INTEGER NOT NULL,
  PRIMARY KEY (incident, item)
) STRICT;

CREATE TABLE tasks (
  incident TEXT NOT NULL,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  owner TEXT,
  due_at INTEGER,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (incident, id)
) STRICT;

CREATE TABLE timeline (
  incident TEXT NOT NULL,
  id TEXT NOT NULL,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  hlc_ms INTEGER NOT NULL,
  hlc_counter INTEGER NOT NULL,
  device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  by TEXT NOT NULL,
  template TEXT,
  alert_key TEXT,
  relation TEXT,
  refers_to TEXT,
  change TEXT,
  starred INTEGER NOT NULL DEFAULT 0,
  superseded_by TEXT,
  retracted_by TEXT,
  redacted_by TEXT,
  PRIMARY KEY (incident, id)
) STRICT;
CREATE INDEX timeline_order ON timeline (incident, occurred_at, hlc_ms, hlc_counter, device, seq);
CREATE INDEX timeline_refers ON timeline (incident, refers_to) WHERE refers_to IS NOT NULL;

CREATE TABLE samples (
  incident TEXT NOT NULL,
  source TEXT NOT NULL,
  metric TEXT NOT NULL,
  t INTEGER NOT NULL,
  value REAL NOT NULL,
  device TEXT NOT NULL,
  PRIMARY KEY (incident, metric, source, device, t)
) STRICT;
`;
