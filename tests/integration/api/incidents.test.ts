/**
 * The incident methods through the api: declare, list, get, setField, advancePhase, close.
 * What the incident list, the header and the timeline show after each call, and every refusal.
 */
import { SETTABLE_INCIDENT_FIELDS, type SettableIncidentField } from '../../../shared/api';
import type { IncidentState } from '../../../shared/model/incident';
import { T0, testCore } from '../../support/cores';
import {
  addPerson,
  callRaw,
  declareP1,
  expectRefused,
  MINUTE,
  UNKNOWN_INCIDENT,
  withIncident,
} from '../../support/api-expect';

describe('incidents.declare', () => {
  it('lists the new incident as active, with its severity, drill flag, first phase and no commander yet', () => {
    const { core, clock } = testCore({ name: 'Ana' });
    const real = declareP1(core, { title: 'Checkout failing' });
    clock.advance(MINUTE);
    const drill = core.call('incidents.declare', { title: 'Quarterly drill', severity: 'P3', drill: true }).incidentId;

    expect(core.call('incidents.list', {})).toEqual([
      { id: drill, title: 'Quarterly drill', severity: 'P3', status: 'active', phase: 'detection', drill: true, declaredAt: T0 + MINUTE, commander: null },
      { id: real, title: 'Checkout failing', severity: 'P1', status: 'active', phase: 'detection', drill: false, declaredAt: T0, commander: null },
    ]);
  });

  it('shows the commander by name once someone holds the commander role', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'incident-commander', personId: bea });
    expect(fx.call('incidents.list', {})[0].commander).toBe('Bea');
  });

  it('records detected at the moment of declaring, and impact started when given', () => {
    const { core, clock } = testCore();
    clock.set(T0 + 7 * MINUTE);
    const id = declareP1(core, { impactStartedAt: T0 + 2 * MINUTE, affectedSystems: ['authentication'], category: 'Security', summary: 'Logins fail' });
    const state = core.call('incidents.get', { incidentId: id }).state;
    expect(state.milestones.detected).toEqual({ at: T0 + 7 * MINUTE, source: 'default' });
    expect(state.milestones.impactStarted).toEqual({ at: T0 + 2 * MINUTE, source: 'default' });
    expect(state).toMatchObject({ severity: 'P1', status: 'active', phase: 'detection', category: 'Security', summary: 'Logins fail', affectedSystems: ['authentication'] });
  });

  it('takes a detection time from the caller instead of now', () => {
    const { core, clock } = testCore();
    clock.set(T0 + 30 * MINUTE);
    const id = declareP1(core, { detectedAt: T0 + 10 * MINUTE });
    expect(core.call('incidents.get', { incidentId: id }).state.milestones.detected?.at).toBe(T0 + 10 * MINUTE);
    expect(core.call('incidents.get', { incidentId: id }).state.milestones.impactStarted).toBeUndefined();
  });

  it('refuses an impact start after the detection time, declaring nothing', () => {
    const { core } = testCore();
    expectRefused(
      core,
      () => core.call('incidents.declare', { title: 'x', severity: 'P1', detectedAt: T0, impactStartedAt: T0 + 1 }),
      'invalid-argument',
      'impactStartedAt: must not be after the detection time',
    );
    expect(core.call('incidents.list', {})).toEqual([]);
  });

  it('refuses a blank title and an unknown severity, naming each field', () => {
    const { core } = testCore();
    const error = expectRefused(core, () => callRaw(core, 'incidents.declare', { title: '   ', severity: 'P7' }), 'invalid-argument', 'title: required');
    expect(error.details).toContainEqual(expect.stringMatching(/^severity: /));
    expect(core.call('incidents.list', {})).toEqual([]);
  });
});

