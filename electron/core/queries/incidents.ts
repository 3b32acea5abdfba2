/**
 * Reading incidents: the list, and one incident's replicated state folded from its writes.
 * Queries are plain functions of the database (Signal's ts/sql style).
 */
import { SitrepError } from '../../../shared/errors';
import { concurrentlyChangedFields, foldIncident, type IncidentFacts, type TimedFieldWrite } from '../../../shared/model/fold-incident';
import type { IncidentState } from '../../../shared/model/incident';
import type { DeclarePayload } from '../../../shared/model/op-payload';
import type { IncidentSummary, IncidentView } from '../../../shared/model/views';
import { roleKey } from '../../../shared/playbook/schema';
import { prepared, type Db } from '../store/database';

/** Fields whose concurrent change the header and roster flag. */
export const FLAGGED_FIELDS = ['severity', 'status', 'phase', 'title'] as const;

/**
 * Parsed declarations, by incident: parsing the pinned playbook is the costliest part of a small
 * command. Keyed on the stored text too, so a rolled-back or rebuilt row is never served stale.
 */
const parsedDeclarations = new WeakMap<Db, Map<string, { text: string; declaration: DeclarePayload }>>();

export function declarationOf(db: Db, incident: string): DeclarePayload {
  const row = prepared(db, 'SELECT declaration FROM incidents WHERE id = ?').get(incident) as { declaration: string } | undefined;
  if (!row) throw new SitrepError('not-found', `no incident ${incident} on this device`);
  let cache = parsedDeclarations.get(db);
  if (!cache) parsedDeclarations.set(db, (cache = new Map()));
  const hit = cache.get(incident);
  if (hit && hit.text === row.declaration) return hit.declaration;
  const declaration = JSON.parse(row.declaration) as DeclarePayload;
  cache.set(incident, { text: row.declaration, declaration });
  return declaration;
}

interface WriteRow {
  field: string;
  device: string;
  seq: number;
  hlc_ms: number;
  hlc_counter: number;
  at: number;
  value: string;
  pred: string;
}

const toWrite = (r: WriteRow): TimedFieldWrite => ({
  opId: `${r.device}:${r.seq}`,
  device: r.device,
  hlc: { ms: r.hlc_ms, counter: r.hlc_counter },
  at: r.at,
  value: JSON.parse(r.value),
  pred: JSON.parse(r.pred) as string[],
});

export function incidentFacts(db: Db, incident: string): IncidentFacts {
  const declare = declarationOf(db, incident);
  const { declared_by_device } = prepared(db, 'SELECT declared_by_device FROM incidents WHERE id = ?').get(incident) as {
    declared_by_device: string;
  };
  const writes = prepared(
    db,
    `SELECT field, device, seq, hlc_ms, hlc_counter, at, value, pred FROM field_writes
     WHERE incident = ? AND entity_type = ? AND entity_id = ?`,
  );
  const incidentWrites = new Map<string, TimedFieldWrite[]>();
  for (const row of writes.all(incident, 'incident', incident) as WriteRow[]) {
    const list = incidentWrites.get(row.field) ?? [];
    list.push(toWrite(row));
    incidentWrites.set(row.field, list);
  }
  const commander = declare.playbook.roles.find((r) => r.commander);
  const commanderWrites = commander
    ? (writes.all(incident, 'role', roleKey(commander.id)) as WriteRow[]).filter((r) => r.field === 'holder').map(toWrite)
    : [];
  const communicationsSentAt = (
    prepared(
      db,
      `SELECT occurred_at FROM timeline WHERE incident = ? AND source = 'entry' AND kind = 'communication' AND retracted_by IS NULL`,
    ).all(incident) as { occurred_at: number }[]
  ).map((r) => r.occurred_at);
  const stepWrites = new Map<string, TimedFieldWrite[]>();
  for (const row of prepared(
    db,
    `SELECT entity_id, field, device, seq, hlc_ms, hlc_counter, at, value, pred FROM field_writes
     WHERE incident = ? AND entity_type = 'step' AND field = 'progress'`,
  ).all(incident) as (WriteRow & { entity_id: string })[]) {
    const list = stepWrites.get(row.entity_id) ?? [];
    list.push(toWrite(row));
    stepWrites.set(row.entity_id, list);
  }
  return { id: incident, declare, declaredByDevice: declared_by_device, incidentWrites, commanderWrites, communicationsSentAt, stepWrites };
}

export function incidentState(db: Db, incident: string): IncidentState {
  return foldIncident(incidentFacts(db, incident));
}

export function incidentView(db: Db, incident: string, access: 'write' | 'read'): IncidentView {
  const facts = incidentFacts(db, incident);
  const { unknown } = prepared(db, 'SELECT count(*) AS unknown FROM ops WHERE incident = ? AND applied = 0').get(incident) as {
    unknown: number;
  };
  return {
    state: foldIncident(facts),
    concurrentlyChanged: concurrentlyChangedFields(facts, FLAGGED_FIELDS),
    access,
    unknownOps: unknown,
  };
}

export function listIncidents(db: Db): IncidentSummary[] {
  const rows = prepared(
    db,
    `SELECT i.id, i.title, i.severity, i.status, i.phase, i.drill, i.declared_at, p.name AS commander
     FROM incidents i LEFT JOIN people p ON p.incident = i.id AND p.id = i.commander
     ORDER BY (i.status IN ('resolved', 'closed')), i.declared_at DESC`,
  ).all() as {
    id: string;
    title: string;
    severity: IncidentSummary['severity'];
    status: IncidentSummary['status'];
    phase: string;
    drill: number;
    declared_at: number;
    commander: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    severity: r.severity,
    status: r.status,
    phase: r.phase,
    drill: r.drill === 1,
    declaredAt: r.declared_at,
    commander: r.commander,
  }));
}
