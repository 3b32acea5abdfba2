import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createCore } from '../../../electron/core/core';
import { replicatedIncident } from '../../../electron/core/queries/replicated-state';
import { exited, readLines, spawnTs } from '../../support/child-process';
import { testCore } from '../../support/cores';
import { tempDir } from '../../support/temp-dir';
import { SitrepError } from '../../../shared/errors';

const MINUTE = 60_000;

/** An incident with a bit of everything: roster, severity change, checklist, tasks, entries, samples. */
function busyIncident(core: ReturnType<typeof testCore>['core'], clock: ReturnType<typeof testCore>['clock']): string {
  const { incidentId } = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P1', affectedSystems: ['api-services'] });
  clock.advance(MINUTE);
  const ana = core.call('roster.addPerson', { incidentId, name: 'Ana' }).people[0].id;
  core.call('roster.assign', { incidentId, roleId: 'incident-commander', personId: ana });
  clock.advance(MINUTE);
  core.call('incidents.setField', { incidentId, field: 'severity', value: 'P0' });
  const first = core.call('checklist.get', { incidentId })[0].items[0].id;
  core.call('checklist.tick', { incidentId, itemId: first });
  const entry = core.call('timeline.add', { incidentId, kind: 'decision', text: 'Roll back the 14:00 deploy' });
  core.call('timeline.star', { incidentId, entryId: entry.id, starred: true });
  const wrong = core.call('timeline.add', { incidentId, text: 'password is hunter2' });
  core.call('timeline.redact', { incidentId, entryId: wrong.id, reason: 'secret pasted' });
  core.call('tasks.add', { incidentId, title: 'Page the DBA', ownerId: ana, dueAt: clock.now() + 10 * MINUTE });
  core.call('samples.add', { incidentId, metric: 'error-rate', value: 7.5 });
  clock.advance(MINUTE);
  core.call('incidents.advancePhase', { incidentId });
  return incidentId;
}

