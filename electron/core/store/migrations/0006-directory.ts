/**
 * Migration 6: the team directory (shared/model/directory.ts). Local to this device and never
 * replicated: it is no op's effect, so `sitrep rebuild` leaves it as it is, like `settings`.
 */
export const version = 6;

export const sql = /* sql */ `
CREATE TABLE directory_entries (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,
  phone TEXT NOT NULL,
  email TEXT NOT NULL,
  link TEXT NOT NULL,
  notes TEXT NOT NULL
) STRICT;
CREATE INDEX directory_by_name ON directory_entries (kind, name);
`;
