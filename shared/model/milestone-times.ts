/**
 * Rule: every incident clock reads its moments from the milestones (DESIGN.md §4). An incident's
 * clocks start at `detected`; an incident without one (never expected: declaring sets it) starts at
 * the moment it was declared, so no clock is ever left without a start.
 */
import type { Milestone } from '../playbook/schema';
import type { IncidentState } from './incident';

export const MS_PER_SECOND = 1_000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Converts a playbook duration (whole minutes) to UTC milliseconds. */
export const minutesToMs = (minutes: number): number => minutes * MS_PER_MINUTE;

/** When the milestone happened, or null while it has not. */
export function milestoneAt(incident: IncidentState, milestone: Milestone): number | null {
  return incident.milestones[milestone]?.at ?? null;
}

/** Where the incident's clocks start: detected, else declared. */
export function detectedAt(incident: IncidentState): number {
  return milestoneAt(incident, 'detected') ?? incident.declaredAt;
}

/** Where impact-based clocks (RTO, RPO) start: impact started, else detected (else declared). */
export function impactStartAt(incident: IncidentState): number {
  return milestoneAt(incident, 'impactStarted') ?? detectedAt(incident);
}
