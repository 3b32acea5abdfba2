/**
 * Backups of the whole store and `sitrep restore` (store/backup.ts, store/restore.ts,
 * backup-schedule.ts): on real SQLite files, with another process writing, and through the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import Database from 'better-sqlite3';
import { createCore, type Core } from '../../../electron/core/core';
import { KEY_STORE_FILE } from '../../../electron/core/key-store';
import { backupDataDir, BACKUPS_DIR, listBackups } from '../../../electron/core/store/backup';
import { CorruptStoreError } from '../../../electron/core/store/corrupt-store';
import { DATABASE_FILE } from '../../../electron/core/store/database';
import { restoreStore } from '../../../electron/core/store/restore';
import { startServe } from '../../../electron/serve/server';
import { SitrepError } from '../../../shared/errors';
import { caught } from '../../support/api-expect';
import { exited, readLines, spawnTs } from '../../support/child-process';
import { fakeClock, T0 } from '../../support/cores';
import { tempDir } from '../../support/temp-dir';

const MINUTE = 60_000;
const opened: Core[] = [];
afterEach(() => {
  for (const core of opened.splice(0)) core.close();
});

function openCore(dataDir = tempDir(), options: Parameters<typeof createCore>[0]['backups'] = false) {
  const clock = fakeClock();
  const core = createCore({ dataDir, now: clock.now, sync: false, backups: options });
  opened.push(core);
  return { core, clock, dataDir };
}

const close = (core: Core) => {
  core.close();
  opened.splice(opened.indexOf(core), 1);
};

const integrity = (file: string): unknown => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

/** Overwrites every page after the first with garbage: the header still says SQLite, the tables are gone. */
function damage(file: string): void {
  const size = fs.statSync(file).size;
  const PAGE = 4096;
  expect(size).toBeGreaterThan(2 * PAGE);
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(size - PAGE, 0xa5), 0, size - PAGE, PAGE);
  } finally {
    fs.closeSync(fd);
  }
}

const notes = (core: Core, incidentId: string): Set<string> => {
  const ids = new Set<string>();
  const { total } = core.call('timeline.list', { incidentId, kinds: ['note'], limit: 1 });
  for (let offset = 0; offset < total; offset += 1000) {
    for (const e of core.call('timeline.list', { incidentId, kinds: ['note'], offset, limit: 1000 }).entries) ids.add(e.id);
  }
  return ids;
};

describe('a backup taken while another process writes', () => {
  it('is one consistent store: integrity ok, restored, and its incident readable with every entry committed before it', async () => {
    const { core, dataDir } = openCore();
    const { incidentId } = core.call('incidents.declare', { title: 'Backup under load', severity: 'P1' });
    close(core);

    const child = spawnTs('tests/integration/store/fixtures/writer-child.ts', [dataDir, incidentId]);
    const committed: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('committed ')) committed.push(line.slice('committed '.length));
    });
    await vi.waitFor(() => expect(committed.length).toBeGreaterThan(300), { timeout: 30_000, interval: 20 });

    const committedBefore = [...committed];
    const backup = await backupDataDir(dataDir, { at: T0, keep: 5 });
    const seenAfter = committed.length;
    // The writer kept going through the backup and after it: the copy was taken under load.
    await vi.waitFor(() => expect(committed.length).toBeGreaterThan(seenAfter + 50), { timeout: 30_000, interval: 20 });
    child.kill('SIGKILL');
    await exited(child);

    expect(integrity(backup.file)).toBe('ok');
    expect(fs.existsSync(`${backup.file}-wal`)).toBe(false);

    const report = restoreStore(dataDir, backup.file, T0 + MINUTE);
    expect(report.keptAside).toBe(path.join(dataDir, `${DATABASE_FILE}.before-restore-2026-11-29T14-01-00-000Z`));
    expect(integrity(path.join(dataDir, DATABASE_FILE))).toBe('ok');

    const { core: restored } = openCore(dataDir);
    expect(restored.call('incidents.get', { incidentId }).state.title).toBe('Backup under load');
    const kept = notes(restored, incidentId);
    expect(committedBefore.filter((id) => !kept.has(id))).toEqual([]);
    // A snapshot, not the writes that came after it.
    expect(kept.size).toBeLessThan(committed.length);
    // The restored store takes new writes: its op chain is whole.
    restored.call('timeline.add', { incidentId, text: 'after the restore' });
  });
});

