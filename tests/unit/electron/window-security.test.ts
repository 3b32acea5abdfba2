/** The security checklist as code: webPreferences, CSP, navigation, new windows, permissions. */
const { openExternal } = vi.hoisted(() => ({ openExternal: vi.fn(async (_url: string) => undefined) }));
vi.mock('electron', () => ({ shell: { openExternal } }));

import type { Session, WebContents } from 'electron';
import {
  applyContentSecurityPolicy,
  denyNewWindows,
  externalHttpUrl,
  guardNavigation,
  limitPermissions,
  secureWebContents,
  secureWebPreferences,
} from '../../../electron/main/window-security';
import { CONTENT_SECURITY_POLICY } from '../../../shared/content-security-policy';

const APP_URL = 'file:///opt/Sitrep/resources/app.asar/out/renderer/index.html';
const DEV_URL = 'http://localhost:5173';

type Listener = (event: { url?: string; preventDefault: () => void }) => void;

/** A web contents that records its listeners and window-open handler. */
function fakeContents() {
  const listeners = new Map<string, Listener[]>();
  let openHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: (name: string, listener: Listener) => {
      listeners.set(name, [...(listeners.get(name) ?? []), listener]);
      return contents;
    },
    setWindowOpenHandler: (handler: typeof openHandler) => void (openHandler = handler),
  };
  return {
    contents: contents as unknown as WebContents,
    /** Emits a navigation event; true when some listener prevented it. */
    navigate(name: string, url: string): boolean {
      let prevented = false;
      for (const listener of listeners.get(name) ?? []) listener({ url, preventDefault: () => void (prevented = true) });
      return prevented;
    },
    open(url: string) {
      if (!openHandler) throw new Error('no window-open handler');
      return openHandler({ url });
    },
  };
}

beforeEach(() => openExternal.mockClear());

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer, without Node, with web security on', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
  });

  it('refuses a preload that is not the bundled .cjs file', () => {
    expect(() => secureWebPreferences('/app/out/preload/index.js')).toThrow(/bundled CJS/);
    expect(() => secureWebPreferences('/app/electron/preload/index.ts')).toThrow(/bundled CJS/);
  });
});

describe('content security policy', () => {
  it('is the strict policy, word for word', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    );
  });

  it('is set on every response through onHeadersReceived, replacing a CSP the server sent', () => {
    let listener: ((details: { responseHeaders?: Record<string, string[]> }, callback: (r: unknown) => void) => void) | undefined;
    const session = { webRequest: { onHeadersReceived: (l: typeof listener) => void (listener = l) } } as unknown as Session;
    applyContentSecurityPolicy(session);
    const callback = vi.fn();
    listener!({ responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["script-src *"] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    listener!({}, callback);
    expect(callback).toHaveBeenLastCalledWith({ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
});

describe('navigation', () => {
  it.each([
    ['another site', 'https://evil.example/phish'],
    ['another file', 'file:///etc/passwd'],
    ['a sibling file of the app', 'file:///opt/Sitrep/resources/app.asar/out/renderer/other.html'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['an unparsable URL', 'http://[::1'],
  ])('prevents leaving the app for %s', (_what, url) => {
    const fake = fakeContents();
    guardNavigation(fake.contents, APP_URL);
    expect(fake.navigate('will-navigate', url)).toBe(true);
    expect(fake.navigate('will-redirect', url)).toBe(true);
  });

  it("allows the app's own page, whatever its route", () => {
    const fake = fakeContents();
    guardNavigation(fake.contents, APP_URL);
    expect(fake.navigate('will-navigate', `${APP_URL}#/wall`)).toBe(false);
    expect(fake.navigate('will-navigate', APP_URL)).toBe(false);
  });

  it('compares the dev server by parsed origin, not by prefix', () => {
    const fake = fakeContents();
    guardNavigation(fake.contents, DEV_URL);
    expect(fake.navigate('will-navigate', 'http://localhost:5173/#/incidents')).toBe(false);
    expect(fake.navigate('will-navigate', 'http://localhost.evil.com:5173/')).toBe(true);
    expect(fake.navigate('will-navigate', 'http://localhost:5174/')).toBe(true);
    expect(fake.navigate('will-navigate', 'https://localhost:5173/')).toBe(true);
  });

  it('refuses to attach a webview', () => {
    const fake = fakeContents();
    guardNavigation(fake.contents, APP_URL);
    expect(fake.navigate('will-attach-webview', '')).toBe(true);
  });
});

describe('new windows', () => {
  it.each(['https://status.example.com/incident/42', 'http://wiki.internal/runbooks/db'])(
    'denies the window and opens %s in the system browser',
    async (url) => {
      const fake = fakeContents();
      denyNewWindows(fake.contents);
      expect(fake.open(url)).toEqual({ action: 'deny' });
      expect(openExternal).toHaveBeenCalledExactlyOnceWith(new URL(url).href);
    },
  );

  it.each([
    ['file:', 'file:///etc/passwd'],
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['smb:', 'smb://attacker/share/payload.exe'],
    ['an unparsable URL', 'https://[oops'],
    ['a relative URL', '/wall'],
  ])('denies the window and opens nothing for %s', (_what, url) => {
    const fake = fakeContents();
    denyNewWindows(fake.contents);
    expect(fake.open(url)).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('secureWebContents installs both guards, with shell.openExternal as the opener', () => {
    const fake = fakeContents();
    secureWebContents(fake.contents, APP_URL);
    expect(fake.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.com/');
  });

  it('externalHttpUrl normalises what it accepts', () => {
    expect(externalHttpUrl('HTTPS://Example.COM/a b')).toBe('https://example.com/a%20b');
    expect(externalHttpUrl('mailto:ops@example.com')).toBeUndefined();
  });
});

describe('permissions', () => {
  it('grants only notifications and clipboard writes, refusing every other request and check', () => {
    let request: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let check: ((contents: unknown, permission: string) => boolean) | undefined;
    const session = {
      setPermissionRequestHandler: (handler: typeof request) => void (request = handler),
      setPermissionCheckHandler: (handler: typeof check) => void (check = handler),
    } as unknown as Session;
    limitPermissions(session);
    for (const permission of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'pointerLock']) {
      const callback = vi.fn();
      request!({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(check!({}, permission)).toBe(false);
    }
    for (const permission of ['notifications', 'clipboard-sanitized-write']) {
      const callback = vi.fn();
      request!({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(true);
      expect(check!({}, permission)).toBe(true);
    }
  });
});
