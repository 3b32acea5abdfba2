/**
 * The console window: the renderer at route '/', with the secure webPreferences every window gets.
 * It is shown once its first paint is ready, so a war-room screen never flashes an empty frame.
 */
import { BrowserWindow } from 'electron';
import { loadRoute, type RendererLocation } from './app-url';
import { secureWebPreferences } from './window-security';

export const CONSOLE_ROUTE = '/';

export interface WindowOptions {
  preloadPath: string;
  location: RendererLocation;
}

export function openConsoleWindow({ preloadPath, location }: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Sitrep',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  loadRoute(window, location, CONSOLE_ROUTE).catch((error: unknown) => console.error(`sitrep: the console did not load: ${String(error)}`));
  return window;
}
