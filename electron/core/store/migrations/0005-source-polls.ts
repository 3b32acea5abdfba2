/**
 * Migration 5: each poll of a metric source, up or down with its reason (samples.add's `polls`), so
 * a source's status and outages are a function of the op set like its samples; and indexes that let
 * a chart read one metric's range, and alerts one series' latest samples, without sorting them all.
 *
 * Invariant: a row per (incident, source, polling device, t); the source's status is its latest
 * row, and an outage starts at the first down row after its latest up row.
 */
export const version = 5;

export const sql = /* sql */ `
CREATE TABLE source_polls (
  incident TEXT NOT NULL,
  source TEXT NOT NULL,
  device TEXT NOT NULL,
  t INTEGER NOT NULL,
  up INTEGER NOT NULL,
  reason TEXT,
  PRIMARY KEY (incident, source, device, t)
) STRICT;

CREATE INDEX samples_by_time ON samples (incident, metric, t, value);
CREATE INDEX samples_by_source ON samples (incident, source, metric, t, value);
`;
