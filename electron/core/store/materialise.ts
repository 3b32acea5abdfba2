/**
 * Applying one op's payload to the materialised tables.
 *
 * Invariants:
 * - Called only for an op whose row was newly inserted, inside the same transaction (so an op's
 *   effects happen exactly once, and a crash leaves neither op nor effects).
 * - The result depends only on the set of ops applied, never on their order: field values are
 *   recomputed from every write of the field (shared/sync/field-merge), and timeline marks
 *   (superseded, retracted, redacted) are recomputed from every entry that refers to the target.
 * - System timeline entries are derived from field writes here, never written as ops of their own.
 */
import { parseFieldValue, type EntityType } from '../../../shared/model/fields';
import type { DeclarePayload, EntryPayload, FieldsPayload, OpPayload, SamplesPayload } from '../../../shared/model/op-payload';
import { roleKey } from '../../../shared/playbook/schema';
import { resolveField } from '../../../shared/sync/field-merge';
import type { Hlc } from '../../../shared/sync/hlc';
import { declarationOf } from '../queries/incidents';
import { prepared, type Db } from './database';
import { queueForSearch } from './search-backlog';

export interface OpMeta {
  incident: string;
  device: string;
  seq: number;
  hlc: Hlc;
}

/** Field writes that do not earn a system timeline entry of their own (they would only be noise). */
const SILENT_FIELDS = new Set(['entry.starred']);
/** The field whose first write announces a new task or person; its sibling first writes stay silent. */
const CREATION_FIELDS: Partial<Record<EntityType, string>> = { task: 'title', person: 'name' };

const isSilent = (type: EntityType, field: string, pred: readonly string[]): boolean =>
  SILENT_FIELDS.has(`${type}.${field}`) || (pred.length === 0 && CREATION_FIELDS[type] !== undefined && CREATION_FIELDS[type] !== field);

export function materialise(db: Db, meta: OpMeta, payload: OpPayload): void {
  switch (payload.kind) {
    case 'incident.declare':
      return applyDeclare(db, meta, payload);
    case 'fields.set':
      return applyFields(db, meta, payload);
    case 'entry.add':
      return applyEntry(db, meta, payload);
    case 'samples.add':
      return applySamples(db, meta, payload);
  }
}

function applyDeclare(db: Db, meta: OpMeta, p: DeclarePayload): void {
  prepared(
    db,
    `INSERT OR IGNORE INTO incidents (id, declared_by_device, declared_at, declaration, title, severity, status, phase, drill, commander)
     VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, NULL)`,
  ).run(meta.incident, meta.device, p.at, JSON.stringify(p), p.title, p.severity, p.playbook.phases[0].id, p.drill ? 1 : 0);
  refreshIncidentSummary(db, meta.incident);
}

