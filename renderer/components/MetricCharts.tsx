import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import type { IncidentView, SourceView } from '../../shared/model/views';
import { incidentAlertSummary, type IncidentAlert } from '../../shared/model/incident-alerts';
import { pendingAlerts, thresholdRulesByMetric, type SeverityRule } from '../../shared/model/threshold-alerts';
import type { ConsoleApi } from '../api/console-api';
import { useAction, useApi, useCanWrite, useOpenIncident, useStores } from '../state/console-stores';
import { MetricAlert, type AlertDecision } from './MetricAlert';
import { MetricChart, type ChartThreshold, type LabelledMarker } from './MetricChart';
import { MetricSampleForm } from './MetricSampleForm';
import { SourcesDialog } from './SourcesDialog';
import '../styles/metrics.css';
import '../styles/sources.css';

/** The charts' time ranges, ending now; null is all samples. */
export const CHART_RANGES: ReadonlyArray<{ label: string; rangeMs: number | null }> = [
  { label: '15 min', rangeMs: 15 * 60_000 },
  { label: '1 h', rangeMs: 60 * 60_000 },
  { label: '6 h', rangeMs: 6 * 60 * 60_000 },
  { label: 'All', rangeMs: null },
];
const NO_SOURCES: readonly SourceView[] = [];
/** timeline.list's largest page. */
const DECISIONS_PAGE = 1_000;
const NO_POINTS: ReadonlyArray<{ t: number; value: number }> = [];
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
  const { incident: incidentStore } = useStores();
  const view = useOpenIncident((s) => s.view);
  const metrics = useOpenIncident((s) => s.metrics);
  const alerts = useOpenIncident((s) => s.alerts);
  const sources = useOpenIncident((s) => s.sources);
  const chartRangeMs = useOpenIncident((s) => s.chartRangeMs);
  // A read link or the wall display opens with read access even on a device that holds the write key.
  const canWrite = useCanWrite();
  const { decided, markDecided } = useDecidedAlertKeys(view);
  const [sourcesOpen, setSourcesOpen] = useState(false);
  const headingId = useId();

  const incident = view?.state ?? null;
  const playbook = incident?.playbook ?? null;
  const seriesByMetric = useMemo(() => new Map((metrics?.series ?? []).map((s) => [s.metric, s])), [metrics]);
  const sourcesByMetric = useMemo(() => {
    const byMetric = new Map<string, SourceView[]>();
    for (const source of sources) byMetric.set(source.config.metric, [...(byMetric.get(source.config.metric) ?? []), source]);
    return byMetric;
  }, [sources]);
  const rulesByMetric = useMemo(() => (playbook ? thresholdRulesByMetric(playbook) : new Map<string, SeverityRule[]>()), [playbook]);
  const charted = useMemo(() => {
    if (!playbook) return [];
    const withThresholds = [...rulesByMetric.keys()].flatMap((id) => playbook.metrics.filter((m) => m.id === id));
    const withData = playbook.metrics.filter((m) => !rulesByMetric.has(m.id) && (seriesByMetric.has(m.id) || sourcesByMetric.has(m.id)));
    return [...withThresholds, ...withData];
  }, [playbook, rulesByMetric, seriesByMetric, sourcesByMetric]);

  if (!view || !incident || !playbook) return null;
  const incidentId = incident.id;
  const pending = decided ? pendingAlerts(alerts, decided, incident.severity) : [];
  const colourOf = (severity: string) => playbook.severities.find((s) => s.id === severity)?.colour ?? FALLBACK_COLOUR;
  const thresholdsOf = (metric: string): ChartThreshold[] =>
    (rulesByMetric.get(metric) ?? []).map(({ severity, rule }) => ({ severity, rule, colour: colourOf(severity) }));
  const markers: LabelledMarker[] = (metrics?.markers ?? []).map((m) =>
    m.kind === 'severity'
      ? { ...m, label: m.value, colour: colourOf(m.value) }
      : { ...m, label: `phase: ${playbook.phases.find((p) => p.id === m.value)?.title ?? m.value}` },
  );
  const range = metrics && metrics.from !== null ? { from: metrics.from, to: metrics.to } : null;
  const formMetrics = [...charted, ...playbook.metrics.filter((m) => !charted.includes(m))];

  const decide = async (alert: IncidentAlert, decision: AlertDecision) => {
    const recorded = await act(() =>
      api.invoke('alerts.decide', {
        incidentId,
        alertKey: alert.alertKey,
        suggestedSeverity: alert.suggestedSeverity,
        decision,
        summary: incidentAlertSummary(alert),
      }),
    );
    if (recorded) markDecided(alert.alertKey);
  };

  return (
    <section className="panel metric-charts" aria-labelledby={headingId}>
      <div className="metric-charts-header">
        <h2 id={headingId}>Metrics</h2>
        <div className="metric-range" role="group" aria-label="Time range">
          {CHART_RANGES.map(({ label, rangeMs }) => (
            <button
              key={label}
              type="button"
              aria-pressed={chartRangeMs === rangeMs}
              onClick={() => void incidentStore.getState().setChartRange(rangeMs)}
            >
              {label}
            </button>
          ))}
        </div>
        <button type="button" onClick={() => setSourcesOpen(true)}>
          Sources{sources.length > 0 && ` (${sources.length})`}
        </button>
      </div>
      {pending.map((alert) => (
        <MetricAlert key={alert.alertKey} alert={alert} onDecide={canWrite ? (decision) => decide(alert, decision) : undefined} />
      ))}
      {charted.map((metric) => (
        <MetricChart
          key={metric.id}
          metric={metric}
          points={seriesByMetric.get(metric.id)?.points ?? NO_POINTS}
          thresholds={thresholdsOf(metric.id)}
          detectedAt={incident.milestones.detected?.at ?? incident.declaredAt}
          markers={markers}
          sources={sourcesByMetric.get(metric.id) ?? NO_SOURCES}
          range={range}
        />
      ))}
      {canWrite && <MetricSampleForm key={incidentId} incidentId={incidentId} metrics={formMetrics} />}
      {sourcesOpen && <SourcesDialog incidentId={incidentId} playbook={playbook} sources={sources} canWrite={canWrite} onClose={() => setSourcesOpen(false)} />}
    </section>
  );
}
