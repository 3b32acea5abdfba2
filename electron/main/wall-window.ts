/**
 * Wall display windows: the renderer's large-type read-only view (route '/wall/<incidentId>', or
 * '/wall' for the active incidents), opened by the main process itself (pages may not open windows),
 * with the same secure webPreferences as the console.
 *
 * Invariants:
 * - A wall window is read-only by IPC policy: isWallSender names its web contents, so the IPC
 *   adapter allows it READ_METHODS only, whatever route the page later shows.
 * - One window per route: opening a route already shown focuses that window.
 * - The incident id is checked to be a UUID before it is put into a URL.
 */
import { BrowserWindow } from 'electron';
import { isUuid } from '../../shared/sync/bytes';
import { loadRoute } from './app-url';
import type { SenderEvent } from './ipc';
import type { WindowOptions } from './main-window';
import { secureWebPreferences } from './window-security';

export function wallRoute(incidentId?: string): string {
  if (incidentId === undefined) return '/wall';
  if (!isUuid(incidentId)) throw new Error(`not an incident id: ${JSON.stringify(incidentId)}`);
  return `/wall/${incidentId.toLowerCase()}`;
}

export interface WallWindows {
  open(incidentId?: string): BrowserWindow;
  isWallSender(event: SenderEvent): boolean;
}

export function createWallWindows({ preloadPath, location }: WindowOptions): WallWindows {
  const byRoute = new Map<string, BrowserWindow>();
  const wallContents = new Set<number>();

  return {
    open(incidentId) {
      const route = wallRoute(incidentId);
      const existing = byRoute.get(route);
      if (existing && !existing.isDestroyed()) {
        existing.show();
        existing.focus();
        return existing;
      }
      const window = new BrowserWindow({
        title: 'Sitrep — wall display',
        width: 1920,
        height: 1080,
        show: false,
        backgroundColor: '#000000',
        autoHideMenuBar: true,
        webPreferences: secureWebPreferences(preloadPath),
      });
      const contentsId = window.webContents.id;
      // Registered before anything loads, so the page is read-only from its first call.
      wallContents.add(contentsId);
      byRoute.set(route, window);
      window.once('ready-to-show', () => window.show());
      window.on('closed', () => {
        wallContents.delete(contentsId);
        if (byRoute.get(route) === window) byRoute.delete(route);
      });
      loadRoute(window, location, route).catch((error: unknown) => console.error(`sitrep: the wall display did not load: ${String(error)}`));
      return window;
    },

    isWallSender(event) {
      return wallContents.has(event.sender.id);
    },
  };
}
