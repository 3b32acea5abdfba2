/**
 * Rule: the playbook's alert thresholds (seed: "P1: >5% error rate, >10s response time", …) turn a
 * metric's samples into a suggested severity.
 *
 * - A crossing episode of a rule is the run of a metric's latest samples, in time order, that all
 *   cross it; it ends when a sample falls back (so a later crossing starts a new episode). Only an
 *   episode still running at the latest sample raises an alert: a spike that is over suggests nothing.
 * - An episode counts once it has held for `sustainMs` (latest crossing − first crossing); 0 means one
 *   sample is enough, as for a reading a person types in.
 * - Per metric, the most severe sustained rule wins.
 * - The alert key is `metric:severity:firstCrossingT`: a pure function of the sample set, so every
 *   replica holding the same samples names the same alert, and a decision on the timeline
 *   (alerts.decide) settles it everywhere. Samples are ordered by (t, value), so input order never
 *   changes the answer.
 */
import { SEVERITIES, type Playbook, type Severity, type ThresholdRule } from '../playbook/schema';

export interface MetricSample {
  metric: string;
  t: number;
  value: number;
}

export interface ThresholdAlert {
  alertKey: string;
  metric: string;
  suggestedSeverity: Severity;
  /** The threshold crossed: comparator, value and unit from the playbook. */
  rule: ThresholdRule;
  /** The latest crossing value. */
  value: number;
  /** When the episode started: its first crossing sample. */
  since: number;
  /** The latest crossing sample's time. */
  at: number;
}

export interface ThresholdOptions {
  /** How long a crossing must hold before it alerts; 0 for manual samples. */
  sustainMs?: number;
}

/** 0 is the most severe (P0). */
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

export const isMoreSevere = (a: Severity, than: Severity): boolean => severityRank(a) < severityRank(than);

export function crosses(value: number, rule: Pick<ThresholdRule, 'comparator' | 'value'>): boolean {
  switch (rule.comparator) {
    case '>':
      return value > rule.value;
    case '>=':
      return value >= rule.value;
    case '<':
      return value < rule.value;
    case '<=':
      return value <= rule.value;
  }
}

export interface SeverityRule {
  severity: Severity;
  rule: ThresholdRule;
}

/** Rules per metric, metrics in the order the playbook's thresholds first name them. */
export function thresholdRulesByMetric(playbook: Pick<Playbook, 'alertThresholds'>): Map<string, SeverityRule[]> {
  const byMetric = new Map<string, SeverityRule[]>();
  for (const threshold of playbook.alertThresholds) {
    for (const rule of threshold.rules) {
      byMetric.set(rule.metric, [...(byMetric.get(rule.metric) ?? []), { severity: threshold.severity, rule }]);
    }
  }
  return byMetric;
}

const byTimeThenValue = (a: MetricSample, b: MetricSample): number => a.t - b.t || a.value - b.value;

/** The episode of `rule` still running at the last sample, if any. */
function runningEpisode(series: readonly MetricSample[], rule: ThresholdRule): { first: MetricSample; last: MetricSample } | null {
  let start = series.length;
  while (start > 0 && crosses(series[start - 1].value, rule)) start--;
  if (start === series.length) return null;
  return { first: series[start], last: series[series.length - 1] };
}

export function evaluateThresholds(
  samples: readonly MetricSample[],
  playbook: Pick<Playbook, 'alertThresholds'>,
  options: ThresholdOptions = {},
): ThresholdAlert[] {
  const sustainMs = options.sustainMs ?? 0;
  const rulesByMetric = thresholdRulesByMetric(playbook);
  const seriesByMetric = new Map<string, MetricSample[]>();
  for (const sample of samples) {
    if (!rulesByMetric.has(sample.metric)) continue;
    const series = seriesByMetric.get(sample.metric);
    if (series) series.push(sample);
    else seriesByMetric.set(sample.metric, [sample]);
  }

  const alerts: ThresholdAlert[] = [];
  for (const [metric, rules] of rulesByMetric) {
    const series = seriesByMetric.get(metric)?.sort(byTimeThenValue);
    if (!series) continue;
    let worst: ThresholdAlert | null = null;
    for (const { severity, rule } of rules) {
      const episode = runningEpisode(series, rule);
      if (!episode || episode.last.t - episode.first.t < sustainMs) continue;
      if (worst && !isMoreSevere(severity, worst.suggestedSeverity)) continue;
      worst = {
        alertKey: `${metric}:${severity}:${episode.first.t}`,
        metric,
        suggestedSeverity: severity,
        rule,
        value: episode.last.value,
        since: episode.first.t,
        at: episode.last.t,
      };
    }
    if (worst) alerts.push(worst);
  }
  return alerts;
}

/** Alerts nobody has decided on yet that would raise the severity (a lower or equal one is moot). */
export function pendingAlerts<A extends Pick<ThresholdAlert, 'alertKey' | 'suggestedSeverity'>>(alerts: readonly A[], decidedKeys: ReadonlySet<string>, currentSeverity: Severity): A[] {
  return alerts.filter((a) => !decidedKeys.has(a.alertKey) && isMoreSevere(a.suggestedSeverity, currentSeverity));
}

/** Decimals a metric value is shown with: enough for "0.15 %", no float noise. */
const VALUE_DECIMALS = 3;

/** "7.5 %", "12 s", "40 req/s". */
export function formatMetricValue(value: number, unit: string): string {
  const number = String(Number(value.toFixed(VALUE_DECIMALS)));
  return unit ? `${number} ${unit}` : number;
}

/** A metric named as a sentence says it: "error-rate" → "error rate". */
export const metricPhrase = (metric: string): string => metric.replace(/[-.]/g, ' ');

/** A threshold line's label: "P1 > 5 %". */
export const thresholdLabel = (severity: Severity, rule: ThresholdRule): string =>
  `${severity} ${rule.comparator} ${formatMetricValue(rule.value, rule.unit)}`;

/** The banner: "error rate 7.5 % crosses P1 (> 5 %) — suggest P1". */
export const describeAlert = (alert: ThresholdAlert): string =>
  `${metricPhrase(alert.metric)} ${formatMetricValue(alert.value, alert.rule.unit)} crosses ${alert.suggestedSeverity} (${alert.rule.comparator} ${formatMetricValue(alert.rule.value, alert.rule.unit)}) — suggest ${alert.suggestedSeverity}`;

/** What the timeline records of it: "error rate 7.5 % > 5 % (P1)". */
export const alertSummary = (alert: ThresholdAlert): string =>
  `${metricPhrase(alert.metric)} ${formatMetricValue(alert.value, alert.rule.unit)} ${alert.rule.comparator} ${formatMetricValue(alert.rule.value, alert.rule.unit)} (${alert.suggestedSeverity})`;