describe('incidents.list', () => {
  it('lists open incidents before resolved and closed ones, newest first', () => {
    const { core, clock } = testCore();
    declareP1(core, { title: 'Older' });
    clock.advance(MINUTE);
    declareP1(core, { title: 'Newer' });
    clock.advance(MINUTE);
    const done = declareP1(core, { title: 'Done' });
    core.call('incidents.setField', { incidentId: done, field: 'status', value: 'resolved' });
    expect(core.call('incidents.list', {}).map((i) => [i.title, i.status])).toEqual([
      ['Newer', 'active'],
      ['Older', 'active'],
      ['Done', 'resolved'],
    ]);
  });

  it('refuses an argument it does not take', () => {
    const { core } = testCore();
    const error = expectRefused(core, () => callRaw(core, 'incidents.list', { status: 'active' }), 'invalid-argument');
    expect(error.message).toContain('status');
  });
});

describe('incidents.get', () => {
  it('answers the incident with write access on the device that declared it', () => {
    const fx = withIncident();
    const view = fx.call('incidents.get', { incidentId: fx.incidentId });
    expect(view).toMatchObject({ access: 'write', unknownOps: 0, concurrentlyChanged: [] });
    expect(view.state).toMatchObject({ id: fx.incidentId, title: 'Checkout failing', declaredAt: T0, declaredByDevice: fx.core.deviceId });
  });

  it('says not-found for an incident this device does not hold', () => {
    const { core } = testCore();
    expectRefused(core, () => core.call('incidents.get', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });

  it('refuses something that is not an incident id', () => {
    const { core } = testCore();
    expectRefused(core, () => core.call('incidents.get', { incidentId: 'checkout' }), 'invalid-argument', 'incidentId: must be an incident id');
  });
});

describe('incidents.setField', () => {
  const at3 = T0 + 3 * MINUTE;
  const cases: Array<{ field: SettableIncidentField; value: unknown; shows: (s: IncidentState) => unknown; sentence: string }> = [
    { field: 'title', value: 'Checkout down in EU', shows: (s) => s.title, sentence: 'Ana renamed the incident "Checkout down in EU"' },
    { field: 'severity', value: 'P0', shows: (s) => s.severity, sentence: 'Ana changed severity P1 → P0' },
    { field: 'category', value: 'Performance', shows: (s) => s.category, sentence: 'Ana set the category to "Performance"' },
    { field: 'status', value: 'mitigated', shows: (s) => s.status, sentence: 'Ana changed status active → mitigated' },
    {
      field: 'affectedSystems',
      value: ['authentication', 'database'],
      shows: (s) => s.affectedSystems,
      sentence: 'Ana set the affected systems to authentication, database',
    },
    { field: 'summary', value: 'Card payments time out', shows: (s) => s.summary, sentence: 'Ana updated the summary' },
    { field: 'rootCause', value: 'Expired TLS certificate', shows: (s) => s.rootCause, sentence: 'Ana updated the root cause' },
    { field: 'impact.users', value: '12% of EU users', shows: (s) => s.impact.users, sentence: 'Ana updated the users impact' },
    { field: 'impact.data', value: 'None lost', shows: (s) => s.impact.data, sentence: 'Ana updated the data impact' },
    { field: 'impact.business', value: '€40k/hour', shows: (s) => s.impact.business, sentence: 'Ana updated the business impact' },
    { field: 'impact.compliance', value: 'PCI review', shows: (s) => s.impact.compliance, sentence: 'Ana updated the compliance impact' },
    {
      field: 'breach',
      value: { flagged: true, awareAt: at3 },
      shows: (s) => s.breach,
      sentence: 'Ana flagged a data breach (aware at 2026-11-29 14:03 UTC)',
    },
  ];

  it('has a case for every settable field', () => {
    expect(cases.map((c) => c.field).sort()).toEqual(Object.keys(SETTABLE_INCIDENT_FIELDS).sort());
  });

  it.each(cases)('sets $field, and the timeline says so', ({ field, value, shows, sentence }) => {
    const fx = withIncident();
    fx.clock.advance(5 * MINUTE);
    const view = fx.call('incidents.setField', { incidentId: fx.incidentId, field, value });
    expect(shows(view.state)).toEqual(value);
    expect(shows(fx.state())).toEqual(value);
    const system = fx.timeline({ kinds: ['system'] });
    expect(system.map((e) => e.text)).toEqual([sentence]);
    expect(system[0]).toMatchObject({ by: 'Ana', occurredAt: T0 + 5 * MINUTE, device: fx.core.deviceId });
  });

  it('shows title, severity and status changes in the incident list', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'title', value: 'Payments down' });
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'mitigated' });
    expect(fx.call('incidents.list', {})[0]).toMatchObject({ title: 'Payments down', severity: 'P0', status: 'mitigated' });
  });

  it('records every severity in the history, with the reason on the timeline entry', () => {
    const fx = withIncident();
    fx.clock.advance(4 * MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0', reason: 'EU checkout fully down' });
    fx.clock.advance(20 * MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P2' });
    expect(fx.state().severityHistory).toEqual([
      { severity: 'P1', at: T0 },
      { severity: 'P0', at: T0 + 4 * MINUTE },
      { severity: 'P2', at: T0 + 24 * MINUTE },
    ]);
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toEqual([
      'Ana changed severity P1 → P0 — reason: EU checkout fully down',
      'Ana changed severity P0 → P2',
    ]);
  });

  it('clears the breach flag', () => {
    const fx = withIncident();
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'breach', value: { flagged: true, awareAt: T0 } });
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'breach', value: { flagged: false, awareAt: null } });
    expect(fx.state().breach).toEqual({ flagged: false, awareAt: null });
    expect(fx.lastSystemText()).toBe('Ana cleared the data breach flag');
  });

  it('refuses a breach flagged without the time the organisation became aware of it', () => {
    const fx = withIncident();
    expectRefused(
      fx.core,
      () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'breach', value: { flagged: true, awareAt: null } }),
      'invalid-argument',
      'value.awareAt: required when the breach flag is set',
    );
    expect(fx.state().breach.flagged).toBe(false);
  });

  it('refuses a value of the wrong shape for the field, naming value', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'title', value: '  ' }), 'invalid-argument', 'value: required');
    expectRefused(fx.core, () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P5' }), 'invalid-argument', /^value: /);
    expectRefused(fx.core, () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'affectedSystems', value: 'db' }), 'invalid-argument', /^value: /);
    expectRefused(fx.core, () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity' } as never), 'invalid-argument', 'value: required');
    expect(fx.state()).toMatchObject({ title: 'Checkout failing', severity: 'P1' });
  });

  it('refuses fields that have their own method or do not exist', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'incidents.setField', { incidentId: fx.incidentId, field: 'phase', value: 'recovery' }), 'invalid-argument', /^field: /);
    expectRefused(fx.core, () => callRaw(fx.core, 'incidents.setField', { incidentId: fx.incidentId, field: 'colour', value: 'red' }), 'invalid-argument', /^field: /);
  });

  it('refuses setting an active incident active again', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'status', value: 'active' }), 'invalid-argument', 'value: the incident is already active');
  });

  it('says not-found for an unknown incident', () => {
    const { core } = testCore();
    expectRefused(core, () => core.call('incidents.setField', { incidentId: UNKNOWN_INCIDENT, field: 'severity', value: 'P0' }), 'not-found');
  });
});

