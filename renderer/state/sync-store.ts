/**
 * The sync state of the incident on screen (DESIGN.md §5): its relay, connection state, ops waiting
 * to send, catch-up progress, clock offset, who is online and any alarm, as 'sync.status' says.
 * Refreshed when the core says it changed (console-stores.tsx, connectEvents). Refreshes never
 * overlap: one asked for while another runs makes one more run after it, with the latest state.
 */
import { createStore } from 'zustand/vanilla';
import type { SyncStatus } from '../../shared/model/views';
import type { ConsoleApi } from '../api/console-api';

export interface SyncStoreState {
  incidentId: string | null;
  status: SyncStatus | null;
  /** This device's id, to tell the others online from itself. */
  deviceId: string | null;
  /** Why the status could not be read. */
  error: string | null;
  open(incidentId: string | null): Promise<void>;
  refresh(): Promise<void>;
}

export const createSyncStore = (api: ConsoleApi) => {
  let running: Promise<void> | null = null;
  let again = false;

  return createStore<SyncStoreState>()((set, get) => {
    const load = async () => {
      const incidentId = get().incidentId;
      if (!incidentId) return;
      try {
        const [status, device] = await Promise.all([api.invoke('sync.status', { incidentId }), api.invoke('device.get', {})]);
        // A load that finishes after another incident was opened is dropped.
        if (get().incidentId === incidentId) set({ status, deviceId: device.deviceId, error: null });
      } catch (error) {
        if (get().incidentId === incidentId) set({ status: null, error: (error as Error).message });
      }
    };

    return {
      incidentId: null,
      status: null,
      deviceId: null,
      error: null,
      async open(incidentId) {
        set({ incidentId, status: null, error: null });
        if (incidentId) await get().refresh();
      },
      refresh() {
        if (running) {
          again = true;
          return running;
        }
        running = (async () => {
          try {
            do {
              again = false;
              await load();
            } while (again);
          } finally {
            running = null;
          }
        })();
        return running;
      },
    };
  });
};
