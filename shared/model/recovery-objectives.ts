/**
 * Rule: an affected system whose id equals a recovery objective's id takes that objective (seed
 * "RTO & RPO"). The RTO clock runs from impact started (else detected) per system and is met when
 * the incident is mitigated by the deadline; the header shows the tightest. RPO is not a clock but
 * a prompt: the last good backup must be after (impact started, else detected) − RPO.
 */
import type { RecoveryObjective } from '../playbook/schema';
import type { IncidentState } from './incident';
import { formatUtcMinute } from './incident-clock';
import { impactStartAt, milestoneAt, minutesToMs, MS_PER_MINUTE } from './milestone-times';

export interface RtoCountdown {
  systemId: string;
  system: string;
  rtoMs: number;
  /** When the RTO clock started: impact started, else detected. */
  startedAt: number;
  deadline: number;
  /** deadline − now while not mitigated; deadline − mitigated once it is (negative: late by). */
  remainingMs: number;
  /** Recovery is (or was) late: mitigated after the deadline, or not mitigated and past it. */
  breached: boolean;
  /** Mitigated at or before the deadline. */
  met: boolean;
}

export interface RpoPrompt {
  systemId: string;
  system: string;
  rpoMs: number;
  /** UTC ms: the last good backup must be after this moment. */
  lastGoodBackupAfter: number;
  prompt: string;
}

/** The recovery objectives of the affected systems, tightest RTO first (ties by id). */
export function affectedObjectives(incident: IncidentState): RecoveryObjective[] {
  const affected = new Set(incident.affectedSystems);
  return incident.playbook.recoveryObjectives
    .filter((objective) => affected.has(objective.id))
    .sort((a, b) => a.rtoMinutes - b.rtoMinutes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function rtoCountdowns(incident: IncidentState, now: number): RtoCountdown[] {
  const startedAt = impactStartAt(incident);
  const mitigatedAt = milestoneAt(incident, 'mitigated');
  return affectedObjectives(incident).map((objective) => {
    const rtoMs = minutesToMs(objective.rtoMinutes);
    const deadline = startedAt + rtoMs;
    const stoppedAt = mitigatedAt ?? now;
    const met = mitigatedAt !== null && mitigatedAt <= deadline;
    return {
      systemId: objective.id,
      system: objective.system,
      rtoMs,
      startedAt,
      deadline,
      remainingMs: deadline - stoppedAt,
      breached: stoppedAt > deadline,
      met,
    };
  });
}

/** The countdown the header shows: the affected system with the tightest RTO; null if none has one. */
export function tightestRto(incident: IncidentState, now: number): RtoCountdown | null {
  return rtoCountdowns(incident, now)[0] ?? null;
}

/** Rounds up to a whole minute, so a backup "after" the shown minute is after the true moment. */
const ceilToMinute = (at: number): number => Math.ceil(at / MS_PER_MINUTE) * MS_PER_MINUTE;

/** One prompt per affected system with an RPO, tightest RPO first (then tightest RTO). */
export function rpoPrompts(incident: IncidentState): RpoPrompt[] {
  const startedAt = impactStartAt(incident);
  const byRpo = affectedObjectives(incident).sort((a, b) => (a.rpoMinutes ?? 0) - (b.rpoMinutes ?? 0));
  return byRpo.flatMap((objective) => {
    if (objective.rpoMinutes === null) return [];
    const rpoMs = minutesToMs(objective.rpoMinutes);
    const lastGoodBackupAfter = startedAt - rpoMs;
    return [
      {
        systemId: objective.id,
        system: objective.system,
        rpoMs,
        lastGoodBackupAfter,
        prompt: `Confirm the last good backup of ${objective.system} is after ${formatUtcMinute(ceilToMinute(lastGoodBackupAfter))}`,
      },
    ];
  });
}