describe('incidents.advancePhase', () => {
  it('moves to the next phase, on the timeline, the list and the checklist', () => {
    const fx = withIncident();
    fx.clock.advance(12 * MINUTE);
    const view = fx.call('incidents.advancePhase', { incidentId: fx.incidentId });
    expect(view.state.phase).toBe('containment');
    expect(view.state.phaseHistory).toEqual([
      { phase: 'detection', at: T0 },
      { phase: 'containment', at: T0 + 12 * MINUTE },
    ]);
    expect(fx.lastSystemText()).toBe('Ana moved to phase Containment (from Detection & Assessment)');
    expect(fx.call('incidents.list', {})[0].phase).toBe('containment');
    expect(fx.call('checklist.get', { incidentId: fx.incidentId }).filter((p) => p.current).map((p) => p.phase)).toEqual(['containment']);
  });

  it('goes back to a named earlier phase, and the history shows it entered twice', () => {
    const fx = withIncident();
    const to = (phase?: string) => {
      fx.clock.advance(10 * MINUTE);
      return fx.call('incidents.advancePhase', { incidentId: fx.incidentId, phase });
    };
    to();
    to('investigation');
    const view = to('containment');
    expect(view.state.phase).toBe('containment');
    expect(view.state.phaseHistory).toEqual([
      { phase: 'detection', at: T0 },
      { phase: 'containment', at: T0 + 10 * MINUTE },
      { phase: 'investigation', at: T0 + 20 * MINUTE },
      { phase: 'containment', at: T0 + 30 * MINUTE },
    ]);
    expect(fx.lastSystemText()).toBe('Ana moved to phase Containment (from Investigation)');
  });

  it('refuses moving to the phase the incident is already in', () => {
    const fx = withIncident();
    expectRefused(
      fx.core,
      () => fx.call('incidents.advancePhase', { incidentId: fx.incidentId, phase: 'detection' }),
      'invalid-argument',
      'phase: the incident is already in phase "detection"',
    );
  });

  it('refuses advancing beyond the last phase', () => {
    const fx = withIncident();
    fx.call('incidents.advancePhase', { incidentId: fx.incidentId, phase: 'post-incident' });
    expectRefused(
      fx.core,
      () => fx.call('incidents.advancePhase', { incidentId: fx.incidentId }),
      'invalid-argument',
      'phase: the incident is already in the last phase, "post-incident"',
    );
    expect(fx.state().phase).toBe('post-incident');
  });

  it('refuses an unknown phase, listing the phases there are', () => {
    const fx = withIncident();
    expectRefused(
      fx.core,
      () => fx.call('incidents.advancePhase', { incidentId: fx.incidentId, phase: 'triage' }),
      'invalid-argument',
      'phase: no phase "triage" in this incident\'s playbook (detection, containment, investigation, recovery, post-incident)',
    );
  });

  it('says not-found for an unknown incident', () => {
    const { core } = testCore();
    expectRefused(core, () => core.call('incidents.advancePhase', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });
});

describe('incidents.close', () => {
  it('closes the incident, with the reason on the timeline', () => {
    const fx = withIncident();
    fx.clock.advance(3 * 60 * MINUTE);
    const view = fx.call('incidents.close', { incidentId: fx.incidentId, reason: 'Post-mortem scheduled' });
    expect(view.state.status).toBe('closed');
    expect(fx.call('incidents.list', {})[0].status).toBe('closed');
    expect(fx.lastSystemText()).toBe('Ana changed status active → closed — reason: Post-mortem scheduled');
    expect(fx.timeline({ kinds: ['system'] }).at(-1)?.occurredAt).toBe(T0 + 180 * MINUTE);
  });

  it('refuses closing twice', () => {
    const fx = withIncident();
    fx.call('incidents.close', { incidentId: fx.incidentId });
    expectRefused(fx.core, () => fx.call('incidents.close', { incidentId: fx.incidentId }), 'invalid-argument', 'incidentId: the incident is already closed');
  });

  it('refuses a blank reason', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('incidents.close', { incidentId: fx.incidentId, reason: ' ' }), 'invalid-argument', 'reason: required');
    expect(fx.state().status).toBe('active');
  });

  it('says not-found for an unknown incident', () => {
    const { core } = testCore();
    expectRefused(core, () => core.call('incidents.close', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });
});
