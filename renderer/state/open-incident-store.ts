/**
 * The incident on screen: its state, roster, checklist, tasks, charted series (downsampled by the
 * core), metric alerts and sources. Refreshed as a whole when
 * the core says the incident changed (one place, connect-events.ts); components select narrow
 * slices so a new sample does not re-render the roster.
 */
import { createStore } from 'zustand/vanilla';
import type { IncidentAlert } from '../../shared/model/incident-alerts';
import type { ChecklistPhaseView, IncidentView, MetricSeriesPage, ResponseStepView, RosterView, SourceView, TaskView } from '../../shared/model/views';
import type { ConsoleApi } from '../api/console-api';

export interface OpenIncidentState {
  incidentId: string | null;
  view: IncidentView | null;
  roster: RosterView | null;
  checklist: ChecklistPhaseView[];
  tasks: TaskView[];
  /** The charts' series over `chartRangeMs`; null until loaded. */
  metrics: MetricSeriesPage | null;
  /** Every metric alert, decided or not (the charts show the pending ones). */
  alerts: IncidentAlert[];
  sources: SourceView[];
  /** The charts' time range, ending now; null for all samples. */
  chartRangeMs: number | null;
  setChartRange(rangeMs: number | null): Promise<void>;
  /** The procedure's steps (severity actions, notification policy, breach and HIPAA items). */
  steps: ResponseStepView[];
  /** Why the incident could not be loaded (unknown id, no key on this device). */
  error: string | null;
  open(incidentId: string | null): Promise<void>;
  refresh(): Promise<void>;
}

/** Buckets across a chart: two points each is about one per pixel of a right-column chart. */
const CHART_BUCKETS = 300;

export const createOpenIncidentStore = (api: ConsoleApi) =>
  createStore<OpenIncidentState>()((set, get) => ({
    incidentId: null,
    view: null,
    roster: null,
    checklist: [],
    tasks: [],
    metrics: null,
    alerts: [],
    sources: [],
    chartRangeMs: null,
    steps: [],
    error: null,
    async setChartRange(rangeMs) {
      set({ chartRangeMs: rangeMs });
      await get().refresh();
    },
    async open(incidentId) {
      set({ incidentId, view: null, roster: null, checklist: [], tasks: [], metrics: null, alerts: [], sources: [], steps: [], error: null });
      if (incidentId) await get().refresh();
    },
    async refresh() {
      const incidentId = get().incidentId;
      if (!incidentId) return;
      try {
        const rangeMs = get().chartRangeMs;
        const [view, roster, checklist, tasks, metrics, alerts, sources, steps] = await Promise.all([
          api.invoke('incidents.get', { incidentId }),
          api.invoke('roster.get', { incidentId }),
          api.invoke('checklist.get', { incidentId }),
          api.invoke('tasks.list', { incidentId }),
          api.invoke('metrics.series', { incidentId, rangeMs, buckets: CHART_BUCKETS }),
          api.invoke('alerts.list', { incidentId }),
          api.invoke('sources.list', { incidentId }),
          api.invoke('steps.list', { incidentId }),
        ]);
        // A refresh that finishes after the user opened another incident is dropped.
        if (get().incidentId === incidentId) set({ view, roster, checklist, tasks, metrics, alerts, sources, steps, error: null });
      } catch (error) {
        if (get().incidentId === incidentId) set({ error: (error as Error).message });
      }
    },
  }));
