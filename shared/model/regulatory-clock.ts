/**
 * Rule: once a breach is flagged with the moment the organisation became aware of it, the
 * regulatory reporting clock runs from that moment for the pinned playbook's
 * `breach.regulatoryDeadlineMinutes` (the seed's 72 hours). Without both, there is no clock.
 */
import type { IncidentState } from './incident';
import { minutesToMs } from './milestone-times';

export interface RegulatoryClock {
  startedAt: number;
  deadline: number;
  /** deadline − now; negative when overdue. */
  remainingMs: number;
  overdue: boolean;
}

export function regulatoryClock(incident: IncidentState, now: number): RegulatoryClock | null {
  const { flagged, awareAt } = incident.breach;
  if (!flagged || awareAt === null) return null;
  const deadline = awareAt + minutesToMs(incident.playbook.breach.regulatoryDeadlineMinutes);
  const remainingMs = deadline - now;
  return { startedAt: awareAt, deadline, remainingMs, overdue: remainingMs < 0 };
}
