import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { IncidentView, SampleView } from '../../shared/model/views';
import {
  alertSummary,
  evaluateThresholds,
  pendingAlerts,
  thresholdRulesByMetric,
  type SeverityRule,
  type ThresholdAlert,
} from '../../shared/model/threshold-alerts';
import type { ConsoleApi } from '../api/console-api';
import { useAction, useApi, useCanWrite, useOpenIncident, useStores } from '../state/console-stores';
import { MetricAlert, type AlertDecision } from './MetricAlert';
import { MetricChart, type ChartThreshold } from './MetricChart';
import { MetricSampleForm } from './MetricSampleForm';
import '../styles/metrics.css';

/**
 * One reading past a threshold alerts: a sample typed in by hand is a person's deliberate reading,
 * and the commander still decides (a poller's sustain window belongs with its source's config).
 */
const ALERT_SUSTAIN_MS = 0;
/** timeline.list's largest page. */
const DECISIONS_PAGE = 1_000;
const NO_SAMPLES: readonly SampleView[] = [];
/** For a threshold whose severity the playbook gives no colour (a schema-valid playbook always does). */
const FALLBACK_COLOUR = '#888888';

/** The alert keys decided on the timeline (a retracted decision no longer counts). */
async function decidedAlertKeys(api: ConsoleApi, incidentId: string): Promise<Set<string>> {
  const keys = new Set<string>();
  for (let offset = 0; ; offset += DECISIONS_PAGE) {
    const page = await api.invoke('timeline.list', { incidentId, kinds: ['metric-alert'], offset, limit: DECISIONS_PAGE });
    for (const entry of page.entries) if (entry.alertKey && !entry.retractedBy) keys.add(entry.alertKey);
    if (page.entries.length === 0 || offset + page.entries.length >= page.total) return keys;
  }
}

interface Decisions {
  /** The incident these were read for; null until the first answer. */
  incidentId: string | null;
  /** As the timeline last said. */
  recorded: ReadonlySet<string>;
  /** Decided here and not yet seen on the timeline, so the banner goes at once. */
  local: ReadonlySet<string>;
}

/**
 * Decided alert keys, asked again on every refresh of the incident's view (a decision changes the
 * incident); null until the timeline has answered, so an alert decided long ago never flashes up.
 */
function useDecidedAlertKeys(view: IncidentView | null): { decided: ReadonlySet<string> | null; markDecided(key: string): void } {
  const api = useApi();
  const { notices } = useStores();
  const incidentId = view?.state.id ?? null;
  const [decisions, setDecisions] = useState<Decisions>({ incidentId: null, recorded: new Set(), local: new Set() });

  useEffect(() => {
    if (!incidentId) return;
    let current = true;
    decidedAlertKeys(api, incidentId).then(
      (recorded) => {
        if (current) setDecisions((d) => (d.incidentId === incidentId ? { ...d, recorded } : { incidentId, recorded, local: new Set() }));
      },
      (error: Error) => current && notices.getState().push('error', error.message),
    );
    return () => {
      current = false;
    };
  }, [api, notices, incidentId, view]);

  const markDecided = useCallback(
    (key: string) => setDecisions((d) => (d.incidentId === incidentId ? { ...d, local: new Set(d.local).add(key) } : d)),
    [incidentId],
  );
  const decided = useMemo(
    () => (decisions.incidentId === incidentId ? new Set([...decisions.recorded, ...decisions.local]) : null),
    [decisions, incidentId],
  );
  return { decided, markDecided };
}

/**
 * The metric charts of the incident screen: pending threshold alerts first, as banners; then one
 * chart per metric the playbook sets thresholds for (in the order its thresholds name them, so error
 * rate and response time lead) or that has samples; then the form to add a sample by hand.
 */
export function MetricCharts() {
  const api = useApi();
  const act = useAction();
  const view = useOpenIncident((s) => s.view);
  const samples = useOpenIncident((s) => s.samples);
  // A read link or the wall display opens with read access even on a device that holds the write key.
  const canWrite = useCanWrite();
  const { decided, markDecided } = useDecidedAlertKeys(view);
  const headingId = useId();

  const incident = view?.state ?? null;
  const playbook = incident?.playbook ?? null;
  const samplesByMetric = useMemo(() => {
    const byMetric = new Map<string, SampleView[]>();
    for (const sample of samples) {
      const series = byMetric.get(sample.metric);
      if (series) series.push(sample);
      else byMetric.set(sample.metric, [sample]);
    }
    return byMetric;
  }, [samples]);
  const rulesByMetric = useMemo(() => (playbook ? thresholdRulesByMetric(playbook) : new Map<string, SeverityRule[]>()), [playbook]);
  const charted = useMemo(() => {
    if (!playbook) return [];
    const withThresholds = [...rulesByMetric.keys()].flatMap((id) => playbook.metrics.filter((m) => m.id === id));
    const withSamplesOnly = playbook.metrics.filter((m) => !rulesByMetric.has(m.id) && samplesByMetric.has(m.id));
    return [...withThresholds, ...withSamplesOnly];
  }, [playbook, rulesByMetric, samplesByMetric]);
  const alerts = useMemo(() => (playbook ? evaluateThresholds(samples, playbook, { sustainMs: ALERT_SUSTAIN_MS }) : []), [samples, playbook]);

  if (!view || !incident || !playbook) return null;
  const incidentId = incident.id;
  const pending = decided ? pendingAlerts(alerts, decided, incident.severity) : [];
  const colourOf = (severity: string) => playbook.severities.find((s) => s.id === severity)?.colour ?? FALLBACK_COLOUR;
  const thresholdsOf = (metric: string): ChartThreshold[] =>
    (rulesByMetric.get(metric) ?? []).map(({ severity, rule }) => ({ severity, rule, colour: colourOf(severity) }));
  const formMetrics = [...charted, ...playbook.metrics.filter((m) => !charted.includes(m))];

  const decide = async (alert: ThresholdAlert, decision: AlertDecision) => {
    const recorded = await act(() =>
      api.invoke('alerts.decide', {
        incidentId,
        alertKey: alert.alertKey,
        suggestedSeverity: alert.suggestedSeverity,
        decision,
        summary: alertSummary(alert),
      }),
    );
    if (recorded) markDecided(alert.alertKey);
  };

  return (
    <section className="panel metric-charts" aria-labelledby={headingId}>
      <h2 id={headingId}>Metrics</h2>
      {pending.map((alert) => (
        <MetricAlert key={alert.alertKey} alert={alert} onDecide={canWrite ? (decision) => decide(alert, decision) : undefined} />
      ))}
      {charted.map((metric) => (
        <MetricChart
          key={metric.id}
          metric={metric}
          samples={samplesByMetric.get(metric.id) ?? NO_SAMPLES}
          thresholds={thresholdsOf(metric.id)}
          detectedAt={incident.milestones.detected?.at ?? incident.declaredAt}
        />
      ))}
      {canWrite && <MetricSampleForm key={incidentId} incidentId={incidentId} metrics={formMetrics} />}
    </section>
  );
}
