/**
 * electron/main/index.ts end to end with Electron faked: the start-up order, the single-instance
 * lock, quitting, and the failures that end in a dialog.
 */
const fake = await vi.hoisted(async () => {
  const { createFakeElectron, FakeBrowserWindow, FakeUtilityProcess } = await import('./fake-electron');
  return { current: createFakeElectron(), FakeBrowserWindow, FakeUtilityProcess };
});
vi.mock('electron', () => fake.current.electron);

import path from 'node:path';
import { electronUserDataDir } from '../../../electron/core/data-dir';
import { WRAPPING_KEY_FILE } from '../../../electron/main/wrapping-key';
import { tempDir } from '../../support/temp-dir';
import fs from 'node:fs';

type Window = InstanceType<typeof fake.FakeBrowserWindow>;

async function launch(configure: (electron: typeof fake.current) => void = () => undefined) {
  vi.resetModules();
  fake.current.reset(tempDir());
  configure(fake.current);
  await import('../../../electron/main/index');
  const { app, electron } = fake.current;
  // Start-up runs after 'ready'; let it finish (or fail) before the test looks, so none leaks into the next.
  await vi.waitFor(() => {
    const refusedLock = app.requestSingleInstanceLock.mock.results[0]?.value === false;
    const done = refusedLock || electron.Menu.setApplicationMenu.mock.calls.length > 0 || app.exit.mock.calls.length > 0;
    expect(done).toBe(true);
  });
  return fake.current;
}

/** Emits an app event the way Electron does, with an event object that records preventDefault. */
function emitApp(name: string, ...args: unknown[]): { defaultPrevented: boolean } {
  const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true) };
  fake.current.app.emit(name, event, ...args);
  return event;
}

const consoleWindow = async (): Promise<Window> => {
  await vi.waitFor(() => expect(fake.FakeBrowserWindow.created.length).toBeGreaterThan(0));
  return fake.FakeBrowserWindow.created[0];
};

beforeEach(() => vi.stubEnv('ELECTRON_RENDERER_URL', ''));
afterEach(() => vi.unstubAllEnvs());

describe('the Electron shell', () => {
  it('quits at once when another instance holds the lock', async () => {
    const { app, electron } = await launch(({ app }) => app.requestSingleInstanceLock.mockReturnValue(false));
    expect(app.quit).toHaveBeenCalledOnce();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(electron.utilityProcess.fork).not.toHaveBeenCalled();
  });

  it("uses the CLI's default data folder as userData", async () => {
    const { app } = await launch();
    expect(app.setName).toHaveBeenCalledWith('Sitrep');
    expect(app.setPath).toHaveBeenCalledWith('userData', electronUserDataDir());
  });

  it('starts in order: session policy, wrapping key, core, IPC, console window, menu', async () => {
    const { app, electron, forked } = await launch();
    const window = await consoleWindow();

    const session = electron.session.defaultSession;
    expect(session.webRequest.onHeadersReceived).toHaveBeenCalledOnce();
    expect(session.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(session.setPermissionCheckHandler).toHaveBeenCalledOnce();

    expect(fs.existsSync(path.join(app.userData, WRAPPING_KEY_FILE))).toBe(true);
    expect(forked).toHaveLength(1);
    expect(forked[0].modulePath).toMatch(/utility-process-entry\.js$/);
    expect(forked[0].posted[0]).toEqual({ type: 'open', dataDir: app.userData, wrappingKey: expect.any(Uint8Array) });
    expect((forked[0].posted[0] as { wrappingKey: Uint8Array }).wrappingKey).toHaveLength(32);

    expect(electron.ipcMain.handle).toHaveBeenCalledWith('sitrep:invoke', expect.any(Function));
    expect(window.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String(window.options.webPreferences?.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(window.loadFile).toHaveBeenCalledWith(expect.stringMatching(/renderer[\\/]index\.html$/), { hash: '/' });
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledOnce();
    const order = [
      session.webRequest.onHeadersReceived,
      electron.safeStorage.encryptStringAsync,
      electron.utilityProcess.fork,
      electron.ipcMain.handle,
      electron.Menu.setApplicationMenu,
    ].map((mock) => mock.mock.invocationCallOrder[0]);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(electron.dialog.showErrorBox).not.toHaveBeenCalled();
  });

  it("asks the core to reconnect its relays at once when the machine wakes", async () => {
    const { electron, forked } = await launch();
    await consoleWindow();
    electron.powerMonitor.emit('resume');
    await vi.waitFor(() => expect(forked[0].posted).toContainEqual({ type: 'invoke', id: expect.any(Number), method: 'sync.reconnect', args: {} }));
  });

  it('guards every web contents the app creates', async () => {
    await launch();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    emitApp('web-contents-created', contents);
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
  });

  it('focuses the console when a second instance is launched', async () => {
    await launch();
    const window = await consoleWindow();
    window.minimized = true;
    emitApp('second-instance');
    expect(window.restore).toHaveBeenCalled();
    expect(window.focus).toHaveBeenCalled();
  });

  it('quits when every window is closed, except on macOS', async () => {
    const { app } = await launch();
    await consoleWindow();
    emitApp('window-all-closed');
    if (process.platform === 'darwin') expect(app.quit).not.toHaveBeenCalled();
    else expect(app.quit).toHaveBeenCalledOnce();
  });

  it('closes the core before quitting, then quits', async () => {
    const { app, forked } = await launch();
    await consoleWindow();
    expect(emitApp('before-quit').defaultPrevented).toBe(true);
    expect(emitApp('before-quit').defaultPrevented).toBe(true);
    expect(forked[0].posted.filter((m) => m.type === 'close')).toHaveLength(1);
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalledOnce());
    expect(emitApp('before-quit').defaultPrevented).toBe(false);
  });

  it('refuses to start without OS encryption, saying why, and exits', async () => {
    const { app, electron } = await launch(({ safeStorage }) => void (safeStorage.available = false));
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith('Sitrep cannot protect its keys', expect.stringContaining('not available'));
    expect(electron.utilityProcess.fork).not.toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.created).toHaveLength(0);
  });

  it('shows one dialog and exits when the core cannot open', async () => {
    const { app, electron } = await launch(() => void (fake.FakeUtilityProcess.behaviour = 'fatal'));
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(electron.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith('Sitrep stopped', expect.stringContaining('already in use'));
    expect(fake.FakeBrowserWindow.created).toHaveLength(0);
  });
});
