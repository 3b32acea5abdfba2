/**
 * Electron smoke test: the real app (out/main/index.js, after `npm run build` and a rebuild of
 * better-sqlite3 for Electron) under Playwright's `_electron`. Runs only in the packaging workflow
 * (.github/workflows/package.yml): the Electron binary cannot run on this repo's own machines.
 * Run with node's test runner through tsx: `npm run test:electron-smoke`.
 *
 * It checks what the mocked unit tests cannot: the preload really is bridged by contextBridge into a
 * sandboxed, isolated page; the page has no Node; the CSP applies; the core starts in its
 * utilityProcess (the native module loads under Electron) and answers through IPC; a PDF export is
 * printed by Electron.
 *
 * Environment: SITREP_SMOKE_ELECTRON_ARGS adds switches (Linux CI passes
 * --password-store=gnome-libsecret, with a keyring unlocked by the workflow).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';

const MAIN = path.resolve('out/main/index.js');
const LAUNCH_TIMEOUT_MS = 120_000;

interface Bridge {
  invoke(method: string, args: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
}
type BridgedWindow = Window & { sitrep: Bridge };

let app: ElectronApplication;
let page: Page;
// A fresh data folder: electronUserDataDir() reads XDG_CONFIG_HOME (Linux) and APPDATA (Windows).
const configHome = fs.mkdtempSync(path.join(os.tmpdir(), 'sitrep-smoke-'));

before(async () => {
  assert.ok(fs.existsSync(MAIN), `${MAIN} is missing: run npm run build first`);
  const extraArgs = (process.env.SITREP_SMOKE_ELECTRON_ARGS ?? '').split(/\s+/).filter(Boolean);
  app = await _electron.launch({
    args: [MAIN, ...extraArgs],
    env: { ...process.env, XDG_CONFIG_HOME: configHome, APPDATA: configHome, ELECTRON_RENDERER_URL: '' },
    timeout: LAUNCH_TIMEOUT_MS,
  });
  page = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS });
  await page.waitForLoadState('domcontentloaded');
});

after(async () => {
  await app?.close();
  fs.rmSync(configHome, { recursive: true, force: true });
});

test('the console window loads the app', async () => {
  assert.equal(await page.title(), 'Sitrep');
  assert.match(page.url(), /^file:.*\/renderer\/index\.html(#.*)?$/);
});

test('window.sitrep exposes exactly invoke and subscribe', async () => {
  const keys = await page.evaluate(() => Object.keys((window as unknown as BridgedWindow).sitrep).sort());
  assert.deepEqual(keys, ['invoke', 'subscribe']);
});

test('the page has no Node: require, process and module are undefined', async () => {
  const types = await page.evaluate(() => {
    const page = globalThis as Record<string, unknown>;
    return [typeof page.require, typeof page.process, typeof page.module];
  });
  assert.deepEqual(types, ['undefined', 'undefined', 'undefined']);
});

test('the CSP forbids eval', async () => {
  const outcome = await page.evaluate(() => {
    try {
      (0, eval)('1 + 1');
      return 'allowed';
    } catch (error) {
      return (error as Error).name;
    }
  });
  assert.equal(outcome, 'EvalError');
});

test('the core answers device.get through the bridge', async () => {
  const device = (await page.evaluate(() => (window as unknown as BridgedWindow).sitrep.invoke('device.get', {}))) as { deviceId: string };
  assert.match(device.deviceId, /^[0-9a-f]{32}$/);
});

test('the bridge refuses a name that is not an api method, with its code', async () => {
  const refusal = await page.evaluate(() =>
    (window as unknown as BridgedWindow).sitrep.invoke('fs.readFile', {}).then(
      () => 'called',
      (error: { code?: string }) => error.code,
    ),
  );
  assert.equal(refusal, 'invalid-argument');
});

test('a typed error from the core keeps its code and details across the bridge', async () => {
  const error = await page.evaluate(() =>
    (window as unknown as BridgedWindow).sitrep.invoke('incidents.get', { incidentId: 'not-an-id' }).then(
      () => null,
      (e: { code?: string; details?: string[] }) => ({ code: e.code, details: e.details }),
    ),
  );
  assert.equal(error?.code, 'invalid-argument');
  assert.ok(error?.details?.some((detail) => detail.startsWith('incidentId')));
});

test('a PDF export is printed by Electron (webContents.printToPDF) and answered as base64', async () => {
  const file = (await page.evaluate(async () => {
    const { sitrep } = window as unknown as BridgedWindow;
    const { incidentId } = (await sitrep.invoke('incidents.declare', { title: 'Smoke test export', severity: 'P3', drill: true })) as { incidentId: string };
    return sitrep.invoke('export.incident', { incidentId, format: 'pdf' });
  })) as { fileName: string; mime: string; encoding: string; content: string };
  assert.match(file.fileName, /^DRILL-.*smoke-test-export\.pdf$/);
  assert.equal(file.mime, 'application/pdf');
  assert.equal(file.encoding, 'base64');
  assert.equal(Buffer.from(file.content, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
});
