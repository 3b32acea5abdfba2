/**
 * The console's stores, made once per app (so tests get fresh ones), handed down by context, and
 * read with narrow selectors. Server state arrives through the api subscription and is applied here,
 * in one place.
 */
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ConsoleApi } from '../api/console-api';
import { CLOCK_TICK_MS, createClockStore, type ClockState } from './clock-store';
import { createIncidentListStore, type IncidentListState } from './incident-list-store';
import { createNoticeStore, type NoticeState } from './notice-store';
import { createOpenIncidentStore, type OpenIncidentState } from './open-incident-store';
import { createSyncStore, type SyncStoreState } from './sync-store';
import { applyTheme, createThemeStore, type ThemeState } from './theme-store';
import { createTimelineStore, type TimelineState } from './timeline-store';

export interface ConsoleStores {
  api: ConsoleApi;
  incidents: StoreApi<IncidentListState>;
  incident: StoreApi<OpenIncidentState>;
  timeline: StoreApi<TimelineState>;
  sync: StoreApi<SyncStoreState>;
  clock: StoreApi<ClockState>;
  notices: StoreApi<NoticeState>;
  theme: StoreApi<ThemeState>;
}

export interface ConsoleStoresOptions {
  /** The clock every countdown reads; Date.now unless a test gives the core's fake clock. */
  now?: () => number;
}

export function createConsoleStores(api: ConsoleApi, { now = Date.now }: ConsoleStoresOptions = {}): ConsoleStores {
  return {
    api,
    incidents: createIncidentListStore(api),
    incident: createOpenIncidentStore(api),
    timeline: createTimelineStore(api),
    sync: createSyncStore(api),
    clock: createClockStore(now),
    notices: createNoticeStore(),
    theme: createThemeStore(),
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
    // Connection, pending ops, catch-up and presence; a change to the incident may raise an alarm,
    // and a new device identity (incidents-changed) changes who "you" are among those online.
    const syncOpen = stores.sync.getState().incidentId;
    if (syncOpen && (event.type === 'incidents-changed' || ((event.type === 'sync-changed' || event.type === 'incident-changed') && event.incidentId === syncOpen))) {
      void stores.sync.getState().refresh();
    }
  });
}

const StoresContext = createContext<ConsoleStores | null>(null);

export function ConsoleStoresProvider({ stores, children }: { stores: ConsoleStores; children: ReactNode }) {
  useEffect(() => connectEvents(stores), [stores]);
  // Before the first paint, so a light theme does not flash dark.
  useLayoutEffect(() => {
    applyTheme(stores.theme.getState().theme);
    return stores.theme.subscribe((s) => applyTheme(s.theme));
  }, [stores]);
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
export const useSync = <T,>(select: (s: SyncStoreState) => T): T => useStore(useStores().sync, select);
export const useNow = (): number => useStore(useStores().clock, (s) => s.now);
export const useNotices = <T,>(select: (s: NoticeState) => T): T => useStore(useStores().notices, select);
export const useTheme = <T,>(select: (s: ThemeState) => T): T => useStore(useStores().theme, select);

/**
 * Runs an api call, reporting a refusal's reason in the console's notices (bottom right): for a
 * button, which has no place of its own to say why. A form uses useActionError instead.
 */
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

/**
 * Runs an api call for a form or control that shows its own refusal beside itself
 * (`<ActionError error={error} />`), where the person is looking. `run` answers undefined when the
 * call was refused; a new attempt clears the last refusal, as does `clear`.
 */
export function useActionError() {
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T,>(call: () => Promise<T>): Promise<T | undefined> => {
    setError(null);
    try {
      return await call();
    } catch (refusal) {
      setError((refusal as Error).message);
      return undefined;
    }
  }, []);
  const clear = useCallback(() => setError(null), []);
  return { run, error, clear };
}

/** Whether this view may write to the open incident: a write session and a write key on the device. */
export function useCanWrite(): boolean {
  const api = useApi();
  const access = useOpenIncident((s) => s.view?.access);
  return api.access === 'write' && access === 'write';
}

/** Opens an incident in the stores while a screen shows it (the incident screen, the wall). */
export function useOpenIncidentInStores(incidentId: string): void {
  const { incident, timeline, sync } = useStores();
  useEffect(() => {
    void incident.getState().open(incidentId);
    void timeline.getState().open(incidentId);
    void sync.getState().open(incidentId);
    return () => {
      void incident.getState().open(null);
      void timeline.getState().open(null);
      void sync.getState().open(null);
    };
  }, [incidentId, incident, timeline, sync]);
}
