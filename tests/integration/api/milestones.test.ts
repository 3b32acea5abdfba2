/**
 * Milestone defaults (DESIGN.md §4) through the api, on a fake clock: declaring sets detected; the
 * first commander assignment sets acknowledged; "team notified" and "root cause identified" are
 * explicit actions; the first communication marked sent sets that milestone; status changes set
 * mitigated and resolved; every milestone is editable with a reason, and clearing the edit restores
 * the default.
 */
import { responseTimes } from '../../../shared/model/response-times';
import { T0 } from '../../support/cores';
import { addPerson, callRaw, expectRefused, MINUTE, UNKNOWN_INCIDENT, withIncident, type ApiFixture } from '../../support/api-expect';

const assignCommander = (fx: ApiFixture, personId: string | null) =>
  fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'incident-commander', personId });

describe('milestone defaults', () => {
  it('declaring sets detected; nothing else is set yet', () => {
    const fx = withIncident({ declare: { impactStartedAt: T0 - 9 * MINUTE } });
    expect(fx.state().milestones).toEqual({
      impactStarted: { at: T0 - 9 * MINUTE, source: 'default' },
      detected: { at: T0, source: 'default' },
    });
  });

  it('the first commander assignment sets acknowledged; reassigning later does not move it', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    const cy = addPerson(fx, 'Cy');
    fx.clock.advance(6 * MINUTE);
    assignCommander(fx, bea);
    expect(fx.state().milestones.acknowledged).toEqual({ at: T0 + 6 * MINUTE, source: 'default' });

    fx.clock.advance(30 * MINUTE);
    assignCommander(fx, cy);
    fx.clock.advance(5 * MINUTE);
    assignCommander(fx, null);
    fx.clock.advance(5 * MINUTE);
    fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: bea });
    expect(fx.state().milestones.acknowledged).toEqual({ at: T0 + 6 * MINUTE, source: 'default' });
    expect(responseTimes(fx.state()).timeToAcknowledgeMs).toBe(6 * MINUTE);
  });

  it('a handover as the first commander assignment sets acknowledged too', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.clock.advance(2 * MINUTE);
    fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: bea });
    expect(fx.state().milestones.acknowledged?.at).toBe(T0 + 2 * MINUTE);
  });

  it('assigning another role does not acknowledge the incident', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'technical-lead', personId: bea });
    expect(fx.state().milestones.acknowledged).toBeUndefined();
  });

  it('the first communication marked sent sets first communication sent; later ones do not move it', () => {
    const fx = withIncident();
    fx.clock.advance(9 * MINUTE);
    fx.call('comms.markSent', { incidentId: fx.incidentId, templateId: 'internal-notification', text: 'INCIDENT DECLARED' });
    fx.clock.advance(60 * MINUTE);
    fx.call('comms.markSent', { incidentId: fx.incidentId, templateId: 'customer-update', text: 'Dear valued user' });
    expect(fx.state().milestones.firstCommunicationSent).toEqual({ at: T0 + 9 * MINUTE, source: 'default' });
  });

  it('retracting the only communication sent takes first communication sent back', () => {
    const fx = withIncident();
    fx.clock.advance(9 * MINUTE);
    const sent = fx.call('comms.markSent', { incidentId: fx.incidentId, templateId: 'customer-update', text: 'Dear valued user' });
    fx.call('timeline.retract', { incidentId: fx.incidentId, entryId: sent.id, reason: 'sent to the wrong list' });
    expect(fx.state().milestones.firstCommunicationSent).toBeUndefined();
  });

  it('status mitigated sets mitigated, status resolved sets resolved, each at its own time', () => {
    const fx = withIncident();
    fx.clock.advance(40 * MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'mitigated' });
    expect(fx.state().milestones.mitigated).toEqual({ at: T0 + 40 * MINUTE, source: 'default' });
    expect(fx.state().milestones.resolved).toBeUndefined();

    fx.clock.advance(80 * MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'resolved' });
    const { milestones } = fx.state();
    expect(milestones.mitigated).toEqual({ at: T0 + 40 * MINUTE, source: 'default' });
    expect(milestones.resolved).toEqual({ at: T0 + 120 * MINUTE, source: 'default' });
    expect(responseTimes(fx.state()).timeToResolveMs).toBe(120 * MINUTE);
  });

  it('team notified and root cause identified are set by explicit actions, without a reason', () => {
    const fx = withIncident();
    expect(fx.state().milestones.teamNotified).toBeUndefined();
    fx.clock.advance(4 * MINUTE);
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'teamNotified', at: fx.clock.now() });
    expect(fx.lastSystemText()).toBe('Ana set milestone "team notified" to 2026-11-29 14:04 UTC');
    fx.clock.advance(50 * MINUTE);
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'rootCauseIdentified', at: T0 + 52 * MINUTE });
    const { milestones } = fx.state();
    expect(milestones.teamNotified?.at).toBe(T0 + 4 * MINUTE);
    expect(milestones.rootCauseIdentified?.at).toBe(T0 + 52 * MINUTE);
    expect(fx.lastSystemText()).toBe('Ana set milestone "root cause identified" to 2026-11-29 14:52 UTC');
  });
});

