/**
 * Drills through the api on a fake clock: the drill flag, a scenario file replayed on the core's
 * clock (entries and samples at their times), a bad file refused with the path of the error, and
 * the end-of-drill report of validation items met.
 */
import fs from 'node:fs';
import path from 'node:path';
import { T0, testCore } from '../../support/cores';
import { expectRefused, MINUTE } from '../../support/api-expect';

const SCENARIO = fs.readFileSync(path.join(__dirname, '../../fixtures/drill-db-outage.json'), 'utf8');
const SECOND = 1000;

/** Waits (polling) for the core's replay to catch up with its clock. */
async function until(condition: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 10_000, interval: 50 });
}

describe('drills', () => {
  it('a drill declared as such is flagged in its state and in the list', () => {
    const { core } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('incidents.declare', { title: 'Quarterly drill', severity: 'P2', drill: true });
    const real = core.call('incidents.declare', { title: 'Real one', severity: 'P2' }).incidentId;
    expect(core.call('incidents.get', { incidentId }).state.drill).toBe(true);
    expect(core.call('incidents.list', {}).map((i) => [i.title, i.drill])).toEqual(expect.arrayContaining([['Quarterly drill', true], ['Real one', false]]));
    expect(core.call('incidents.get', { incidentId: real }).state.drill).toBe(false);
  });

  it('replays a scenario on the fake clock: each entry and sample at its time, none early', async () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('drills.start', { fileName: 'drill-db-outage.json', text: SCENARIO });
    const state = core.call('incidents.get', { incidentId }).state;
    expect(state).toMatchObject({ title: 'DRILL: checkout database unreachable', severity: 'P1', drill: true, affectedSystems: ['database'] });
    const entries = () => core.call('timeline.list', { incidentId, kinds: ['note', 'action', 'decision'] }).entries.map((e) => [e.occurredAt - T0, e.kind, e.text]);
    const samples = () => core.call('samples.list', { incidentId }).map((s) => [s.t - T0, s.metric, s.value, s.source]);

    expect(entries()).toEqual([[0, 'note', 'Pager: db-primary health check failing']]);
    expect(samples()).toEqual([[0, 'error-rate', 2, 'drill']]);

    clock.set(T0 + 90 * SECOND);
    await until(() => samples().length === 3);
    expect(samples()).toEqual([
      [0, 'error-rate', 2, 'drill'],
      [60 * SECOND, 'db-connections', 0, 'drill'],
      [60 * SECOND, 'error-rate', 7.5, 'drill'],
    ].sort((a, b) => (a[0] as number) - (b[0] as number) || String(a[1]).localeCompare(String(b[1]))));
    expect(entries()).toHaveLength(1);

    // Far past the end: everything left is written once, each at the scenario's time.
    clock.set(T0 + 10 * MINUTE);
    await until(() => entries().length === 3 && samples().length === 4);
    expect(entries()).toEqual([
      [0, 'note', 'Pager: db-primary health check failing'],
      [120 * SECOND, 'action', 'Failing over to the replica'],
      [300 * SECOND, 'decision', 'Keep checkout in maintenance mode'],
    ]);
    expect(core.call('drills.report', { incidentId })).toMatchObject({ scenario: 'Q4 drill: database outage', replayed: 7, total: 7 });
  });

  it('goes on replaying after the console is closed and opened again', async () => {
    const first = testCore({ name: 'Ana' });
    const { incidentId } = first.core.call('drills.start', { fileName: 'drill-db-outage.json', text: SCENARIO });
    first.core.close();
    const { core } = testCore({ dataDir: first.dataDir, start: T0 + 10 * MINUTE });
    const entries = () => core.call('timeline.list', { incidentId, kinds: ['note', 'action', 'decision'] }).entries.map((e) => e.text);
    await until(() => entries().length === 3);
    expect(entries()).toEqual(['Pager: db-primary health check failing', 'Failing over to the replica', 'Keep checkout in maintenance mode']);
    expect(core.call('drills.report', { incidentId })).toMatchObject({ replayed: 7, total: 7 });
  });

  it('refuses a bad scenario with the path of each error, declaring nothing', () => {
    const { core } = testCore({ name: 'Ana' });
    const bad = JSON.stringify({ name: 'x', title: 'x', severity: 'P5', entries: [{ atSeconds: 1.5, text: 'a' }], samples: [{ atSeconds: 0, metric: 'error-rate' }] });
    const error = expectRefused(core, () => core.call('drills.start', { fileName: 'bad.json', text: bad }), 'invalid-argument', /^severity: /);
    expect(error.details).toEqual(expect.arrayContaining(['entries[0].atSeconds: must be whole seconds', 'samples[0].value: required']));
    expect(error.message).toContain('bad.json is not a valid drill scenario');
    expectRefused(
      core,
      () => core.call('drills.start', { fileName: 'm.json', text: JSON.stringify({ name: 'x', title: 'x', severity: 'P1', samples: [{ atSeconds: 0, metric: 'happiness', value: 1 }] }) }),
      'invalid-argument',
      'samples[0].metric: no metric "happiness" in the playbook',
    );
    expect(core.call('incidents.list', {})).toEqual([]);
  });

  it('ends with a report of the validation items met, judged when it ended', async () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const { incidentId } = core.call('drills.start', { fileName: 'drill-db-outage.json', text: SCENARIO });
    clock.set(T0 + 4 * MINUTE);
    core.call('steps.done', { incidentId, stepId: 'notification:P1' });
    core.call('comms.markSent', { incidentId, templateId: 'internal-notification', text: 'Drill declared' });
    clock.set(T0 + 20 * MINUTE);
    const report = core.call('drills.end', { incidentId });
    expect(core.call('incidents.get', { incidentId }).state.status).toBe('resolved');
    expect(Object.fromEntries(report.items.map((i) => [i.id, i.state]))).toEqual({
      'detection-time': 'not-started',
      'team-notification': 'met',
      'root-cause-identified': 'running',
      'first-communication': 'met',
      'recovered-within-rto': 'not-started',
      'post-mortem-completed': 'running',
    });
    expect(report).toMatchObject({ endedAt: T0 + 20 * MINUTE, met: 2, applicable: 6 });
    clock.set(T0 + 5 * 60 * MINUTE);
    expect(core.call('drills.report', { incidentId }).items.find((i) => i.id === 'root-cause-identified')?.state).toBe('running');
    expectRefused(core, () => core.call('drills.end', { incidentId }), 'invalid-argument', 'incidentId: the drill has already ended');
  });
});
