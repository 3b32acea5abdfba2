/** Where the renderer lives and what counts as the app's own page. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appUrlOf, isSameAppUrl, loadRoute, rendererLocation } from '../../../electron/main/app-url';

const MAIN_DIR = path.resolve('/opt/Sitrep/resources/app.asar/out/main');
const INDEX = path.join(MAIN_DIR, '..', 'renderer', 'index.html');

describe('rendererLocation', () => {
  it('is the built index.html beside the main bundle when packaged, even if a dev server is named', () => {
    expect(rendererLocation({ isPackaged: true, devServerUrl: 'http://localhost:5173', mainDir: MAIN_DIR })).toEqual({ kind: 'file', path: INDEX });
  });

  it("is electron-vite's dev server when unpackaged", () => {
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'http://localhost:5173', mainDir: MAIN_DIR })).toEqual({
      kind: 'dev-server',
      url: 'http://localhost:5173',
    });
  });

  it('never takes a dev server that is not plain http(s) on loopback', () => {
    for (const devServerUrl of ['https://evil.example', 'file:///tmp/x.html', 'http://localhost.evil.com:5173', 'garbage']) {
      expect(rendererLocation({ isPackaged: false, devServerUrl, mainDir: MAIN_DIR }).kind).toBe('file');
    }
  });
});

describe('isSameAppUrl', () => {
  const app = appUrlOf({ kind: 'file', path: INDEX });

  it('is the file URL of index.html', () => {
    expect(app).toBe(pathToFileURL(INDEX).href);
  });

  it("accepts the app's index.html with any route", () => {
    expect(isSameAppUrl(app, app)).toBe(true);
    expect(isSameAppUrl(`${app}#/wall/0193f0a2-7c4e-7d10-8a2b-3c4d5e6f7a8b`, app)).toBe(true);
  });

  it('refuses other files, other schemes and unparsable URLs', () => {
    expect(isSameAppUrl(pathToFileURL(path.join(MAIN_DIR, 'index.js')).href, app)).toBe(false);
    expect(isSameAppUrl('file:///etc/passwd', app)).toBe(false);
    expect(isSameAppUrl('https://example.com/index.html', app)).toBe(false);
    expect(isSameAppUrl('::not a url::', app)).toBe(false);
    expect(isSameAppUrl(app, 'not a url')).toBe(false);
  });

  it('compares http apps by origin', () => {
    expect(isSameAppUrl('http://localhost:5173/src/x.ts', 'http://localhost:5173')).toBe(true);
    expect(isSameAppUrl('http://localhost.evil.com', 'http://localhost')).toBe(false);
    expect(isSameAppUrl('http://localhost@evil.com/', 'http://localhost')).toBe(false);
    expect(isSameAppUrl('data:text/html,hi', 'data:text/html,hi')).toBe(false);
  });
});

describe('loadRoute', () => {
  it('loads the file with the route as its hash, or the dev server URL with it', async () => {
    const window = { loadURL: vi.fn(async () => undefined), loadFile: vi.fn(async () => undefined) };
    await loadRoute(window, { kind: 'file', path: INDEX }, '/wall');
    expect(window.loadFile).toHaveBeenCalledWith(INDEX, { hash: '/wall' });
    await loadRoute(window, { kind: 'dev-server', url: 'http://localhost:5173' }, '/wall');
    expect(window.loadURL).toHaveBeenCalledWith('http://localhost:5173/#/wall');
  });
});
