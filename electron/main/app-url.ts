/**
 * Where the renderer lives and what counts as "the app's own page": the built index.html as a file
 * in production, electron-vite's dev server in development. The IPC sender check and the navigation
 * guard both ask isSameAppUrl, so they agree.
 *
 * Invariants: URLs are compared parsed, never by prefix (`http://localhost.evil.com` is not
 * `http://localhost`); a file: page is the app only if it is the app's own index.html (any hash);
 * a URL that fails to parse is never the app.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type RendererLocation = { kind: 'dev-server'; url: string } | { kind: 'file'; path: string };

export interface WindowLoader {
  loadURL(url: string): Promise<void>;
  loadFile(filePath: string, options?: { hash?: string }): Promise<void>;
}

/**
 * The dev server only when unpackaged and electron-vite gave one (ELECTRON_RENDERER_URL), and only
 * if it is plain http(s) on loopback; otherwise the built renderer beside the main bundle.
 */
export function rendererLocation(options: { isPackaged: boolean; devServerUrl: string | undefined; mainDir: string }): RendererLocation {
  if (!options.isPackaged && options.devServerUrl && isLoopbackHttp(options.devServerUrl)) {
    return { kind: 'dev-server', url: options.devServerUrl };
  }
  return { kind: 'file', path: path.join(options.mainDir, '..', 'renderer', 'index.html') };
}

export function appUrlOf(location: RendererLocation): string {
  return location.kind === 'dev-server' ? location.url : pathToFileURL(location.path).href;
}

/** Loads `route` (e.g. '/wall/<id>', '/' for the console) into a window as the hash route. */
export function loadRoute(window: WindowLoader, location: RendererLocation, route: string): Promise<void> {
  if (location.kind === 'dev-server') {
    const url = new URL(location.url);
    url.hash = route;
    return window.loadURL(url.href);
  }
  return window.loadFile(location.path, { hash: route });
}

export function isSameAppUrl(candidate: string, appUrl: string): boolean {
  const url = parseUrl(candidate);
  const app = parseUrl(appUrl);
  if (!url || !app || url.protocol !== app.protocol) return false;
  if (app.protocol === 'file:') return url.host === app.host && url.pathname === app.pathname;
  if (app.protocol === 'http:' || app.protocol === 'https:') return url.origin === app.origin;
  return false;
}

export function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function isLoopbackHttp(text: string): boolean {
  const url = parseUrl(text);
  return !!url && (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
