/**
 * Rule: a drill ends with a report of which validation items of the pinned playbook were met,
 * judged at the moment the drill ended (or now, while it runs), by the same clocks the console
 * shows (shared/model/validation-timers).
 */
import type { IncidentState } from './incident';
import { validationTimers, type ValidationState } from './validation-timers';

export interface DrillReportItem {
  id: string;
  title: string;
  state: ValidationState;
}

export interface DrillReport {
  scenario: string;
  startedAt: number;
  endedAt: number | null;
  /** Entries and samples written so far, of all the scenario holds. */
  replayed: number;
  total: number;
  items: DrillReportItem[];
  /** Items met, of those that apply to the drill's severity. */
  met: number;
  applicable: number;
}

export function drillReport(
  incident: IncidentState,
  run: { scenario: string; startedAt: number; endedAt: number | null; replayed: number; total: number },
  now: number,
): DrillReport {
  const at = run.endedAt ?? now;
  const items = validationTimers(incident, at).map((t) => ({ id: t.id, title: t.title, state: t.state }));
  const applicable = items.filter((i) => i.state !== 'not-applicable' && i.state !== 'no-limit');
  return { ...run, items, met: applicable.filter((i) => i.state === 'met').length, applicable: applicable.length };
}