function applyFields(db: Db, meta: OpMeta, p: FieldsPayload): void {
  let incidentTouched = false;
  p.writes.forEach((w, index) => {
    const { type, id } = w.entity;
    prepared(
      db,
      `INSERT OR IGNORE INTO field_writes
         (incident, entity_type, entity_id, field, device, seq, hlc_ms, hlc_counter, at, by, value, pred, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      meta.incident, type, id, w.field, meta.device, meta.seq, meta.hlc.ms, meta.hlc.counter, p.at, p.by,
      JSON.stringify(w.value ?? null), JSON.stringify(w.pred), p.reason ?? null,
    );
    resolveStoredField(db, meta.incident, type, id, w.field);
    projectEntity(db, meta.incident, type, id);
    if (type === 'incident' || type === 'role') incidentTouched = true;
    if (!isSilent(type, w.field, w.pred)) {
      const change = JSON.stringify({ entityType: type, entityId: id, field: w.field, value: w.value ?? null, pred: w.pred, reason: p.reason ?? null });
      const inserted = prepared(
        db,
        `INSERT OR IGNORE INTO timeline
           (incident, id, source, kind, text, occurred_at, hlc_ms, hlc_counter, device, seq, by, change)
         VALUES (?, ?, 'system', 'system', '', ?, ?, ?, ?, ?, ?, ?)`,
      ).run(meta.incident, `${meta.device}:${meta.seq}/${index}`, p.at, meta.hlc.ms, meta.hlc.counter, meta.device, meta.seq, p.by, change);
      if (inserted.changes > 0) queueForSearch(db, inserted.lastInsertRowid);
    }
  });
  if (incidentTouched) refreshIncidentSummary(db, meta.incident);
}

interface StoredWrite {
  device: string;
  seq: number;
  hlc_ms: number;
  hlc_counter: number;
  at: number;
  by: string;
  value: string;
  pred: string;
}

/** Recomputes one field's value from every write of it held (the merge rule is order-free). */
export function resolveStoredField(db: Db, incident: string, type: EntityType, id: string, field: string): void {
  const rows = prepared(
    db,
    `SELECT device, seq, hlc_ms, hlc_counter, at, by, value, pred FROM field_writes
     WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ?`,
  ).all(incident, type, id, field) as StoredWrite[];
  const writes = rows.flatMap((r) => {
    const parsed = parseFieldValue(type, field, JSON.parse(r.value));
    if (!parsed.ok) return [];
    return [{ opId: `${r.device}:${r.seq}`, device: r.device, hlc: { ms: r.hlc_ms, counter: r.hlc_counter }, value: parsed.value, pred: JSON.parse(r.pred) as string[], row: r }];
  });
  const resolved = resolveField(writes);
  if (!resolved) {
    prepared(db, 'DELETE FROM field_values WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ?').run(incident, type, id, field);
    return;
  }
  const { winner } = resolved;
  prepared(
    db,
    `INSERT INTO field_values (incident, entity_type, entity_id, field, value, device, seq, at, by, heads, conflicted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (incident, entity_type, entity_id, field) DO UPDATE SET
       value = excluded.value, device = excluded.device, seq = excluded.seq, at = excluded.at, by = excluded.by,
       heads = excluded.heads, conflicted = excluded.conflicted`,
  ).run(
    incident, type, id, field, JSON.stringify(winner.value), winner.device, winner.row.seq, winner.row.at, winner.row.by,
    JSON.stringify(resolved.heads.map((h) => h.opId)), resolved.conflicted ? 1 : 0,
  );
}

interface FieldValueRow {
  field: string;
  value: string;
  at: number;
  by: string;
  conflicted: number;
}

function entityFields(db: Db, incident: string, type: EntityType, id: string): Map<string, FieldValueRow> {
  const rows = prepared(
    db,
    'SELECT field, value, at, by, conflicted FROM field_values WHERE incident = ? AND entity_type = ? AND entity_id = ?',
  ).all(incident, type, id) as FieldValueRow[];
  return new Map(rows.map((r) => [r.field, r]));
}

const valueOf = <T>(fields: Map<string, FieldValueRow>, field: string, fallback: T): T => {
  const row = fields.get(field);
  return row ? (JSON.parse(row.value) as T) : fallback;
};

/** Rebuilds the roster, checklist, people, task or entry row of one entity from its field values. */
function projectEntity(db: Db, incident: string, type: EntityType, id: string): void {
  const fields = entityFields(db, incident, type, id);
  switch (type) {
    case 'incident':
      return;
    case 'person': {
      if (!fields.has('name')) return;
      prepared(
        db,
        `INSERT INTO people (incident, id, name, contact, device_ids, removed) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident, id) DO UPDATE SET name = excluded.name, contact = excluded.contact,
           device_ids = excluded.device_ids, removed = excluded.removed`,
      ).run(
        incident, id, valueOf(fields, 'name', ''), valueOf(fields, 'contact', ''),
        JSON.stringify(valueOf<string[]>(fields, 'deviceIds', [])), valueOf(fields, 'removed', false) ? 1 : 0,
      );
      return;
    }
    case 'role': {
      const holder = fields.get('holder');
      if (!holder) return;
      prepared(
        db,
        `INSERT INTO roster (incident, role_key, holder, conflicted, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident, role_key) DO UPDATE SET holder = excluded.holder, conflicted = excluded.conflicted,
           set_by = excluded.set_by, set_at = excluded.set_at`,
      ).run(incident, id, JSON.parse(holder.value) as string | null, holder.conflicted, holder.by, holder.at);
      return;
    }
    case 'checklist': {
      const status = fields.get('status');
      prepared(
        db,
        `INSERT INTO checklist (incident, item, status, assignee, note, status_by, status_at, conflicted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident, item) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, note = excluded.note,
           status_by = excluded.status_by, status_at = excluded.status_at, conflicted = excluded.conflicted`,
      ).run(
        incident, id, valueOf(fields, 'status', 'open'), valueOf<string | null>(fields, 'assignee', null), valueOf(fields, 'note', ''),
        status?.by ?? null, status?.at ?? null, [...fields.values()].some((f) => f.conflicted) ? 1 : 0,
      );
      return;
    }
    case 'task': {
      if (!fields.has('title')) return;
      const times = prepared(
        db,
        'SELECT min(at) AS created, max(at) AS updated FROM field_writes WHERE incident = ? AND entity_type = ? AND entity_id = ?',
      ).get(incident, type, id) as { created: number; updated: number };
      const latest = [...fields.values()].sort((a, b) => b.at - a.at)[0];
      prepared(
        db,
        `INSERT INTO tasks (incident, id, type, title, owner, due_at, state, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (incident, id) DO UPDATE SET type = excluded.type, title = excluded.title, owner = excluded.owner,
           due_at = excluded.due_at, state = excluded.state, created_at = excluded.created_at,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ).run(
        incident, id, valueOf(fields, 'type', 'task'), valueOf(fields, 'title', ''), valueOf<string | null>(fields, 'owner', null),
        valueOf<number | null>(fields, 'dueAt', null), valueOf(fields, 'state', 'open'), times.created, latest.by, times.updated,
      );
      return;
    }
    case 'source':
      // Read straight from field_values (queries/sources.ts): a source has no table of its own.
      return;
    case 'entry':
      prepared(db, 'UPDATE timeline SET starred = ? WHERE incident = ? AND id = ?').run(
        valueOf(fields, 'starred', false) ? 1 : 0, incident, id,
      );
      return;
  }
}

const RELATIONS = ['supersedes', 'retracts', 'redacts'] as const;

function applyEntry(db: Db, meta: OpMeta, p: EntryPayload): void {
  const e = p.entry;
  const relation = RELATIONS.find((r) => e[r] !== undefined) ?? null;
  const refersTo = relation ? (e[relation] as string) : null;
  const inserted = prepared(
    db,
    `INSERT OR IGNORE INTO timeline
       (incident, id, source, kind, text, occurred_at, hlc_ms, hlc_counter, device, seq, by, template, alert_key, relation, refers_to)
     VALUES (?, ?, 'entry', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    meta.incident, e.id, e.kind, e.text, e.occurredAt, meta.hlc.ms, meta.hlc.counter, meta.device, meta.seq, p.by,
    e.template ?? null, e.alert ?? null, relation, refersTo,
  );
  if (inserted.changes === 0) return;
  queueForSearch(db, inserted.lastInsertRowid);
  // A star may have arrived before its entry, and entries referring to this one before it. A new
  // row is unstarred and unmarked: most entries have neither, and are then left as inserted.
  if (prepared(db, "SELECT 1 FROM field_values WHERE incident = ? AND entity_type = 'entry' AND entity_id = ? LIMIT 1").get(meta.incident, e.id)) {
    projectEntity(db, meta.incident, 'entry', e.id);
  }
  refreshMarks(db, meta.incident, e.id, { inserted: true });
  if (refersTo) refreshMarks(db, meta.incident, refersTo);
}

/**
 * Recomputes who superseded, retracted or redacted an entry; the latest of each wins. `inserted`:
 * the entry was just inserted (no marks), so without entries referring to it nothing changes.
 */
function refreshMarks(db: Db, incident: string, target: string, options: { inserted?: boolean } = {}): void {
  const referring = prepared(
    db,
    `SELECT relation, id FROM timeline WHERE incident = ? AND refers_to = ?
     ORDER BY hlc_ms DESC, hlc_counter DESC, device DESC`,
  ).all(incident, target) as { relation: string; id: string }[];
  if (options.inserted && referring.length === 0) return;
  const latest = (relation: string) => referring.find((r) => r.relation === relation)?.id ?? null;
  const supersededBy = latest('supersedes');
  const retractedBy = latest('retracts');
  const redactedBy = latest('redacts');
  // Most entries are never corrected: write only when a mark changes, so taking in a backlog does
  // not rewrite (and re-index) every entry.
  prepared(
    db,
    `UPDATE timeline SET superseded_by = ?, retracted_by = ?, redacted_by = ?,
       text = CASE WHEN ? IS NULL THEN text ELSE '' END
     WHERE incident = ? AND id = ? AND source = 'entry'
       AND (superseded_by IS NOT ? OR retracted_by IS NOT ? OR redacted_by IS NOT ?)`,
  ).run(supersededBy, retractedBy, redactedBy, redactedBy, incident, target, supersededBy, retractedBy, redactedBy);
}

function applySamples(db: Db, meta: OpMeta, p: SamplesPayload): void {
  const insert = prepared(
    db,
    'INSERT OR IGNORE INTO samples (incident, source, metric, t, value, device) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const s of p.samples) insert.run(meta.incident, p.source, s.metric, s.t, s.value, meta.device);
  const insertPoll = prepared(db, 'INSERT OR IGNORE INTO source_polls (incident, source, device, t, up, reason) VALUES (?, ?, ?, ?, ?, ?)');
  for (const poll of p.polls ?? []) insertPoll.run(meta.incident, p.source, meta.device, poll.t, poll.up ? 1 : 0, poll.reason ?? null);
}

/** Keeps the incident list's columns (title, severity, status, phase, commander) current. */
export function refreshIncidentSummary(db: Db, incident: string): void {
  if (!prepared(db, 'SELECT 1 FROM incidents WHERE id = ?').get(incident)) return;
  const declaration = declarationOf(db, incident);
  const fields = entityFields(db, incident, 'incident', incident);
  const commanderRole = declaration.playbook.roles.find((r) => r.commander);
  const commander = commanderRole
    ? ((prepared(db, 'SELECT holder FROM roster WHERE incident = ? AND role_key = ?').get(incident, roleKey(commanderRole.id)) as
        | { holder: string | null }
        | undefined)?.holder ?? null)
    : null;
  prepared(db, 'UPDATE incidents SET title = ?, severity = ?, status = ?, phase = ?, commander = ? WHERE id = ?').run(
    valueOf(fields, 'title', declaration.title),
    valueOf(fields, 'severity', declaration.severity),
    valueOf(fields, 'status', 'active'),
    valueOf(fields, 'phase', declaration.playbook.phases[0].id),
    commander,
    incident,
  );
}
