/**
 * Rule: a phase's window is an offset from the detected milestone (else declared), in the pinned
 * playbook's minutes (DESIGN.md §4). The current phase is overdue once now is past its window's end.
 * "Into the window" counts from the window's start, not from when the phase was entered: entering
 * containment (15–60 min) at 14:20 after detection at 14:02 is 3 minutes into its window.
 * Re-entering a phase is another visit: its time spent is the sum over all visits, each visit
 * lasting until the next phase was entered (the latest one until now).
 */
import type { Phase } from '../playbook/schema';
import type { IncidentState, PhaseVisit } from './incident';
import { detectedAt, minutesToMs } from './milestone-times';

export interface PhaseWindow {
  phaseId: string;
  title: string;
  /** UTC ms: detected + the window's start offset. */
  windowStartAt: number;
  /** UTC ms: detected + the window's end offset. */
  windowEndAt: number;
  /** When the current visit began; null if the phase history does not show it being entered. */
  enteredAt: number | null;
  /** now − window start; negative while the window has not opened yet. */
  elapsedInWindowMs: number;
  /** Share of the window used: 0 before it opens, 1 at its end, above 1 when overdue. */
  fractionOfWindow: number;
  overdue: boolean;
  /** How far past the window's end; 0 when not overdue. */
  overdueByMs: number;
}

export type PhaseProgress = 'done' | 'current' | 'upcoming';

export interface PhaseTimelineEntry {
  phaseId: string;
  title: string;
  state: PhaseProgress;
  windowStartAt: number;
  windowEndAt: number;
  /** Number of times the phase was entered. */
  visits: number;
  /** Total time spent in the phase over all visits. */
  timeSpentMs: number;
  firstEnteredAt: number | null;
  lastEnteredAt: number | null;
}

interface WindowBounds {
  windowStartAt: number;
  windowEndAt: number;
}

function windowBounds(incident: IncidentState, phase: Phase): WindowBounds {
  const detected = detectedAt(incident);
  return {
    windowStartAt: detected + minutesToMs(phase.window.startMinutes),
    windowEndAt: detected + minutesToMs(phase.window.endMinutes),
  };
}

/** The phase history in time order (stable for equal times): authors' clocks need not agree. */
function visitsInTimeOrder(incident: IncidentState): PhaseVisit[] {
  return incident.phaseHistory
    .map((visit, index) => ({ visit, index }))
    .sort((a, b) => a.visit.at - b.visit.at || a.index - b.index)
    .map(({ visit }) => visit);
}

/** The current phase's window and how far into it the incident is; null if the playbook lacks the phase. */
export function phaseWindow(incident: IncidentState, now: number): PhaseWindow | null {
  const phase = incident.playbook.phases.find((p) => p.id === incident.phase);
  if (!phase) return null;
  const { windowStartAt, windowEndAt } = windowBounds(incident, phase);
  const visitsToPhase = visitsInTimeOrder(incident).filter((v) => v.phase === phase.id);
  const enteredAt = visitsToPhase.length > 0 ? visitsToPhase[visitsToPhase.length - 1].at : null;
  const elapsedInWindowMs = now - windowStartAt;
  const overdueByMs = Math.max(0, now - windowEndAt);
  return {
    phaseId: phase.id,
    title: phase.title,
    windowStartAt,
    windowEndAt,
    enteredAt,
    elapsedInWindowMs,
    fractionOfWindow: Math.max(0, elapsedInWindowMs / (windowEndAt - windowStartAt)),
    overdue: overdueByMs > 0,
    overdueByMs,
  };
}

/**
 * Every phase of the pinned playbook in its order. A phase is done once it has been visited or the
 * incident has moved past it in playbook order (a skipped phase shows as done with 0 visits).
 */
export function phaseTimeline(incident: IncidentState, now: number): PhaseTimelineEntry[] {
  const phases = incident.playbook.phases;
  const currentIndex = phases.findIndex((p) => p.id === incident.phase);
  const visits = visitsInTimeOrder(incident);
  return phases.map((phase, index) => {
    let count = 0;
    let timeSpentMs = 0;
    let firstEnteredAt: number | null = null;
    let lastEnteredAt: number | null = null;
    visits.forEach((visit, i) => {
      if (visit.phase !== phase.id) return;
      const leftAt = i + 1 < visits.length ? visits[i + 1].at : now;
      count += 1;
      timeSpentMs += Math.max(0, leftAt - visit.at);
      firstEnteredAt ??= visit.at;
      lastEnteredAt = visit.at;
    });
    const state: PhaseProgress =
      phase.id === incident.phase ? 'current' : count > 0 || (currentIndex >= 0 && index < currentIndex) ? 'done' : 'upcoming';
    return { phaseId: phase.id, title: phase.title, state, ...windowBounds(incident, phase), visits: count, timeSpentMs, firstEnteredAt, lastEnteredAt };
  });
}
