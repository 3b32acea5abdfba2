/**
 * What every export of one incident is rendered from: its replicated state (the same on every
 * replica holding the same ops) and the instant the report was made, at which running clocks are
 * judged. Gathered by electron/core/queries/incident-report.ts; rendered by the pure functions
 * beside this file, one file per format.
 */
import type { IncidentState } from '../model/incident';
import type { ChecklistPhaseView, RosterView, SampleView, TaskView, TimelineEntryView } from '../model/views';

export interface IncidentReport {
  incident: IncidentState;
  /** Incident fields last changed concurrently by different people. */
  concurrentlyChanged: string[];
  roster: RosterView;
  checklist: ChecklistPhaseView[];
  tasks: TaskView[];
  /** Every entry, in display order. */
  timeline: TimelineEntryView[];
  /** Every metric sample, in time order. */
  samples: SampleView[];
  /** The exporting device's clock, UTC ms. */
  generatedAt: number;
}

export const EXPORT_FORMATS = ['md', 'html', 'pdf', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What a person sees as a file: its suffix and MIME type. */
export const EXPORT_FILE_TYPES: Record<ExportFormat, { suffix: string; mime: string; label: string }> = {
  md: { suffix: 'md', mime: 'text/markdown;charset=utf-8', label: 'Markdown post-mortem' },
  html: { suffix: 'html', mime: 'text/html;charset=utf-8', label: 'HTML post-mortem' },
  pdf: { suffix: 'pdf', mime: 'application/pdf', label: 'PDF post-mortem' },
  csv: { suffix: 'csv', mime: 'text/csv;charset=utf-8', label: 'CSV timeline' },
  json: { suffix: 'json', mime: 'application/json;charset=utf-8', label: 'JSON replicated state' },
};

const FILE_SLUG_MAX = 40;

/** "INC-2026-11-29-db-outage-in-eu.md": the date detected (UTC) and a slug of the title. */
export function exportFileName(incident: Pick<IncidentState, 'title' | 'declaredAt' | 'drill'>, format: ExportFormat): string {
  const date = new Date(incident.declaredAt).toISOString().slice(0, 10);
  const slug = incident.title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, FILE_SLUG_MAX)
    .replace(/-+$/, '');
  const kind = incident.drill ? 'DRILL' : 'INC';
  return `${kind}-${date}${slug ? `-${slug}` : ''}.${EXPORT_FILE_TYPES[format].suffix}`;
}
