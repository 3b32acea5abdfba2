/**
 * Rule: an incident's metric alerts are a pure function of its samples, its sources' configuration
 * and polls, and its playbook, so every replica holding the same ops shows the same alerts and a
 * commander's decision (alerts.decide, the only op) settles one everywhere.
 *
 * - Thresholds (threshold-alerts.ts) are evaluated per source with that source's sustain window:
 *   a poller's one spike does not page the room. Samples of no configured source (typed in by
 *   hand, imported without a source) have sustain 0. Per metric the most severe alert wins (then
 *   the earliest, then the key), whichever source raised it.
 * - A source whose latest poll is down, and has been down for its sustain window, alerts too:
 *   `source-down:<source>:<first down poll t>`, suggesting the source's configured severity. A
 *   removed source no longer alerts down; its samples keep its sustain window.
 */
import type { Playbook, Severity } from '../playbook/schema';
import type { SourceConfig } from './metric-source';
import { alertSummary, describeAlert, evaluateThresholds, metricPhrase, severityRank, type MetricSample, type ThresholdAlert } from './threshold-alerts';
import type { SourceStatus } from './views';

export interface SourcedSample extends MetricSample {
  source: string;
}

export interface AlertingSource {
  id: string;
  config: Pick<SourceConfig, 'name' | 'sustainMs' | 'downSeverity' | 'metric'>;
  status: SourceStatus;
  /** Taken off the incident (sources.remove): no outage alert. */
  removed?: boolean;
}

export interface SourceDownAlert {
  kind: 'source-down';
  alertKey: string;
  suggestedSeverity: Severity;
  sourceId: string;
  sourceName: string;
  metric: string;
  reason: string;
  since: number;
  at: number;
}

export type IncidentAlert = (ThresholdAlert & { kind: 'threshold' }) | SourceDownAlert;

const moreUrgent = (a: ThresholdAlert, b: ThresholdAlert): boolean =>
  severityRank(a.suggestedSeverity) - severityRank(b.suggestedSeverity) < 0 ||
  (a.suggestedSeverity === b.suggestedSeverity && (a.since < b.since || (a.since === b.since && a.alertKey < b.alertKey)));

export function evaluateIncidentAlerts(
  samples: readonly SourcedSample[],
  sources: readonly AlertingSource[],
  playbook: Pick<Playbook, 'alertThresholds'>,
): IncidentAlert[] {
  const sustainOf = new Map(sources.map((s) => [s.id, s.config.sustainMs]));
  const bySource = new Map<string, SourcedSample[]>();
  for (const sample of samples) {
    const group = bySource.get(sample.source);
    if (group) group.push(sample);
    else bySource.set(sample.source, [sample]);
  }
  const worstByMetric = new Map<string, ThresholdAlert>();
  for (const [source, group] of [...bySource].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const alert of evaluateThresholds(group, playbook, { sustainMs: sustainOf.get(source) ?? 0 })) {
      const worst = worstByMetric.get(alert.metric);
      if (!worst || moreUrgent(alert, worst)) worstByMetric.set(alert.metric, alert);
    }
  }
  const thresholds: IncidentAlert[] = [...worstByMetric.values()].map((a) => ({ kind: 'threshold', ...a }));

  const outages: IncidentAlert[] = sources.flatMap((s) => {
    const { status } = s;
    if (s.removed || status.state !== 'down' || status.downSince === null || status.at === null) return [];
    if (status.at - status.downSince < s.config.sustainMs) return [];
    return [
      {
        kind: 'source-down' as const,
        alertKey: `source-down:${s.id}:${status.downSince}`,
        suggestedSeverity: s.config.downSeverity,
        sourceId: s.id,
        sourceName: s.config.name,
        metric: s.config.metric,
        reason: status.reason ?? 'no reason given',
        since: status.downSince,
        at: status.at,
      },
    ];
  });
  return [...thresholds, ...outages].sort((a, b) => severityRank(a.suggestedSeverity) - severityRank(b.suggestedSeverity) || a.since - b.since || (a.alertKey < b.alertKey ? -1 : 1));
}

/** The banner: `source "API health" is down (answered HTTP 503) — suggest P2`, or a threshold's. */
export const describeIncidentAlert = (alert: IncidentAlert): string =>
  alert.kind === 'threshold' ? describeAlert(alert) : `source "${alert.sourceName}" (${metricPhrase(alert.metric)}) is down: ${alert.reason} — suggest ${alert.suggestedSeverity}`;

/** What the timeline records of it. */
export const incidentAlertSummary = (alert: IncidentAlert): string =>
  alert.kind === 'threshold' ? alertSummary(alert) : `source "${alert.sourceName}" down: ${alert.reason} (${alert.suggestedSeverity})`;

