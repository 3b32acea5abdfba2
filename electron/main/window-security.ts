/**
 * The Electron security checklist as code (DESIGN.md §6, research/electron.md §2.1): every window's
 * webPreferences, the session's CSP and permission policy, and the guards on each web contents.
 *
 * Invariants:
 * - Renderers run isolated and sandboxed, without Node; the preload is the bundled CJS file.
 * - Navigation leaves the app's own page never; new windows are never opened by a page (the main
 *   process opens the wall display itself). A link a page tries to open goes to the system browser
 *   only if it parses as http: or https:.
 * - Every permission request and check is refused (no camera, notifications API, geolocation, …).
 */
import { shell, type Session, type WebContents, type WebPreferences } from 'electron';
import { isSameAppUrl, parseUrl } from './app-url';
import { CONTENT_SECURITY_POLICY } from '../../shared/content-security-policy';


export function secureWebPreferences(preloadPath: string): WebPreferences {
  if (!preloadPath.endsWith('.cjs')) {
    throw new Error(`the preload must be the bundled CJS file (a sandboxed preload cannot load modules): ${preloadPath}`);
  }
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Sets the CSP header on every response of the session, replacing any the server sent. */
export function applyContentSecurityPolicy(session: Pick<Session, 'webRequest'>, policy: string = CONTENT_SECURITY_POLICY): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.fromEntries(
      Object.entries(details.responseHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy'),
    );
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [policy] } });
  });
}

/**
 * The only permissions the console uses: desktop notifications (a communication overdue, a limit
 * about to be missed, an alert) and writing to the clipboard (copying a communication). Every other
 * request and check is refused.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

export function limitPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(GRANTED_PERMISSIONS.has(permission)));
  session.setPermissionCheckHandler((_contents, permission) => GRANTED_PERMISSIONS.has(permission));
}

/** The URL to hand to the system browser, or undefined when `url` is not a parseable http(s) URL. */
export function externalHttpUrl(url: string): string | undefined {
  const parsed = parseUrl(url);
  return parsed && (parsed.protocol === 'https:' || parsed.protocol === 'http:') ? parsed.href : undefined;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/** Keeps a page on the app's own URL: other navigations and redirects are prevented, webviews refused. */
export function guardNavigation(contents: GuardedContents, appUrl: string): void {
  contents.on('will-navigate', (event) => {
    if (!isSameAppUrl(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isSameAppUrl(event.url, appUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Denies every window a page tries to open; an http(s) link is opened in the system browser. */
export function denyNewWindows(contents: GuardedContents, openExternal: (url: string) => Promise<void> = (url) => shell.openExternal(url)): void {
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalHttpUrl(url);
    if (external) {
      openExternal(external).catch((error: unknown) => console.error(`sitrep: could not open ${external}: ${String(error)}`));
    }
    return { action: 'deny' };
  });
}

/** Both guards, for every web contents the app creates (wired from app 'web-contents-created'). */
export function secureWebContents(contents: GuardedContents, appUrl: string): void {
  guardNavigation(contents, appUrl);
  denyNewWindows(contents);
}
