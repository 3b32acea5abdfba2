/**
 * electron/main with Electron faked: a core that finds the store corrupt names its newest good
 * backup, and the shell offers it in a dialog; yes restores it (the damaged file kept aside) and
 * starts the core again, no quits without restoring.
 */
const fake = await vi.hoisted(async () => {
  const { createFakeElectron, FakeBrowserWindow, FakeUtilityProcess } = await import('./fake-electron');
  return { current: createFakeElectron(), FakeBrowserWindow, FakeUtilityProcess };
});
vi.mock('electron', () => fake.current.electron);

import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../../electron/core/core';
import { corruptStoreError } from '../../../electron/core/store/corrupt-store';
import { DATABASE_FILE } from '../../../electron/core/store/database';
import { serializeError, SitrepError } from '../../../shared/errors';
import { tempDir } from '../../support/temp-dir';

/** A data folder with one incident and a good backup of it; the error the core would report for it. */
async function damagedFolder(): Promise<{ dataDir: string; backup: string }> {
  const dataDir = tempDir();
  const core = createCore({ dataDir, sync: false, backups: false });
  core.call('incidents.declare', { title: 'Kept by the backup', severity: 'P1' });
  const { file } = await core.invoke('backups.take', {});
  core.close();
  return { dataDir, backup: file };
}

async function launchOn(dataDir: string, backup: string | null) {
  vi.resetModules();
  fake.current.reset(dataDir);
  const cause = new SitrepError('corrupt-database', `${path.join(dataDir, DATABASE_FILE)} is corrupt (SQLITE_CORRUPT)`);
  const error = backup ? corruptStoreError(cause, dataDir) : cause;
  fake.FakeUtilityProcess.nextFatal = serializeError(error);
  await import('../../../electron/main/index');
  return fake.current;
}

beforeEach(() => vi.stubEnv('ELECTRON_RENDERER_URL', ''));
afterEach(() => vi.unstubAllEnvs());

describe('a corrupt store at start-up', () => {
  it('offers the newest good backup; yes restores it, keeps the damaged file aside and opens the console', async () => {
    const { dataDir, backup } = await damagedFolder();
    const { electron, forked } = await launchOn(dataDir, backup);

    await vi.waitFor(() => expect(electron.Menu.setApplicationMenu).toHaveBeenCalledOnce());
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce();
    const asked = electron.dialog.showMessageBox.mock.calls[0][0] as { buttons: string[]; detail: string };
    expect(asked.buttons).toEqual(['Restore this backup', 'Quit']);
    expect(asked.detail).toContain(`Backup: ${backup}`);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith(`${DATABASE_FILE}.before-restore-`))).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, DATABASE_FILE))).toEqual(fs.readFileSync(backup));
    expect(forked).toHaveLength(2);
    expect(fake.FakeBrowserWindow.created).toHaveLength(1);
    expect(electron.dialog.showErrorBox).not.toHaveBeenCalled();
  });

  it('no restores nothing and quits', async () => {
    const { dataDir, backup } = await damagedFolder();
    const before = fs.readFileSync(path.join(dataDir, DATABASE_FILE));
    const { app, electron, forked } = await launchOn(dataDir, backup);
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1 });

    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(electron.dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(fs.readFileSync(path.join(dataDir, DATABASE_FILE))).toEqual(before);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
    expect(forked).toHaveLength(1);
    expect(fake.FakeBrowserWindow.created).toHaveLength(0);
  });

  it('without a good backup, says so in the error dialog and exits', async () => {
    const { dataDir } = await damagedFolder();
    const { app, electron } = await launchOn(dataDir, null);
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith('Sitrep stopped', expect.stringContaining('is corrupt'));
  });
});
