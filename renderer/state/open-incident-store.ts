/**
 * The incident on screen: its state, roster, checklist, tasks and samples. Refreshed as a whole when
 * the core says the incident changed (one place, connect-events.ts); components select narrow
 * slices so a new sample does not re-render the roster.
 */
import { createStore } from 'zustand/vanilla';
import type { ChecklistPhaseView, IncidentView, ResponseStepView, RosterView, SampleView, TaskView } from '../../shared/model/views';
import type { ConsoleApi } from '../api/console-api';

export interface OpenIncidentState {
  incidentId: string | null;
  view: IncidentView | null;
  roster: RosterView | null;
  checklist: ChecklistPhaseView[];
  tasks: TaskView[];
  /** The procedure's steps (severity actions, notification policy, breach and HIPAA items). */
  steps: ResponseStepView[];
  samples: SampleView[];
  /** Why the incident could not be loaded (unknown id, no key on this device). */
  error: string | null;
  open(incidentId: string | null): Promise<void>;
  refresh(): Promise<void>;
}

export const createOpenIncidentStore = (api: ConsoleApi) =>
  createStore<OpenIncidentState>()((set, get) => ({
    incidentId: null,
    view: null,
    roster: null,
    checklist: [],
    tasks: [],
    steps: [],
    samples: [],
    error: null,
    async open(incidentId) {
      set({ incidentId, view: null, roster: null, checklist: [], tasks: [], steps: [], samples: [], error: null });
      if (incidentId) await get().refresh();
    },
    async refresh() {
      const incidentId = get().incidentId;
      if (!incidentId) return;
      try {
        const [view, roster, checklist, tasks, steps, samples] = await Promise.all([
          api.invoke('incidents.get', { incidentId }),
          api.invoke('roster.get', { incidentId }),
          api.invoke('checklist.get', { incidentId }),
          api.invoke('tasks.list', { incidentId }),
          api.invoke('steps.list', { incidentId }),
          api.invoke('samples.list', { incidentId }),
        ]);
        // A refresh that finishes after the user opened another incident is dropped.
        if (get().incidentId === incidentId) set({ view, roster, checklist, tasks, steps, samples, error: null });
      } catch (error) {
        if (get().incidentId === incidentId) set({ error: (error as Error).message });
      }
    },
  }));
