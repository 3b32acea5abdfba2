/**
 * Rule: what deserves a desktop notification at `now` (DESIGN.md §7), as a pure function of the
 * incident and the clock. Each alert has a stable `key`, so a notifier that remembers the keys it has
 * raised tells a person once, however often it asks:
 *
 * - the next status update is due within `warnBeforeMs` (`update-due`), or overdue (`update-overdue`);
 *   both keyed by the due time, so marking a communication sent (a new due time) alerts afresh;
 * - a validation limit is about to be missed (`validation-at-risk`: the timer's urgency is warning) or
 *   has been missed while its end milestone is still unset (`validation-missed`); a limit that was met
 *   late is history for the validation panel, not something anyone can still act on;
 * - the regulatory (72-hour) clock has a day or less left (`regulatory-due`), or has run out
 *   (`regulatory-overdue`); both keyed by its deadline.
 *
 * Keys start with the incident id, so alerts of two incidents never share one.
 */
import type { IncidentState } from './incident';
import { formatDuration, formatUtcMinute } from './incident-clock';
import { MS_PER_DAY } from './milestone-times';
import { regulatoryClock } from './regulatory-clock';
import { nextUpdateDue } from './update-cadence';
import { validationTimers } from './validation-timers';

/** The regulatory clock alerts once it has this little left. */
export const REGULATORY_WARNING_MS = MS_PER_DAY;

export type DueAlertKind =
  | 'update-due'
  | 'update-overdue'
  | 'validation-at-risk'
  | 'validation-missed'
  | 'regulatory-due'
  | 'regulatory-overdue';

export interface DueAlert {
  /** Stable while the same thing is due at the same moment: notify once per key. */
  key: string;
  kind: DueAlertKind;
  /** 'overdue' once the moment has passed, 'warning' before. */
  urgency: 'warning' | 'overdue';
  /** A headline: "Status update overdue". */
  title: string;
  /** What, for which incident, and by when: the notification's body. */
  message: string;
  /** The moment the alert is about (UTC ms). */
  dueAt: number;
}

export interface DueAlertOptions {
  /** How long before a status update is due to warn about it. */
  warnBeforeMs: number;
}

function updateAlerts(incident: IncidentState, now: number, warnBeforeMs: number): DueAlert[] {
  const next = nextUpdateDue(incident, now);
  if (!next) return [];
  const about = `${incident.severity} ${incident.title}`;
  if (next.overdue) {
    return [
      {
        key: `${incident.id}:update-overdue:${next.dueAt}`,
        kind: 'update-overdue',
        urgency: 'overdue',
        title: 'Status update overdue',
        message: `${about}: the status update was due at ${formatUtcMinute(next.dueAt)}, ${formatDuration(-next.remainingMs)} ago.`,
        dueAt: next.dueAt,
      },
    ];
  }
  if (next.remainingMs > warnBeforeMs) return [];
  return [
    {
      key: `${incident.id}:update-due:${next.dueAt}`,
      kind: 'update-due',
      urgency: 'warning',
      title: 'Status update due soon',
      message: `${about}: the next status update is due at ${formatUtcMinute(next.dueAt)}, in ${formatDuration(next.remainingMs)}.`,
      dueAt: next.dueAt,
    },
  ];
}

function validationAlerts(incident: IncidentState, now: number): DueAlert[] {
  return validationTimers(incident, now).flatMap((timer): DueAlert[] => {
    if (timer.deadline === undefined || timer.remainingMs === undefined) return [];
    if (timer.state === 'running' && timer.urgency === 'warning') {
      return [
        {
          key: `${incident.id}:validation-at-risk:${timer.id}:${timer.deadline}`,
          kind: 'validation-at-risk',
          urgency: 'warning',
          title: `About to miss: ${timer.title}`,
          message: `${incident.severity} ${incident.title}: ${formatDuration(timer.remainingMs)} left, until ${formatUtcMinute(timer.deadline)}.`,
          dueAt: timer.deadline,
        },
      ];
    }
    if (timer.state === 'missed' && timer.endAt === undefined) {
      return [
        {
          key: `${incident.id}:validation-missed:${timer.id}:${timer.deadline}`,
          kind: 'validation-missed',
          urgency: 'overdue',
          title: `Missed: ${timer.title}`,
          message: `${incident.severity} ${incident.title}: the limit passed at ${formatUtcMinute(timer.deadline)}, ${formatDuration(-timer.remainingMs)} ago.`,
          dueAt: timer.deadline,
        },
      ];
    }
    return [];
  });
}

function regulatoryAlerts(incident: IncidentState, now: number): DueAlert[] {
  const clock = regulatoryClock(incident, now);
  if (!clock) return [];
  const about = `${incident.severity} ${incident.title}`;
  if (clock.overdue) {
    return [
      {
        key: `${incident.id}:regulatory-overdue:${clock.deadline}`,
        kind: 'regulatory-overdue',
        urgency: 'overdue',
        title: 'Breach notice overdue',
        message: `${about}: the authorities had to be told by ${formatUtcMinute(clock.deadline)}, ${formatDuration(-clock.remainingMs)} ago.`,
        dueAt: clock.deadline,
      },
    ];
  }
  if (clock.remainingMs > REGULATORY_WARNING_MS) return [];
  return [
    {
      key: `${incident.id}:regulatory-due:${clock.deadline}`,
      kind: 'regulatory-due',
      urgency: 'warning',
      title: 'Breach notice due within a day',
      message: `${about}: tell the authorities by ${formatUtcMinute(clock.deadline)}, ${formatDuration(clock.remainingMs)} left.`,
      dueAt: clock.deadline,
    },
  ];
}

/** Everything that deserves a notification at `now`: status update, validation limits, breach clock. */
export function dueAlerts(incident: IncidentState, now: number, { warnBeforeMs }: DueAlertOptions): DueAlert[] {
  return [...updateAlerts(incident, now, warnBeforeMs), ...validationAlerts(incident, now), ...regulatoryAlerts(incident, now)];
}
