/**
 * Rule (DESIGN.md §4, seed "Metrics to Track"): time to detect = detected − impact started; time to
 * acknowledge = acknowledged − detected; time to resolve = resolved − detected. Each is null while
 * either milestone is missing. Monthly figures (MTTD, MTTA, MTTR and medians) group incidents by the
 * UTC month they were detected in (else declared) and leave drills out.
 */
import type { IncidentState } from './incident';
import { detectedAt, milestoneAt } from './milestone-times';

export interface ResponseTimes {
  timeToDetectMs: number | null;
  timeToAcknowledgeMs: number | null;
  timeToResolveMs: number | null;
}

export interface ResponseStatistic {
  /** Incidents that had both milestones. */
  count: number;
  meanMs: number | null;
  medianMs: number | null;
}

export interface MonthlyResponseMetrics {
  /** UTC month, `YYYY-MM`. */
  month: string;
  /** Real (non-drill) incidents detected that month. */
  incidents: number;
  timeToDetect: ResponseStatistic;
  timeToAcknowledge: ResponseStatistic;
  timeToResolve: ResponseStatistic;
}

const between = (from: number | null, to: number | null): number | null => (from === null || to === null ? null : to - from);

export function responseTimes(incident: IncidentState): ResponseTimes {
  const detected = milestoneAt(incident, 'detected');
  return {
    timeToDetectMs: between(milestoneAt(incident, 'impactStarted'), detected),
    timeToAcknowledgeMs: between(detected, milestoneAt(incident, 'acknowledged')),
    timeToResolveMs: between(detected, milestoneAt(incident, 'resolved')),
  };
}

/** Count, mean and median of the known values (nulls left out). */
export function responseStatistic(values: ReadonlyArray<number | null>): ResponseStatistic {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const count = known.length;
  if (count === 0) return { count, meanMs: null, medianMs: null };
  const middle = Math.floor(count / 2);
  const medianMs = count % 2 === 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
  return { count, meanMs: known.reduce((sum, v) => sum + v, 0) / count, medianMs };
}

/** The UTC month an incident counts in: `YYYY-MM` of detected, else declared. */
export function responseMonth(incident: IncidentState): string {
  return new Date(detectedAt(incident)).toISOString().slice(0, 7);
}

/** Per UTC month, oldest first, drills excluded; months without a real incident are absent. */
export function responseMetricsByMonth(incidents: readonly IncidentState[]): MonthlyResponseMetrics[] {
  const byMonth = new Map<string, ResponseTimes[]>();
  for (const incident of incidents) {
    if (incident.drill) continue;
    const month = responseMonth(incident);
    const times = byMonth.get(month) ?? [];
    times.push(responseTimes(incident));
    byMonth.set(month, times);
  }
  return [...byMonth.keys()].sort().map((month) => {
    const times = byMonth.get(month) ?? [];
    return {
      month,
      incidents: times.length,
      timeToDetect: responseStatistic(times.map((t) => t.timeToDetectMs)),
      timeToAcknowledge: responseStatistic(times.map((t) => t.timeToAcknowledgeMs)),
      timeToResolve: responseStatistic(times.map((t) => t.timeToResolveMs)),
    };
  });
}
