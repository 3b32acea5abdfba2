/**
 * Rule (seed "Continuous Improvement", DESIGN.md §4): the monthly review counts real incidents only;
 * a drill is listed, marked as left out, and counts nowhere. An incident falls in the period and month
 * it was detected in (else declared), UTC, and is filtered by its current severity.
 * - Response times per incident and MTTD/MTTA/MTTR per month: response-times.ts.
 * - Validation hit rate: of the items that apply and are decided (met, or missed — a running clock
 *   past its deadline is missed), the share met; null when none is decided.
 * - Process improvements implemented: action items (tasks of type 'action-item') done.
 */
import type { Severity } from '../playbook/schema';
import { SEVERITIES } from '../playbook/schema';
import type { IncidentState } from './incident';
import { detectedAt } from './milestone-times';
import { responseMetricsByMonth, responseMonth, responseStatistic, responseTimes, type MonthlyResponseMetrics, type ResponseStatistic, type ResponseTimes } from './response-times';
import { validationTimers } from './validation-timers';

export interface ReviewedTask {
  type: 'task' | 'action-item';
  state: 'open' | 'done' | 'cancelled';
}

export interface ReviewedIncident {
  state: IncidentState;
  tasks: readonly ReviewedTask[];
}

export interface ReviewFilter {
  /** Detected at or after, UTC ms. */
  from?: number;
  /** Detected before, UTC ms. */
  to?: number;
  /** Current severities to keep; all when absent or empty. */
  severities?: readonly Severity[];
}

export interface ValidationScore {
  met: number;
  missed: number;
  /** met / (met + missed), or null when nothing is decided yet. */
  hitRate: number | null;
}

export interface IncidentReview extends ResponseTimes {
  id: string;
  title: string;
  severity: Severity;
  drill: boolean;
  /** False for a drill: listed, never counted. */
  counted: boolean;
  detectedAt: number;
  month: string;
  validation: ValidationScore;
  improvementsImplemented: number;
}

export interface MonthlyReview extends MonthlyResponseMetrics {
  validation: ValidationScore;
  improvementsImplemented: number;
}

export interface ReviewMetrics {
  /** Every incident in the period and severities, newest first, drills included and marked. */
  incidents: IncidentReview[];
  /** Counted incidents per month, oldest first. */
  months: MonthlyReview[];
  totals: {
    incidents: number;
    drills: number;
    timeToDetect: ResponseStatistic;
    timeToAcknowledge: ResponseStatistic;
    timeToResolve: ResponseStatistic;
    perSeverity: Record<Severity, number>;
    validation: ValidationScore;
    improvementsImplemented: number;
  };
}

const score = (met: number, missed: number): ValidationScore => ({ met, missed, hitRate: met + missed === 0 ? null : met / (met + missed) });

const sumScores = (scores: readonly ValidationScore[]): ValidationScore =>
  score(
    scores.reduce((n, s) => n + s.met, 0),
    scores.reduce((n, s) => n + s.missed, 0),
  );

/** The incident's validation items that apply, met against missed, as of `now`. */
export function validationScore(incident: IncidentState, now: number): ValidationScore {
  const timers = validationTimers(incident, now);
  return score(timers.filter((t) => t.state === 'met').length, timers.filter((t) => t.state === 'missed').length);
}

export const improvementsImplemented = (tasks: readonly ReviewedTask[]): number =>
  tasks.filter((t) => t.type === 'action-item' && t.state === 'done').length;

export function reviewIncident({ state, tasks }: ReviewedIncident, now: number): IncidentReview {
  return {
    id: state.id,
    title: state.title,
    severity: state.severity,
    drill: state.drill,
    counted: !state.drill,
    detectedAt: detectedAt(state),
    month: responseMonth(state),
    ...responseTimes(state),
    validation: validationScore(state, now),
    improvementsImplemented: improvementsImplemented(tasks),
  };
}

export function inReviewFilter(state: IncidentState, filter: ReviewFilter): boolean {
  const at = detectedAt(state);
  if (filter.from !== undefined && at < filter.from) return false;
  if (filter.to !== undefined && at >= filter.to) return false;
  return !filter.severities?.length || filter.severities.includes(state.severity);
}

export function reviewMetrics(all: readonly ReviewedIncident[], filter: ReviewFilter, now: number): ReviewMetrics {
  const kept = all.filter((i) => inReviewFilter(i.state, filter));
  const reviews = kept.map((i) => reviewIncident(i, now)).sort((a, b) => b.detectedAt - a.detectedAt);
  const counted = reviews.filter((r) => r.counted);
  const countedStates = kept.filter((i) => !i.state.drill).map((i) => i.state);

  const months = responseMetricsByMonth(countedStates).map((month) => {
    const inMonth = counted.filter((r) => r.month === month.month);
    return {
      ...month,
      validation: sumScores(inMonth.map((r) => r.validation)),
      improvementsImplemented: inMonth.reduce((n, r) => n + r.improvementsImplemented, 0),
    };
  });
  // Across the whole period: every counted incident at once, so the mean is per incident, not per month.
  const whole = {
    timeToDetect: responseStatistic(counted.map((r) => r.timeToDetectMs)),
    timeToAcknowledge: responseStatistic(counted.map((r) => r.timeToAcknowledgeMs)),
    timeToResolve: responseStatistic(counted.map((r) => r.timeToResolveMs)),
  };
  const perSeverity = Object.fromEntries(SEVERITIES.map((s) => [s, counted.filter((r) => r.severity === s).length])) as Record<Severity, number>;

  return {
    incidents: reviews,
    months,
    totals: {
      incidents: counted.length,
      drills: reviews.length - counted.length,
      ...whole,
      perSeverity,
      validation: sumScores(counted.map((r) => r.validation)),
      improvementsImplemented: counted.reduce((n, r) => n + r.improvementsImplemented, 0),
    },
  };
}

const MONTH = /^(\d{4})-(\d{2})$/;

/**
 * The period of whole UTC months `fromMonth` to `toMonth` (`YYYY-MM`, both included) as a filter:
 * from the first instant of the first month to the first instant after the last. An empty or
 * malformed month leaves that end open.
 */
export function monthsPeriod(fromMonth: string, toMonth: string): Pick<ReviewFilter, 'from' | 'to'> {
  const start = (month: string, after: number): number | undefined => {
    const match = MONTH.exec(month);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return undefined;
    return Date.UTC(Number(match[1]), Number(match[2]) - 1 + after, 1);
  };
  const period: Pick<ReviewFilter, 'from' | 'to'> = {};
  const from = start(fromMonth, 0);
  const to = start(toMonth, 1);
  if (from !== undefined) period.from = from;
  if (to !== undefined) period.to = to;
  return period;
}
