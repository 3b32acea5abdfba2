/**
 * The procedure in motion through the api, on a fake clock: a severity's actions and notification
 * policy become tracked steps on declaring and on each escalation; done by whom and when, or
 * skipped with a reason; a notification step done sets the team-notified milestone.
 */
import { T0, shareIncident, testCore } from '../../support/cores';
import { callRaw, expectRefused, MINUTE, withIncident, type ApiFixture } from '../../support/api-expect';

const steps = (fx: ApiFixture) => fx.call('steps.list', { incidentId: fx.incidentId });
const ids = (fx: ApiFixture) => steps(fx).map((s) => s.id);

const P1_STEPS = [
  'action:P1/alert-technical-team',
  'action:P1/increase-monitoring',
  'action:P1/log-analysis',
  'action:P1/performance-profiling',
  'notification:P1',
];
const P0_STEPS = [
  'action:P0/alert-primary-team',
  'action:P0/enable-enhanced-logging',
  'action:P0/scale-resources',
  'action:P0/enable-circuit-breakers',
  'action:P0/notify-on-call',
  'notification:P0',
];

describe('response steps', () => {
  it('declaring a P1 adds its four actions and its notification policy, open, as prompts', () => {
    const fx = withIncident();
    const list = steps(fx);
    expect(list.map((s) => s.id)).toEqual(P1_STEPS);
    expect(list[0]).toMatchObject({ group: 'action', severity: 'P1', title: 'Alert Technical Team', description: 'Slack notification', triggeredAt: T0, state: 'open', by: null, at: null });
    expect(list[4]).toMatchObject({ group: 'notification', title: 'Notify the primary response team now', description: 'Immediately notify primary response team', notifiesTeam: true });
    expect(list[4].prompt).toMatch(/team directory/);
  });

  it('escalating to P0 adds P0 steps at the time of the escalation; de-escalating adds none', () => {
    const fx = withIncident();
    fx.clock.advance(7 * MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
    expect(ids(fx)).toEqual([...P1_STEPS, ...P0_STEPS]);
    expect(steps(fx).find((s) => s.id === 'action:P0/notify-on-call')).toMatchObject({ title: 'Notify On-Call', description: 'PagerDuty escalation', triggeredAt: T0 + 7 * MINUTE });
    fx.clock.advance(MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P2' });
    fx.clock.advance(MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
    expect(ids(fx)).toEqual([...P1_STEPS, ...P0_STEPS]);
  });

  it('a P3 has only its notification policy ("log for next business day"), which does not notify the team', () => {
    const fx = withIncident({ declare: { severity: 'P3' } });
    expect(steps(fx)).toEqual([expect.objectContaining({ id: 'notification:P3', title: 'Log it for the next business day', notifiesTeam: false })]);
    fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'notification:P3' });
    expect(fx.state().milestones.teamNotified).toBeUndefined();
  });

  it('marking a step done records who and when, and says so on the timeline', () => {
    const fx = withIncident();
    fx.clock.advance(3 * MINUTE);
    const list = fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'action:P1/log-analysis', note: 'Kibana saved search "5xx"' });
    expect(list.find((s) => s.id === 'action:P1/log-analysis')).toMatchObject({ state: 'done', by: 'Ana', at: T0 + 3 * MINUTE, note: 'Kibana saved search "5xx"' });
    expect(fx.lastSystemText()).toBe('Ana marked "Log Analysis" (P1 action) done: Kibana saved search "5xx"');
    expectRefused(fx.core, () => fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'action:P1/log-analysis' }), 'invalid-argument', 'stepId: "Log Analysis" is already done');
  });

  it('skipping needs a reason, and the reason is kept and shown', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'steps.skip', { incidentId: fx.incidentId, stepId: 'action:P1/performance-profiling' }), 'invalid-argument', 'reason: required');
    expectRefused(fx.core, () => fx.call('steps.skip', { incidentId: fx.incidentId, stepId: 'action:P1/performance-profiling', reason: '   ' }), 'invalid-argument', 'reason: required: say why the step is skipped');
    fx.clock.advance(MINUTE);
    const list = fx.call('steps.skip', { incidentId: fx.incidentId, stepId: 'action:P1/performance-profiling', reason: 'profiler would add load' });
    expect(list.find((s) => s.id === 'action:P1/performance-profiling')).toMatchObject({ state: 'skipped', note: 'profiler would add load', by: 'Ana', at: T0 + MINUTE });
    expect(fx.lastSystemText()).toBe('Ana skipped "Performance Profiling" (P1 action) — reason: profiler would add load');
    fx.call('steps.reopen', { incidentId: fx.incidentId, stepId: 'action:P1/performance-profiling' });
    expect(steps(fx).find((s) => s.id === 'action:P1/performance-profiling')).toMatchObject({ state: 'open', note: '', by: null, at: null });
  });

  it('refuses a step the incident does not require (a P0 action on a P1)', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'action:P0/scale-resources' }), 'not-found');
  });

  it('the notification step done sets the team-notified milestone, which meets the 10-minute validation item', () => {
    const fx = withIncident();
    expect(fx.state().milestones.teamNotified).toBeUndefined();
    fx.clock.advance(6 * MINUTE);
    fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'notification:P1', note: 'called the on-call phone' });
    expect(fx.state().milestones.teamNotified).toEqual({ at: T0 + 6 * MINUTE, source: 'default' });
    fx.clock.advance(MINUTE);
    fx.call('steps.reopen', { incidentId: fx.incidentId, stepId: 'notification:P1' });
    fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'notification:P1' });
    expect(fx.state().milestones.teamNotified?.at).toBe(T0 + 6 * MINUTE);
  });

  it('every replica derives the same steps and progress from the same ops', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
    fx.call('steps.skip', { incidentId: fx.incidentId, stepId: 'action:P0/scale-resources', reason: 'already at max' });
    fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'notification:P0' });
    const other = testCore({ name: 'Bea' });
    shareIncident(fx.core, other.core, fx.incidentId);
    expect(other.core.call('steps.list', { incidentId: fx.incidentId })).toEqual(steps(fx));
    expect(other.core.call('incidents.get', { incidentId: fx.incidentId }).state.milestones.teamNotified).toEqual(fx.state().milestones.teamNotified);
  });
});
