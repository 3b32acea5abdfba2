/** Wall display windows: opened by main, same security, read-only by IPC policy. */
const fake = await vi.hoisted(async () => await import('./fake-electron'));
vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow }));

import type { SenderEvent } from '../../../electron/main/ipc';
import { createWallWindows, wallRoute } from '../../../electron/main/wall-window';

const INCIDENT = '0193F0A2-7C4E-7D10-8A2B-3C4D5E6F7A8B';
const PRELOAD = '/app/out/preload/index.cjs';
const INDEX = '/app/out/renderer/index.html';
const from = (window: InstanceType<typeof fake.FakeBrowserWindow>) => ({ sender: window.webContents }) as unknown as SenderEvent;

describe('wall display windows', () => {
  it('routes to one incident or to all active ones, and refuses anything but an incident id', () => {
    expect(wallRoute()).toBe('/wall');
    expect(wallRoute(INCIDENT)).toBe(`/wall/${INCIDENT.toLowerCase()}`);
    expect(() => wallRoute('../../etc/passwd')).toThrow(/not an incident id/);
    expect(() => wallRoute('x#/incidents')).toThrow(/not an incident id/);
  });

  it('opens a window with the same secure webPreferences, loading the wall route', () => {
    const walls = createWallWindows({ preloadPath: PRELOAD, location: { kind: 'file', path: INDEX } });
    const window = walls.open(INCIDENT) as unknown as InstanceType<typeof fake.FakeBrowserWindow>;
    expect(window.options.webPreferences).toMatchObject({ preload: PRELOAD, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
    expect(window.loadFile).toHaveBeenCalledWith(INDEX, { hash: `/wall/${INCIDENT.toLowerCase()}` });
  });

  it('loads the dev server URL with the route in development', () => {
    const walls = createWallWindows({ preloadPath: PRELOAD, location: { kind: 'dev-server', url: 'http://localhost:5173' } });
    const window = walls.open() as unknown as InstanceType<typeof fake.FakeBrowserWindow>;
    expect(window.loadURL).toHaveBeenCalledWith('http://localhost:5173/#/wall');
  });

  it('names its web contents as a wall sender from the start, and no longer once closed', () => {
    const walls = createWallWindows({ preloadPath: PRELOAD, location: { kind: 'file', path: INDEX } });
    const wall = walls.open() as unknown as InstanceType<typeof fake.FakeBrowserWindow>;
    const consoleWindow = new fake.FakeBrowserWindow({});
    expect(walls.isWallSender(from(wall))).toBe(true);
    expect(walls.isWallSender(from(consoleWindow))).toBe(false);
    wall.close();
    expect(walls.isWallSender(from(wall))).toBe(false);
  });

  it('focuses the window already showing a route instead of opening another', () => {
    const walls = createWallWindows({ preloadPath: PRELOAD, location: { kind: 'file', path: INDEX } });
    const first = walls.open(INCIDENT);
    expect(walls.open(INCIDENT.toLowerCase())).toBe(first);
    expect((first as unknown as InstanceType<typeof fake.FakeBrowserWindow>).focus).toHaveBeenCalled();
    expect(walls.open()).not.toBe(first);
    (first as unknown as InstanceType<typeof fake.FakeBrowserWindow>).close();
    expect(walls.open(INCIDENT)).not.toBe(first);
  });
});
