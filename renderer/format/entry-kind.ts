/** Timeline entry kinds as the console names them: badges, filters and the quick-entry hint agree. */
import { ENTRY_KINDS, type EntryKind } from '../../shared/model/op-payload';

export type TimelineKind = EntryKind | 'system';

export const TIMELINE_KINDS: readonly TimelineKind[] = [...ENTRY_KINDS, 'system'];

export const KIND_LABELS: Readonly<Record<TimelineKind, string>> = {
  note: 'note',
  action: 'action',
  decision: 'decision',
  'status-update': 'status update',
  communication: 'communication',
  'metric-alert': 'metric alert',
  retraction: 'retraction',
  redaction: 'redaction',
  system: 'system',
};

/** "1 entry", "2,000 entries". */
export const entryCount = (count: number): string => `${count.toLocaleString('en')} ${count === 1 ? 'entry' : 'entries'}`;
