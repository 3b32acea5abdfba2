/** The incident list: active and past incidents as the core lists them. */
import { createStore } from 'zustand/vanilla';
import type { IncidentSummary } from '../../shared/model/views';
import type { ConsoleApi } from '../api/console-api';

export interface IncidentListState {
  incidents: IncidentSummary[];
  loaded: boolean;
  refresh(): Promise<void>;
}

export const createIncidentListStore = (api: ConsoleApi) =>
  createStore<IncidentListState>()((set) => ({
    incidents: [],
    loaded: false,
    async refresh() {
      set({ incidents: await api.invoke('incidents.list', {}), loaded: true });
    },
  }));
