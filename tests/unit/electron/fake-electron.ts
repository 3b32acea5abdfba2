/**
 * A stand-in for the parts of the `electron` module the shell uses, for tests that import the real
 * electron/main modules (`vi.mock('electron', () => fake.electron)`). Not a test file itself.
 */
import { EventEmitter } from 'node:events';
import type { CoreToMainMessage, MainToCoreMessage } from '../../../electron/core/host/core-port-protocol';
import type { SerializedError } from '../../../shared/errors';

export class FakeWebContents extends EventEmitter {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly send = vi.fn();
  destroyed = false;
  isDestroyed = () => this.destroyed;
  setWindowOpenHandler = vi.fn();
}

export class FakeBrowserWindow extends EventEmitter {
  static readonly created: FakeBrowserWindow[] = [];
  static getAllWindows = () => FakeBrowserWindow.created.filter((window) => !window.destroyed);

  readonly webContents = new FakeWebContents();
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly loadFile = vi.fn(async (_path: string, _options?: { hash?: string }) => undefined);
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  minimized = false;
  destroyed = false;

  constructor(readonly options: { webPreferences?: Record<string, unknown>; title?: string }) {
    super();
    FakeBrowserWindow.created.push(this);
  }

  isMinimized = () => this.minimized;
  isDestroyed = () => this.destroyed;

  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

/** A utility process running a scripted core: answers open with ready (or fatal) and exits on close. */
export class FakeUtilityProcess extends EventEmitter {
  static behaviour: 'ready' | 'fatal' = 'ready';
  /** When set, the next process to open answers fatal with this error (then it is cleared). */
  static nextFatal: SerializedError | undefined;
  readonly posted: MainToCoreMessage[] = [];
  readonly kill = vi.fn(() => true);

  constructor(readonly modulePath: string) {
    super();
  }

  postMessage(message: MainToCoreMessage): void {
    this.posted.push(message);
    const answer = (reply: CoreToMainMessage) => setImmediate(() => this.emit('message', reply));
    if (message.type === 'open') {
      const fatal = FakeUtilityProcess.nextFatal;
      FakeUtilityProcess.nextFatal = undefined;
      if (fatal) answer({ type: 'fatal', error: fatal });
      else if (FakeUtilityProcess.behaviour === 'ready') answer({ type: 'ready', deviceId: '0123456789abcdef0123456789abcdef' });
      else answer({ type: 'fatal', error: { code: 'already-in-use', message: 'the folder is already in use', details: [] } });
    }
    if (message.type === 'close') setImmediate(() => this.emit('exit', 0));
  }
}

export function createFakeElectron() {
  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    requestSingleInstanceLock: vi.fn(() => true),
    whenReady: vi.fn(() => Promise.resolve()),
    setName: vi.fn(),
    setPath: vi.fn(),
    userData: '',
    getPath: vi.fn((_name: string) => app.userData),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const forked: FakeUtilityProcess[] = [];
  const safeStorage = {
    available: true,
    isAsyncEncryptionAvailable: vi.fn(async () => safeStorage.available),
    getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
    encryptStringAsync: vi.fn(async (plain: string) => Buffer.from(`os:${plain}`, 'utf8')),
    decryptStringAsync: vi.fn(async (encrypted: Buffer) => ({ result: encrypted.toString('utf8').slice('os:'.length), shouldReEncrypt: false })),
  };
  const powerMonitor = new EventEmitter();
  const electron = {
    app,
    powerMonitor,
    BrowserWindow: FakeBrowserWindow,
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async (_options: { buttons: string[] }) => ({ response: 0 })) },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
    safeStorage,
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: vi.fn() },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: vi.fn(async () => undefined) },
    utilityProcess: {
      fork: vi.fn((modulePath: string) => {
        const process = new FakeUtilityProcess(modulePath);
        forked.push(process);
        return process;
      }),
    },
  };
  /** Back to a fresh, unlaunched app (the module stays the same object: vi.mock keeps it). */
  const reset = (userData: string) => {
    vi.resetAllMocks();
    app.removeAllListeners();
    powerMonitor.removeAllListeners();
    app.userData = userData;
    forked.length = 0;
    safeStorage.available = true;
    FakeBrowserWindow.created.length = 0;
    FakeUtilityProcess.behaviour = 'ready';
    FakeUtilityProcess.nextFatal = undefined;
  };
  return { electron, app, forked, safeStorage, reset };
}