describe('backups of a running console', () => {
  it('are files of mode 0600 in a 0700 backups folder, without the key store', async () => {
    const { core, dataDir } = openCore();
    core.call('incidents.declare', { title: 'Private', severity: 'P2' });
    const taken = await core.invoke('backups.take', {});

    expect(path.dirname(taken.file)).toBe(path.join(dataDir, BACKUPS_DIR));
    expect(fs.statSync(taken.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(taken.file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(taken.file))).toEqual([path.basename(taken.file)]);
    expect(fs.existsSync(path.join(dataDir, KEY_STORE_FILE))).toBe(true);
    const copy = new Database(taken.file, { readonly: true });
    const tables = (copy.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    copy.close();
    expect(tables).toContain('ops');
    const keyStore = fs.readFileSync(path.join(dataDir, KEY_STORE_FILE));
    expect(fs.readFileSync(taken.file).includes(keyStore.subarray(0, 64))).toBe(false);
  });

  it('rotation keeps the newest N, oldest deleted first', async () => {
    const { core, clock, dataDir } = openCore(tempDir(), { everyMs: 60 * MINUTE, keep: 3 });
    const taken = [];
    for (let i = 0; i < 5; i++) {
      taken.push((await core.invoke('backups.take', {})).file);
      clock.advance(MINUTE);
    }
    expect(listBackups(dataDir).map((b) => b.file)).toEqual(taken.slice(2));
    expect(core.call('backups.list', {})).toMatchObject({ keep: 3, everyMinutes: 60, lastError: null, backups: taken.slice(2).map((file) => ({ file })) });
  });

  it('with no schedule (serve --backup-every 0), are taken on demand only, still rotated', async () => {
    const { core, clock, dataDir } = openCore(tempDir(), { everyMs: null, keep: 2 });
    for (let i = 0; i < 3; i++) {
      await core.invoke('backups.take', {});
      clock.advance(MINUTE);
    }
    expect(core.call('backups.list', {})).toMatchObject({ everyMinutes: null, keep: 2 });
    expect(listBackups(dataDir).map((b) => b.takenAt)).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
  });

  it('two backups in the same millisecond get two names', async () => {
    const { core } = openCore();
    const [a, b] = await Promise.all([core.invoke('backups.take', {}), core.invoke('backups.take', {})]);
    expect(a.file).not.toBe(b.file);
    expect([a.file, b.file].map((f) => path.basename(f))).toEqual(['sitrep-2026-11-29T14-00-00-000Z-00.db', 'sitrep-2026-11-29T14-00-00-000Z-01.db']);
  });

  it('are taken on the schedule while the core runs, and no more once it closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { core, clock, dataDir } = openCore(tempDir(), { everyMs: 15 * MINUTE, keep: 10 });
      expect(listBackups(dataDir)).toHaveLength(0);
      clock.advance(15 * MINUTE);
      vi.advanceTimersByTime(15 * MINUTE);
      await vi.waitFor(() => expect(listBackups(dataDir)).toHaveLength(1), { interval: 5 });
      clock.advance(15 * MINUTE);
      vi.advanceTimersByTime(15 * MINUTE);
      await vi.waitFor(() => expect(listBackups(dataDir)).toHaveLength(2), { interval: 5 });
      expect(listBackups(dataDir).map((b) => b.takenAt)).toEqual([T0 + 15 * MINUTE, T0 + 30 * MINUTE]);
      close(core);
      vi.advanceTimersByTime(60 * MINUTE);
      expect(listBackups(dataDir)).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('restore', () => {
  it('refuses while a console holds the writer lock, changing nothing', async () => {
    const { core, dataDir } = openCore();
    const taken = await core.invoke('backups.take', {});
    const before = fs.readdirSync(dataDir).sort();
    expect(caught(() => restoreStore(dataDir, taken.file, T0)).code).toBe('already-in-use');
    expect(fs.readdirSync(dataDir).sort()).toEqual(before);
  });

  it('refuses a damaged backup before touching the store', async () => {
    const { core, dataDir } = openCore();
    core.call('incidents.declare', { title: 'Still here', severity: 'P2' });
    const taken = await core.invoke('backups.take', {});
    close(core);
    damage(taken.file);
    const error = caught(() => restoreStore(dataDir, taken.file, T0));
    expect(error.code).toBe('corrupt-database');
    expect(error.message).toContain(taken.file);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([]);
    const { core: reopened } = openCore(dataDir);
    expect(reopened.call('incidents.list', {}).map((i) => i.title)).toEqual(['Still here']);
  });

  it('keeps the current store aside, readable, with what came after the backup', async () => {
    const { core, dataDir } = openCore();
    core.call('incidents.declare', { title: 'Before the backup', severity: 'P2' });
    const taken = await core.invoke('backups.take', {});
    core.call('incidents.declare', { title: 'After the backup', severity: 'P1' });
    close(core);

    const { keptAside } = restoreStore(dataDir, taken.file, T0 + 5 * MINUTE);
    expect(keptAside).not.toBeNull();
    expect(fs.statSync(path.join(dataDir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
    const aside = new Database(keptAside!, { readonly: true });
    const asideTitles = (aside.prepare('SELECT title FROM incidents ORDER BY title').all() as { title: string }[]).map((r) => r.title);
    aside.close();
    expect(asideTitles).toEqual(['After the backup', 'Before the backup']);

    const { core: restored } = openCore(dataDir);
    expect(restored.call('incidents.list', {}).map((i) => i.title)).toEqual(['Before the backup']);
  });

  it('through the CLI: `sitrep backup` beside nothing running, then `sitrep restore --latest`', async () => {
    const { core, dataDir } = openCore();
    const { incidentId } = core.call('incidents.declare', { title: 'CLI round trip', severity: 'P3' });
    close(core);

    const backup = spawnTs('electron/cli/main.ts', ['backup', '--data-dir', dataDir, '--keep', '2']);
    const backupOut = (await readLines(backup, () => false)).join('\n');
    expect(backupOut).toMatch(/^backed up .+ to .+sitrep-.+\.db \(\d+ bytes; the key store is not in it\)$/);

    const restore = spawnTs('electron/cli/main.ts', ['restore', '--latest', '--data-dir', dataDir]);
    const restoreOut = await readLines(restore, () => false);
    expect(restoreOut[0]).toMatch(/^restored .+sitrep-.+\.db into /);
    expect(restoreOut[1]).toMatch(/^the store that was in place is kept as .+sitrep\.db\.before-restore-/);

    const { core: restored } = openCore(dataDir);
    expect(restored.call('incidents.get', { incidentId }).state.title).toBe('CLI round trip');
  });
});

describe('a corrupt store at start-up', () => {
  it('is refused with the newest GOOD backup named (a damaged newer one skipped) and the exact restore command', async () => {
    const { core, clock, dataDir } = openCore();
    core.call('incidents.declare', { title: 'Worth keeping', severity: 'P1' });
    const good = await core.invoke('backups.take', {});
    clock.advance(MINUTE);
    const newer = await core.invoke('backups.take', {});
    close(core);
    damage(newer.file);
    damage(path.join(dataDir, DATABASE_FILE));

    const error = caught(() => openCore(dataDir));
    expect(error).toBeInstanceOf(CorruptStoreError);
    expect(error.code).toBe('corrupt-database');
    expect((error as CorruptStoreError).newestGoodBackup).toBe(good.file);
    expect(error.details).toEqual([good.file]);
    expect(error.message).toContain(`sitrep restore --from ${good.file} --data-dir ${dataDir}`);

    // The command it prints works, and the store opens again.
    const restore = spawnTs('electron/cli/main.ts', ['restore', '--from', good.file, '--data-dir', dataDir]);
    await readLines(restore, () => false);
    const { core: restored } = openCore(dataDir);
    expect(restored.call('incidents.list', {}).map((i) => i.title)).toEqual(['Worth keeping']);
  });

  it('with no good backup, says so', () => {
    const { core, dataDir } = openCore();
    core.call('incidents.declare', { title: 'No backup', severity: 'P1' });
    close(core);
    damage(path.join(dataDir, DATABASE_FILE));
    const error = caught(() => openCore(dataDir)) as CorruptStoreError;
    expect(error).toBeInstanceOf(SitrepError);
    expect(error.newestGoodBackup).toBeNull();
    expect(error.message).toContain('There is no good backup');
  });

  it('browser mode (startServe, whose error `sitrep serve` prints) refuses it the same way, opening no port', async () => {
    const { core, dataDir } = openCore();
    core.call('incidents.declare', { title: 'Served', severity: 'P1' });
    const good = await core.invoke('backups.take', {});
    close(core);
    damage(path.join(dataDir, DATABASE_FILE));
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
    const refused = await startServe({ dataDir, rendererDir, port: 0, testClock: false }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CorruptStoreError);
    expect((refused as Error).message).toContain(`sitrep restore --from ${good.file} --data-dir ${dataDir}`);
  });

  it('the CLI prints the restore command', async () => {
    const { core, dataDir } = openCore();
    core.call('incidents.declare', { title: 'Printed', severity: 'P1' });
    const good = await core.invoke('backups.take', {});
    close(core);
    damage(path.join(dataDir, DATABASE_FILE));
    const rebuild = spawnTs('electron/cli/main.ts', ['rebuild', '--data-dir', dataDir]);
    let stderr = '';
    rebuild.stderr?.on('data', (d) => (stderr += d));
    await exited(rebuild);
    expect(rebuild.exitCode).toBe(1);
    expect(stderr).toContain(`  sitrep restore --from ${good.file} --data-dir ${dataDir}`);
  });
});
