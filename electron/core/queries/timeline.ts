/**
 * Reading the timeline: filtered, paged, in display order (occurred-at, then HLC, device, seq).
 * System entries are rendered here from the field write they derive from, so their sentence always
 * reflects the values and names the replica holds now.
 */
import { SitrepError } from '../../../shared/errors';
import { describeChange } from '../../../shared/model/describe-change';
import { sourceConfigs } from './sources';
import type { ApiParsedArgs } from '../../../shared/api';
import type { FieldChange, TimelineEntryView, TimelinePage } from '../../../shared/model/views';
import type { DeclarePayload } from '../../../shared/model/op-payload';
import { prepared, type Db } from '../store/database';
import { SEARCHABLE_TEXT } from '../store/search-backlog';
import { declarationOf } from './incidents';

interface TimelineRow {
  id: string;
  source: 'entry' | 'system';
  kind: TimelineEntryView['kind'];
  text: string;
  occurred_at: number;
  hlc_ms: number;
  hlc_counter: number;
  device: string;
  seq: number;
  by: string;
  template: string | null;
  alert_key: string | null;
  relation: TimelineEntryView['relation'];
  refers_to: string | null;
  change: string | null;
  starred: number;
  superseded_by: string | null;
  retracted_by: string | null;
  redacted_by: string | null;
}

interface StoredChange {
  entityType: string;
  entityId: string;
  field: string;
  value: unknown;
  pred: string[];
  reason: string | null;
}

const DISPLAY_ORDER = 'ORDER BY occurred_at, hlc_ms, hlc_counter, device, seq, id';

/** What an incident field held before anyone wrote it: the declaration's value or the default. */
function declaredValue(declaration: DeclarePayload, field: string): unknown[] {
  switch (field) {
    case 'title':
    case 'severity':
    case 'category':
    case 'affectedSystems':
    case 'summary':
      return [declaration[field]];
    case 'status':
      return ['active'];
    case 'phase':
      return [declaration.playbook.phases[0].id];
    default:
      return [];
  }
}

function previousValues(db: Db, incident: string, declaration: DeclarePayload, c: StoredChange): unknown[] {
  if (c.pred.length === 0) return c.entityType === 'incident' ? declaredValue(declaration, c.field) : [];
  const lookup = prepared(
    db,
    'SELECT value FROM field_writes WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ? AND device = ? AND seq = ?',
  );
  return c.pred.flatMap((opId) => {
    const [device, seq] = opId.split(':');
    const row = lookup.get(incident, c.entityType, c.entityId, c.field, device, Number(seq)) as { value: string } | undefined;
    return row ? [JSON.parse(row.value)] : [];
  });
}

function toView(db: Db, incident: string, declaration: DeclarePayload, r: TimelineRow): TimelineEntryView {
  let change: FieldChange | null = null;
  let text = r.text;
  if (r.change) {
    const stored = JSON.parse(r.change) as StoredChange;
    change = {
      entityType: stored.entityType,
      entityId: stored.entityId,
      field: stored.field,
      value: stored.value,
      previous: previousValues(db, incident, declaration, stored),
      reason: stored.reason,
    };
    text = describeChange(r.by, change, declaration.playbook, {
      person: (id) => (prepared(db, 'SELECT name FROM people WHERE incident = ? AND id = ?').get(incident, id) as { name: string } | undefined)?.name,
      task: (id) => (prepared(db, 'SELECT title FROM tasks WHERE incident = ? AND id = ?').get(incident, id) as { title: string } | undefined)?.title,
      source: (id) => sourceConfigs(db, incident, { withRemoved: true }).find((s) => s.id === id)?.config.name,
    });
  }
  return {
    id: r.id,
    source: r.source,
    kind: r.kind,
    text,
    occurredAt: r.occurred_at,
    recordedAt: { ms: r.hlc_ms, counter: r.hlc_counter },
    device: r.device,
    seq: r.seq,
    by: r.by,
    starred: r.starred === 1,
    template: r.template,
    alertKey: r.alert_key,
    relation: r.relation,
    refersTo: r.refers_to,
    supersededBy: r.superseded_by,
    retractedBy: r.retracted_by,
    redactedBy: r.redacted_by,
    change,
  };
}

/** Shorter searches cannot use the trigram index and scan instead. */
const TRIGRAM = 3;

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export function listTimeline(db: Db, args: ApiParsedArgs<'timeline.list'>): TimelinePage {
  const declaration = declarationOf(db, args.incidentId);
  const where = ['incident = ?'];
  const params: unknown[] = [args.incidentId];
  if (args.text?.trim()) {
    // Redacted entries hold no text, so they never match; system entries match on what changed.
    const text = args.text.trim();
    const like = `%${escapeLike(text)}%`;
    if ([...text].length >= TRIGRAM) {
      // The trigram index answers a substring search (case-insensitive) as a quoted phrase; rows
      // still queued for the index (store/search-backlog.ts) are scanned.
      where.push(
        `rowid IN (SELECT rowid FROM timeline_search WHERE timeline_search MATCH ?
                   UNION ALL
                   SELECT rowid FROM timeline WHERE rowid IN (SELECT rowid FROM search_backlog) AND ${SEARCHABLE_TEXT} LIKE ? ESCAPE '\\')`,
      );
      params.push(`"${text.replace(/"/g, '""')}"`, like);
    } else {
      where.push(`${SEARCHABLE_TEXT} LIKE ? ESCAPE '\\'`);
      params.push(like);
    }
  }
  if (args.kinds?.length) {
    where.push(`kind IN (${args.kinds.map(() => '?').join(', ')})`);
    params.push(...args.kinds);
  }
  if (args.authors?.length) {
    where.push(`by IN (${args.authors.map(() => '?').join(', ')})`);
    params.push(...args.authors);
  }
  if (args.starred !== undefined) {
    where.push('starred = ?');
    params.push(args.starred ? 1 : 0);
  }
  const clause = where.join(' AND ');
  const { total } = db.prepare(`SELECT count(*) AS total FROM timeline WHERE ${clause}`).get(...params) as { total: number };
  const rows = db
    .prepare(`SELECT * FROM timeline WHERE ${clause} ${DISPLAY_ORDER} LIMIT ? OFFSET ?`)
    .all(...params, args.limit, args.offset) as TimelineRow[];
  return { entries: rows.map((r) => toView(db, args.incidentId, declaration, r)), total, offset: args.offset };
}

export function timelineEntry(db: Db, incident: string, id: string): TimelineEntryView {
  const row = prepared(db, 'SELECT * FROM timeline WHERE incident = ? AND id = ?').get(incident, id) as TimelineRow | undefined;
  if (!row) throw new SitrepError('not-found', `no timeline entry ${id} in incident ${incident}`);
  return toView(db, incident, declarationOf(db, incident), row);
}

/** Every entry in display order: for exports and for comparing replicas. */
export function fullTimeline(db: Db, incident: string): TimelineEntryView[] {
  const declaration = declarationOf(db, incident);
  const rows = prepared(db, `SELECT * FROM timeline WHERE incident = ? ${DISPLAY_ORDER}`).all(incident) as TimelineRow[];
  return rows.map((r) => toView(db, incident, declaration, r));
}