describe('the store on a real SQLite file', () => {
  it('shows identical state after close and reopen', () => {
    const { core, clock, dataDir } = testCore({ name: 'Ana' });
    const incidentId = busyIncident(core, clock);
    const before = replicatedIncident(core.context.db, incidentId);
    const list = core.call('incidents.list', {});
    core.close();

    const reopened = createCore({ dataDir, now: clock.now });
    try {
      expect(replicatedIncident(reopened.context.db, incidentId)).toEqual(before);
      expect(reopened.call('incidents.list', {})).toEqual(list);
      expect(reopened.call('device.get', {}).deviceId).toBe(core.deviceId);
      // The reopened device continues its own chain: a new write lands after the old ones.
      reopened.call('timeline.add', { incidentId, text: 'after reopen' });
      expect(reopened.call('timeline.list', { incidentId, text: 'after reopen' }).total).toBe(1);
    } finally {
      reopened.close();
    }
  });

  it('rebuilds every table from the op log to the same state', () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const incidentId = busyIncident(core, clock);
    const before = replicatedIncident(core.context.db, incidentId);
    const report = core.rebuild();
    expect(report.unknown).toBe(0);
    expect(report.applied).toBe(report.ops - 1); // every op but the genesis carries a payload
    expect(replicatedIncident(core.context.db, incidentId)).toEqual(before);
    // The redacted text stays hidden after a rebuild too.
    expect(core.call('timeline.list', { incidentId, text: 'hunter2' }).total).toBe(0);
  });

  it('rebuilds through the sitrep command line to the same state', async () => {
    const { core, clock, dataDir } = testCore({ name: 'Ana' });
    const incidentId = busyIncident(core, clock);
    const before = replicatedIncident(core.context.db, incidentId);
    core.close();
    const child = spawnTs('electron/cli/main.ts', ['rebuild', '--data-dir', dataDir]);
    const lines = await readLines(child, () => false);
    expect(lines.join('\n')).toMatch(/^rebuilt .+: \d+ ops, \d+ applied$/);
    const reopened = createCore({ dataDir, now: clock.now });
    try {
      expect(replicatedIncident(reopened.context.db, incidentId)).toEqual(before);
    } finally {
      reopened.close();
    }
  });

  it('loses no committed op when the writing process is killed with -9, and restarts cleanly', async () => {
    const { core, dataDir } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Kill test', severity: 'P2' });
    core.close();

    const child = spawnTs('tests/integration/store/fixtures/writer-child.ts', [dataDir, incidentId]);
    const KILL_AFTER = 200;
    const lines = await readLines(child, (_, all) => all.length > KILL_AFTER);
    child.kill('SIGKILL');
    await exited(child);
    const committed = lines.filter((l) => l.startsWith('committed ')).map((l) => l.slice('committed '.length));
    expect(committed.length).toBeGreaterThanOrEqual(KILL_AFTER);

    const check = new Database(path.join(dataDir, 'sitrep.db'), { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();

    const restarted = createCore({ dataDir });
    try {
      const ids = new Set(restarted.call('timeline.list', { incidentId, limit: 1000, kinds: ['note'] }).entries.map((e) => e.id));
      const total = restarted.call('timeline.list', { incidentId, kinds: ['note'] }).total;
      const all = new Set(ids);
      for (let offset = 1000; offset < total; offset += 1000) {
        for (const e of restarted.call('timeline.list', { incidentId, kinds: ['note'], offset, limit: 1000 }).entries) all.add(e.id);
      }
      expect(committed.filter((id) => !all.has(id))).toEqual([]);
      // The device's chain is intact: it can keep writing after the crash.
      restarted.call('timeline.add', { incidentId, text: 'after the crash' });
      expect(restarted.rebuild().unknown).toBe(0);
    } finally {
      restarted.close();
    }
  });
});

describe('one writer per data folder', () => {
  it('refuses a second writer with "already in use" and admits one after close', () => {
    const { core, dataDir } = testCore();
    let refusal: unknown;
    try {
      createCore({ dataDir });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(SitrepError);
    expect((refusal as SitrepError).code).toBe('already-in-use');
    expect((refusal as SitrepError).message).toContain(dataDir);
    core.close();
    const second = createCore({ dataDir });
    second.close();
  });

  it('is released by the kernel when the holder is killed with -9', async () => {
    const dataDir = tempDir();
    const child = spawnTs('tests/integration/store/fixtures/lock-holder-child.ts', [dataDir]);
    await readLines(child, (line) => line === 'holding');
    expect(() => createCore({ dataDir })).toThrow(expect.objectContaining({ code: 'already-in-use' }));
    child.kill('SIGKILL');
    await exited(child);
    const after = createCore({ dataDir });
    after.close();
  });
});

describe('a data file that is not a sound Sitrep store', () => {
  it('refuses a file that is not SQLite, naming it, and leaves it untouched', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'sitrep.db');
    const bytes = Buffer.from('these are my notes, not a database\n'.repeat(100));
    fs.writeFileSync(file, bytes);
    expect(() => createCore({ dataDir })).toThrow(expect.objectContaining({ code: 'not-a-database', message: expect.stringContaining(file) }));
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    // The failed open released the writer lock.
    fs.rmSync(file);
    createCore({ dataDir }).close();
  });

  it('refuses a corrupt SQLite file, naming it, and leaves it untouched', () => {
    const { core, clock, dataDir } = testCore({ name: 'Ana' });
    busyIncident(core, clock);
    core.close();
    const file = path.join(dataDir, 'sitrep.db');
    const bytes = fs.readFileSync(file);
    const PAGE = 4096;
    // Scribble over the middle of every page after the first (the header stays valid).
    for (let page = 1; page * PAGE < bytes.length; page++) bytes.fill(0xa5, page * PAGE + 100, page * PAGE + 400);
    fs.writeFileSync(file, bytes);
    expect(() => createCore({ dataDir })).toThrow(expect.objectContaining({ code: 'corrupt-database', message: expect.stringContaining(file) }));
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });
});
