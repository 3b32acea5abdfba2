/**
 * The Electron shell's lifecycle (DESIGN.md §3, §6). Built to out/main/index.js; beside it
 * out/main/utility-process-entry.js (the core) and out/preload/index.cjs (the bridge).
 *
 * Order: single-instance lock → ready → session policy (CSP, permissions) → wrapping key (refused
 * without OS encryption) → the core in a utilityProcess → IPC → console window → menu. On wake from
 * sleep the core's relay connections dial again at once (wake-reconnect.ts).
 * A second launch focuses the running console. Closing every window quits (except on macOS, where
 * the app stays in the dock); before quitting, the core is closed so its writer lock is released
 * cleanly. A failure the app cannot work around is shown in a dialog, then the app exits.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, powerMonitor, session } from 'electron';
import { APP_NAME, electronUserDataDir } from '../core/data-dir';
import { appUrlOf, rendererLocation } from './app-url';
import { createCoreClient, forkCoreProcess, type CoreClient } from './core-client';
import { registerIpc, trustedSenderOf } from './ipc';
import { openConsoleWindow } from './main-window';
import { withPdfExport } from './pdf-printer';
import { installApplicationMenu, sendMenuCommand } from './menu';
import { createWallWindows } from './wall-window';
import { reconnectOnResume } from './wake-reconnect';
import { applyContentSecurityPolicy, limitPermissions, secureWebContents } from './window-security';
import { loadOrCreateWrappingKey, WrappingKeyError } from './wrapping-key';
import { offerRestore } from './restore-offer';
import { SitrepError } from '../../shared/errors';
import { offeredBackup } from '../core/store/corrupt-store';

const mainDir = path.dirname(fileURLToPath(import.meta.url));
const preloadPath = path.join(mainDir, '..', 'preload', 'index.cjs');
const coreEntryPath = path.join(mainDir, 'utility-process-entry.js');

// The same folder the CLI and browser mode use by default (electron/core/data-dir.ts), whatever
// name package.json gives the app.
app.setName(APP_NAME);
app.setPath('userData', electronUserDataDir());

const location = rendererLocation({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, mainDir });
const appUrl = appUrlOf(location);
const walls = createWallWindows({ preloadPath, location });
let consoleWindow: BrowserWindow | undefined;
let core: CoreClient | undefined;
let closingCore: Promise<void> | undefined;
let readyToQuit = false;
let failed = false;

function failAndExit(title: string, message: string): void {
  if (failed) return;
  failed = true;
  dialog.showErrorBox(title, message);
  app.exit(1);
}

function showConsole(): BrowserWindow {
  if (!consoleWindow || consoleWindow.isDestroyed()) {
    const window = openConsoleWindow({ preloadPath, location });
    window.on('closed', () => {
      if (consoleWindow === window) consoleWindow = undefined;
    });
    consoleWindow = window;
  }
  return consoleWindow;
}

/**
 * Starts the core; a corrupt store that names a good backup is offered for restore once (the dialog
 * says which), and the core started again on the restored store. Undefined when the person declined.
 */
async function startCore(dataDir: string, wrappingKey: Uint8Array, mayOfferRestore: boolean): Promise<CoreClient | undefined> {
  let starting = true;
  const client = createCoreClient({
    fork: () => forkCoreProcess(coreEntryPath),
    dataDir,
    wrappingKey,
    onFatal: (error) => {
      // A corrupt store at start-up is the restore offer's to answer, below.
      if (starting && mayOfferRestore && offeredBackup(error)) return;
      failAndExit('Sitrep stopped', `The Sitrep core cannot continue: ${error.message}`);
    },
  });
  core = client;
  try {
    await client.start();
    starting = false;
    return client;
  } catch (error) {
    starting = false;
    if (!(error instanceof SitrepError) || !mayOfferRestore || !offeredBackup(error)) throw error;
    core = undefined;
    if (!(await offerRestore(dialog, dataDir, error))) return undefined;
    return startCore(dataDir, wrappingKey, false);
  }
}

async function start(): Promise<void> {
  applyContentSecurityPolicy(session.defaultSession);
  limitPermissions(session.defaultSession);

  const dataDir = app.getPath('userData');
  const wrappingKey = await loadOrCreateWrappingKey(dataDir);
  const client = await startCore(dataDir, wrappingKey, true);
  if (!client) {
    // The person chose not to restore a damaged store: nothing more to say.
    failed = true;
    app.exit(1);
    return;
  }

  registerIpc(ipcMain, withPdfExport(client), { isTrustedSender: trustedSenderOf(appUrl), isWallSender: (event) => walls.isWallSender(event) });
  reconnectOnResume(powerMonitor, client);
  showConsole();
  installApplicationMenu({
    platform: process.platform,
    isDev: !app.isPackaged,
    actions: {
      sendCommand: (command) => sendMenuCommand(showConsole().webContents, command),
      openWallDisplay: () => walls.open(),
    },
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, appUrl));

  app.on('second-instance', () => {
    if (!core) return;
    const window = showConsole();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) showConsole();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    if (readyToQuit || !core) return;
    event.preventDefault();
    closingCore ??= core
      .close()
      .catch((error: unknown) => console.error(`sitrep: closing the core failed: ${String(error)}`))
      .finally(() => {
        readyToQuit = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      if (error instanceof WrappingKeyError) failAndExit(error.title, error.message);
      else failAndExit('Sitrep could not start', error instanceof Error ? error.message : String(error));
    });
}