describe('incidents.setMilestone edits', () => {
  it('refuses changing a milestone already set without a reason, changing nothing', () => {
    const fx = withIncident();
    expectRefused(
      fx.core,
      () => fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'detected', at: T0 - MINUTE }),
      'invalid-argument',
      'reason: required to change milestone detected, which is already set',
    );
    expect(fx.state().milestones.detected).toEqual({ at: T0, source: 'default' });
  });

  it('refuses changing an explicitly set milestone again without a reason', () => {
    const fx = withIncident();
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'teamNotified', at: T0 + MINUTE });
    expectRefused(
      fx.core,
      () => fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'teamNotified', at: T0 + 2 * MINUTE }),
      'invalid-argument',
      /^reason: /,
    );
  });

  it('with a reason, the milestone shows as edited with the reason, and the timeline says so', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.clock.advance(10 * MINUTE);
    assignCommander(fx, bea);
    fx.clock.advance(MINUTE);
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'acknowledged', at: T0 + 3 * MINUTE, reason: 'Bea acknowledged by phone' });
    expect(fx.state().milestones.acknowledged).toEqual({ at: T0 + 3 * MINUTE, source: 'edited', reason: 'Bea acknowledged by phone' });
    expect(fx.lastSystemText()).toBe('Ana set milestone "acknowledged" to 2026-11-29 14:03 UTC — reason: Bea acknowledged by phone');
    expect(responseTimes(fx.state()).timeToAcknowledgeMs).toBe(3 * MINUTE);
  });

  it('clearing the edit restores the default', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.clock.advance(10 * MINUTE);
    assignCommander(fx, bea);
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'acknowledged', at: T0 + 3 * MINUTE, reason: 'by phone' });
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'acknowledged', at: null, reason: 'the call was about another incident' });
    expect(fx.state().milestones.acknowledged).toEqual({ at: T0 + 10 * MINUTE, source: 'default' });
    expect(fx.lastSystemText()).toBe('Ana cleared the edit of milestone "acknowledged" — reason: the call was about another incident');
  });

  it('clearing an edited detected time restores the declared one', () => {
    const fx = withIncident();
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'detected', at: T0 - 5 * MINUTE, reason: 'the alert fired earlier' });
    expect(fx.state().milestones.detected).toEqual({ at: T0 - 5 * MINUTE, source: 'edited', reason: 'the alert fired earlier' });
    fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'detected', at: null, reason: 'wrong alert' });
    expect(fx.state().milestones.detected).toEqual({ at: T0, source: 'default' });
  });

  it('refuses clearing a milestone that has no edit', () => {
    const fx = withIncident();
    expectRefused(
      fx.core,
      () => fx.call('incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'mitigated', at: null }),
      'invalid-argument',
      'at: milestone mitigated has no edit to clear',
    );
  });

  it('refuses an unknown milestone, a time that is not UTC milliseconds and a missing time', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'fixed', at: T0 }), 'invalid-argument', /^milestone: /);
    expectRefused(fx.core, () => callRaw(fx.core, 'incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'teamNotified', at: 1.5 }), 'invalid-argument', 'at: must be UTC milliseconds');
    expectRefused(fx.core, () => callRaw(fx.core, 'incidents.setMilestone', { incidentId: fx.incidentId, milestone: 'teamNotified' }), 'invalid-argument', 'at: required');
  });

  it('says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('incidents.setMilestone', { incidentId: UNKNOWN_INCIDENT, milestone: 'teamNotified', at: T0 }), 'not-found');
  });
});
