/**
 * The timeline as CSV: one row per entry, in display order, times UTC ISO 8601.
 *
 * Rules: RFC 4180 (CRLF between records; a field holding a comma, quote, CR or LF is quoted and its
 * quotes doubled). A cell a spreadsheet would run as a formula — starting with = + - @, a tab or a
 * CR — gets a leading apostrophe (OWASP's CSV injection advice), so it shows as the text it is.
 * A drill says so in every row's `drill` column.
 */
import type { IncidentReport } from './incident-report';
import { postMortem } from './post-mortem';
import { utcIso } from './report-time';

export const CSV_COLUMNS = [
  'occurred_at_utc',
  'recorded_at_utc',
  'kind',
  'source',
  'by',
  'device',
  'starred',
  'relation',
  'refers_to',
  'state',
  'text',
  'notes',
  'entry_id',
  'incident_id',
  'drill',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function stateOf(entry: IncidentReport['timeline'][number]): string {
  if (entry.redactedBy) return 'redacted';
  if (entry.retractedBy) return 'retracted';
  if (entry.supersededBy) return 'amended';
  return 'current';
}

export function renderCsv(report: IncidentReport): string {
  const rows = postMortem(report, utcIso).timeline;
  const marks = new Map(rows.map((r) => [r.id, r.marks]));
  const records = report.timeline.map((entry) =>
    [
      utcIso(entry.occurredAt),
      utcIso(entry.recordedAt.ms),
      entry.kind,
      entry.source,
      entry.by,
      entry.device,
      entry.starred ? 'yes' : 'no',
      entry.relation ?? '',
      entry.refersTo ?? '',
      stateOf(entry),
      entry.redactedBy ? '' : entry.text,
      (marks.get(entry.id) ?? []).join('; '),
      entry.id,
      report.incident.id,
      report.incident.drill ? 'DRILL' : '',
    ].map(csvCell),
  );
  return [CSV_COLUMNS.join(','), ...records.map((r) => r.join(','))].map((line) => `${line}\r\n`).join('');
}
