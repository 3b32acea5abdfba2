/**
 * Breach handling through the api, on a fake clock: flagging asks for "aware at", starts the
 * 72-hour regulatory clock, adds the seed's data-breach steps and HIPAA items as steps to track,
 * and records the data impact (what data, how many users).
 */
import { regulatoryClock } from '../../../shared/model/regulatory-clock';
import { legalRole } from '../../../shared/model/breach';
import { T0 } from '../../support/cores';
import { callRaw, expectRefused, MINUTE, withIncident } from '../../support/api-expect';

const HOUR = 60 * MINUTE;

describe('incidents.flagBreach', () => {
  it('starts the 72-hour clock at aware-at, records the data impact and adds the breach checklist', () => {
    const fx = withIncident();
    fx.clock.advance(20 * MINUTE);
    const view = fx.call('incidents.flagBreach', { incidentId: fx.incidentId, awareAt: T0 + 12 * MINUTE, data: 'email addresses, hashed passwords', users: 'about 1,200' });
    expect(view.state.breach).toEqual({ flagged: true, awareAt: T0 + 12 * MINUTE });
    expect(view.state.impact).toMatchObject({ data: 'email addresses, hashed passwords', users: 'about 1,200' });
    expect(fx.lastSystemText()).toBe('Ana updated the users impact');
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toContain('Ana flagged a data breach (aware at 2026-11-29 14:12 UTC)');

    const clock = regulatoryClock(view.state, fx.clock.now());
    expect(clock).toEqual({ startedAt: T0 + 12 * MINUTE, deadline: T0 + 12 * MINUTE + 72 * HOUR, remainingMs: 72 * HOUR - 8 * MINUTE, overdue: false });
    expect(regulatoryClock(view.state, T0 + 73 * HOUR)?.overdue).toBe(true);

    const breachSteps = fx.call('steps.list', { incidentId: fx.incidentId }).filter((s) => s.severity === null);
    expect(breachSteps.map((s) => `${s.group}: ${s.title}`)).toEqual([
      'breach: Immediate Containment',
      'breach: Evidence Preservation',
      'breach: Legal Notification',
      'breach: Regulatory Reporting',
      'breach: User Notification',
      'hipaa: Data Classification',
      'hipaa: Access Logging',
      'hipaa: Encryption',
      'hipaa: Audit Trail',
    ]);
    expect(breachSteps.every((s) => s.triggeredAt === T0 + 12 * MINUTE && s.state === 'open')).toBe(true);
    fx.call('steps.done', { incidentId: fx.incidentId, stepId: 'breach:legal-notification', note: 'called counsel' });
    expect(fx.lastSystemText()).toBe('Ana marked "Legal Notification" (data breach) done: called counsel');
  });

  it('needs aware-at, and refuses one in the future, writing nothing', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'incidents.flagBreach', { incidentId: fx.incidentId }), 'invalid-argument', 'awareAt: required');
    expectRefused(fx.core, () => fx.call('incidents.flagBreach', { incidentId: fx.incidentId, awareAt: T0 + MINUTE }), 'invalid-argument', /^awareAt: must not be in the future/);
    expect(fx.call('steps.list', { incidentId: fx.incidentId }).some((s) => s.group === 'breach')).toBe(false);
  });

  it('clearing the flag stops the clock and takes the breach steps off the list', () => {
    const fx = withIncident();
    fx.call('incidents.flagBreach', { incidentId: fx.incidentId, awareAt: T0 });
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'breach', value: { flagged: false, awareAt: null }, reason: 'false alarm' });
    expect(regulatoryClock(fx.state(), T0)).toBeNull();
    expect(fx.call('steps.list', { incidentId: fx.incidentId }).some((s) => s.group === 'hipaa')).toBe(false);
  });

  it('the playbook names the Legal role to suggest', () => {
    const fx = withIncident();
    expect(legalRole(fx.state().playbook)).toMatchObject({ id: 'legal', title: 'Legal', holderTitle: 'Legal Counsel' });
  });
});
