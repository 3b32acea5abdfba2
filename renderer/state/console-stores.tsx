/**
 * The console's stores, made once per app (so tests get fresh ones), handed down by context, and
 * read with narrow selectors. Server state arrives through the api subscription and is applied here,
 * in one place.
 */
import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ConsoleApi } from '../api/console-api';
import { CLOCK_TICK_MS, createClockStore, type ClockState } from './clock-store';
import { createIncidentListStore, type IncidentListState } from './incident-list-store';
import { createNoticeStore, type NoticeState } from './notice-store';
import { createOpenIncidentStore, type OpenIncidentState } from './open-incident-store';
import { createTimelineStore, type TimelineState } from './timeline-store';

export interface ConsoleStores {
  api: ConsoleApi;
  incidents: StoreApi<IncidentListState>;
  incident: StoreApi<OpenIncidentState>;
  timeline: StoreApi<TimelineState>;
  clock: StoreApi<ClockState>;
  notices: StoreApi<NoticeState>;
}

export function createConsoleStores(api: ConsoleApi): ConsoleStores {
  return {
    api,
    incidents: createIncidentListStore(api),
    incident: createOpenIncidentStore(api),
    timeline: createTimelineStore(api),
    clock: createClockStore(),
    notices: createNoticeStore(),
  };
}

/** Applies the core's push events to the stores; returns the unsubscribe. */
export function connectEvents(stores: ConsoleStores): () => void {
  return stores.api.subscribe((event) => {
    if (event.type === 'incidents-changed') void stores.incidents.getState().refresh();
    if (event.type === 'incident-changed' && event.incidentId === stores.incident.getState().incidentId) {
      void stores.incident.getState().refresh();
      void stores.timeline.getState().reload();
    }
  });
}

const StoresContext = createContext<ConsoleStores | null>(null);

export function ConsoleStoresProvider({ stores, children }: { stores: ConsoleStores; children: ReactNode }) {
  useEffect(() => connectEvents(stores), [stores]);
  useEffect(() => {
    const timer = setInterval(() => stores.clock.getState().tick(), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, [stores]);
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): ConsoleStores {
  const stores = useContext(StoresContext);
  if (!stores) throw new Error('useStores outside ConsoleStoresProvider');
  return stores;
}

export const useApi = (): ConsoleApi => useStores().api;
export const useIncidentList = <T,>(select: (s: IncidentListState) => T): T => useStore(useStores().incidents, select);
export const useOpenIncident = <T,>(select: (s: OpenIncidentState) => T): T => useStore(useStores().incident, select);
export const useTimeline = <T,>(select: (s: TimelineState) => T): T => useStore(useStores().timeline, select);
export const useNow = (): number => useStore(useStores().clock, (s) => s.now);
export const useNotices = <T,>(select: (s: NoticeState) => T): T => useStore(useStores().notices, select);

/** Runs an api call, reporting a refusal's reason to the person instead of failing silently. */
export function useAction() {
  const { notices } = useStores();
  return async <T,>(run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      notices.getState().push('error', (error as Error).message);
      return undefined;
    }
  };
}

/** Whether this view may write to the open incident: a write session and a write key on the device. */
export function useCanWrite(): boolean {
  const api = useApi();
  const access = useOpenIncident((s) => s.view?.access);
  return api.access === 'write' && access === 'write';
}
