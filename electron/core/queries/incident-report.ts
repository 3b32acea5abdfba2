/**
 * Gathers what an export renders (shared/report): one incident's replicated state read from the
 * materialised tables, and the instant it was read. Reads only, so it works on a store opened
 * read-only beside a running console (`sitrep export`).
 */
import { SitrepError } from '../../../shared/errors';
import type { IncidentReport } from '../../../shared/report/incident-report';
import { prepared, type Db } from '../store/database';
import { replicatedIncident } from './replicated-state';

export function incidentReport(db: Db, incidentId: string, generatedAt: number): IncidentReport {
  return { ...replicatedIncident(db, incidentId), generatedAt };
}

/** A shortest prefix a person is asked to type: shorter ones match too many UUIDv7s of one day. */
export const MIN_ID_PREFIX = 4;

/** The incident a person named by its id or a unique prefix of it (as `sitrep export` accepts). */
export function resolveIncidentId(db: Db, idOrPrefix: string): string {
  const wanted = idOrPrefix.trim().toLowerCase();
  if (wanted.length < MIN_ID_PREFIX) throw new SitrepError('invalid-argument', `incident "${idOrPrefix}": give the id or at least ${MIN_ID_PREFIX} of its first characters`);
  const rows = prepared(db, "SELECT id, title FROM incidents WHERE id = ? OR substr(id, 1, length(?)) = ? ORDER BY id").all(wanted, wanted, wanted) as {
    id: string;
    title: string;
  }[];
  const exact = rows.find((r) => r.id === wanted);
  if (exact) return exact.id;
  if (rows.length === 0) throw new SitrepError('not-found', `no incident ${idOrPrefix} on this device`);
  if (rows.length > 1) {
    throw new SitrepError('invalid-argument', `incident "${idOrPrefix}" matches ${rows.length} incidents (${rows.map((r) => `${r.id} "${r.title}"`).join(', ')}): give more of the id`);
  }
  return rows[0].id;
}
