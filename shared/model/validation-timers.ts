/**
 * Rule: each item of the pinned playbook's validation checklist (seed "Validation Checklist") is a
 * clock from its start milestone to its end milestone against a limit: a duration, or the tightest
 * RTO of the affected systems (DESIGN.md §4). It applies only to the severities it names, judged by
 * the incident's current severity. Met when the end milestone is at or before the deadline; missed
 * when it is after, or when the deadline passes with no end yet. A running clock warns once 80 % of
 * its limit is used or less than 5 minutes remain.
 */
import type { ValidationItem } from '../playbook/schema';
import type { IncidentState } from './incident';
import { milestoneAt, minutesToMs, MS_PER_MINUTE } from './milestone-times';
import { affectedObjectives } from './recovery-objectives';

/** A running clock warns once this share of its limit has elapsed. */
export const VALIDATION_WARNING_FRACTION = 0.8;
/** A running clock warns when less than this is left, whatever its share. */
export const VALIDATION_WARNING_REMAINING_MS = 5 * MS_PER_MINUTE;

export type ValidationState = 'not-started' | 'running' | 'met' | 'missed' | 'not-applicable' | 'no-limit';
export type ValidationUrgency = 'ok' | 'warning' | 'breached';

export interface ValidationTimer {
  id: string;
  title: string;
  /** The item names the incident's current severity. */
  applies: boolean;
  state: ValidationState;
  /** When the start milestone happened. */
  startAt?: number;
  /** When the end milestone happened. */
  endAt?: number;
  limitMs?: number;
  /** startAt + limitMs. */
  deadline?: number;
  /** Until the end milestone once set, else until now. */
  elapsedMs?: number;
  /** deadline − (end milestone once set, else now); negative: missed by that much. */
  remainingMs?: number;
  urgency: ValidationUrgency;
}

/** The limit in ms, or null when it is the tightest RTO and no affected system has one. */
function limitMsOf(item: ValidationItem, incident: IncidentState): number | null {
  if (item.limit.kind === 'duration') return minutesToMs(item.limit.minutes);
  const tightest = affectedObjectives(incident)[0];
  return tightest ? minutesToMs(tightest.rtoMinutes) : null;
}

function runningUrgency(elapsedMs: number, limitMs: number, remainingMs: number): ValidationUrgency {
  return elapsedMs >= VALIDATION_WARNING_FRACTION * limitMs || remainingMs < VALIDATION_WARNING_REMAINING_MS ? 'warning' : 'ok';
}

export function validationTimer(item: ValidationItem, incident: IncidentState, now: number): ValidationTimer {
  const base = { id: item.id, title: item.title };
  const applies = item.severities.includes(incident.severity);
  if (!applies) return { ...base, applies, state: 'not-applicable', urgency: 'ok' };

  const startAt = milestoneAt(incident, item.start) ?? undefined;
  const endAt = milestoneAt(incident, item.end) ?? undefined;
  const limitMs = limitMsOf(item, incident);
  // No limit means no clock will ever run, so this wins over "not started".
  if (limitMs === null) return { ...base, applies, state: 'no-limit', startAt, endAt, urgency: 'ok' };
  if (startAt === undefined) return { ...base, applies, state: 'not-started', endAt, limitMs, urgency: 'ok' };

  const deadline = startAt + limitMs;
  const stoppedAt = endAt ?? now;
  const timing = { startAt, endAt, limitMs, deadline, elapsedMs: stoppedAt - startAt, remainingMs: deadline - stoppedAt };
  if (endAt !== undefined) {
    return endAt <= deadline
      ? { ...base, applies, state: 'met', ...timing, urgency: 'ok' }
      : { ...base, applies, state: 'missed', ...timing, urgency: 'breached' };
  }
  if (now > deadline) return { ...base, applies, state: 'missed', ...timing, urgency: 'breached' };
  return { ...base, applies, state: 'running', ...timing, urgency: runningUrgency(timing.elapsedMs, limitMs, timing.remainingMs) };
}

/** One timer per validation item of the pinned playbook, in the playbook's order. */
export function validationTimers(incident: IncidentState, now: number): ValidationTimer[] {
  return incident.playbook.validation.map((item) => validationTimer(item, incident, now));
}
