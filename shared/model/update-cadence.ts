/**
 * Rule: while the incident is open (not resolved or closed) a status update is due every
 * `updateCadence` minutes for its current severity, counted from the last communication marked
 * sent, or from detected (else declared) before the first one. Marking one sent resets the clock.
 */
import type { IncidentState, IncidentStatus } from './incident';
import { detectedAt, minutesToMs } from './milestone-times';

/** Statuses in which no further status updates are due. */
export const UPDATE_CADENCE_STOPPED: readonly IncidentStatus[] = ['resolved', 'closed'];

export interface NextUpdate {
  cadenceMs: number;
  lastUpdateAt: number;
  dueAt: number;
  /** dueAt − now; negative when overdue. */
  remainingMs: number;
  overdue: boolean;
}

export function nextUpdateDue(incident: IncidentState, now: number): NextUpdate | null {
  if (UPDATE_CADENCE_STOPPED.includes(incident.status)) return null;
  const cadenceMs = minutesToMs(incident.playbook.updateCadence.minutes[incident.severity]);
  const sent = incident.communicationsSentAt;
  const lastUpdateAt = sent.length > 0 ? Math.max(...sent) : detectedAt(incident);
  const dueAt = lastUpdateAt + cadenceMs;
  const remainingMs = dueAt - now;
  return { cadenceMs, lastUpdateAt, dueAt, remainingMs, overdue: remainingMs < 0 };
}
