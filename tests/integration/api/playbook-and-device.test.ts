/**
 * The playbook new incidents are declared with (default, loaded from a file, reset), incidents
 * pinning the playbook they were declared with, and this device's name.
 */
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { testCore } from '../../support/cores';
import { callRaw, declareP1, expectRefused, withIncident } from '../../support/api-expect';

/** The default playbook with its phases renamed, as an organisation's own file would differ. */
function customPlaybook(): string {
  const copy = structuredClone(DEFAULT_PLAYBOOK) as unknown as { id: string; name: string; phases: Array<{ id: string; title: string }> };
  copy.id = 'acme-response';
  copy.name = 'ACME incident response';
  const renamed = [
    ['triage', 'Triage'],
    ['stabilise', 'Stabilise'],
    ['diagnose', 'Diagnose'],
    ['restore', 'Restore'],
    ['review', 'Review'],
  ];
  copy.phases.forEach((phase, i) => Object.assign(phase, { id: renamed[i][0], title: renamed[i][1] }));
  return JSON.stringify(copy, null, 2);
}

/** A broken copy: a checklist item with no title, a colour that is not one, a phase window backwards. */
function brokenPlaybook(): string {
  const copy = structuredClone(DEFAULT_PLAYBOOK) as unknown as {
    severities: Array<{ colour: string }>;
    phases: Array<{ checklist: Array<Record<string, unknown>>; window: { startMinutes: number; endMinutes: number } }>;
  };
  delete copy.phases[2].checklist[0].title;
  copy.severities[0].colour = 'red';
  copy.phases[1].window = { startMinutes: 60, endMinutes: 15 };
  return JSON.stringify(copy);
}

describe('playbook.getActive', () => {
  it('is the seed procedure by default', () => {
    const { core } = testCore();
    const active = core.call('playbook.getActive', {});
    expect(active.origin).toBe('default');
    expect(active.playbook).toEqual(DEFAULT_PLAYBOOK);
  });
});

describe('playbook.load', () => {
  it('makes new incidents pin the loaded playbook, while an incident declared earlier keeps its own', () => {
    const { core } = testCore();
    const earlier = declareP1(core, { title: 'Earlier' });

    const loaded = core.call('playbook.load', { fileName: 'acme.json', text: customPlaybook() });
    expect(loaded).toMatchObject({ origin: 'acme.json', playbook: { id: 'acme-response', name: 'ACME incident response' } });
    expect(core.call('playbook.getActive', {})).toEqual(loaded);

    const later = declareP1(core, { title: 'Later' });
    const laterState = core.call('incidents.get', { incidentId: later }).state;
    expect(laterState.playbook.id).toBe('acme-response');
    expect(laterState.phase).toBe('triage');
    expect(core.call('checklist.get', { incidentId: later }).map((p) => p.title)).toEqual(['Triage', 'Stabilise', 'Diagnose', 'Restore', 'Review']);
    expect(core.call('incidents.advancePhase', { incidentId: later }).state.phase).toBe('stabilise');

    const earlierState = core.call('incidents.get', { incidentId: earlier }).state;
    expect(earlierState.playbook).toEqual(DEFAULT_PLAYBOOK);
    expect(earlierState.phase).toBe('detection');
    expect(core.call('incidents.advancePhase', { incidentId: earlier }).state.phase).toBe('containment');
  });

  it('refuses an invalid playbook listing every bad path, and the previous one stays active', () => {
    const { core } = testCore();
    core.call('playbook.load', { fileName: 'acme.json', text: customPlaybook() });
    const error = expectRefused(core, () => core.call('playbook.load', { fileName: 'broken.json', text: brokenPlaybook() }), 'invalid-playbook');
    expect(error.details).toEqual(
      expect.arrayContaining([
        'phases[2].checklist[0].title: required',
        'severities[0].colour: must be a colour like #d32f2f',
        'phases[1].window: endMinutes must be after startMinutes',
      ]),
    );
    expect(error.details).toHaveLength(3);
    expect(error.message).toContain('broken.json');
    expect(core.call('playbook.getActive', {}).origin).toBe('acme.json');
    expect(core.call('incidents.get', { incidentId: declareP1(core) }).state.playbook.id).toBe('acme-response');
  });

  it('refuses a file that is not JSON, saying where', () => {
    const { core } = testCore();
    const error = expectRefused(core, () => core.call('playbook.load', { fileName: 'notes.json', text: '{\n  "format": 1,\n  oops\n}' }), 'invalid-playbook');
    expect(error.details).toEqual([expect.stringMatching(/^notes\.json: invalid JSON at line 3, column \d+/)]);
    expect(core.call('playbook.getActive', {}).origin).toBe('default');
  });

  it('refuses a call without the file text', () => {
    const { core } = testCore();
    expectRefused(core, () => callRaw(core, 'playbook.load', { fileName: 'acme.json' }), 'invalid-argument', 'text: required');
    expectRefused(core, () => core.call('playbook.load', { fileName: '', text: '{}' }), 'invalid-argument', /^fileName: /);
  });
});

describe('playbook.reset', () => {
  it('returns to the seed procedure; incidents declared with the custom one keep it', () => {
    const { core } = testCore();
    core.call('playbook.load', { fileName: 'acme.json', text: customPlaybook() });
    const acme = declareP1(core);
    expect(core.call('playbook.reset', {})).toEqual({ origin: 'default', playbook: DEFAULT_PLAYBOOK });
    expect(core.call('playbook.getActive', {}).origin).toBe('default');
    expect(core.call('incidents.get', { incidentId: declareP1(core) }).state.phase).toBe('detection');
    expect(core.call('incidents.get', { incidentId: acme }).state.phase).toBe('triage');
  });

  it('refuses arguments it does not take', () => {
    const { core } = testCore();
    core.call('playbook.load', { fileName: 'acme.json', text: customPlaybook() });
    const error = expectRefused(core, () => callRaw(core, 'playbook.reset', { to: 'default' }), 'invalid-argument');
    expect(error.message).toContain('to');
    expect(core.call('playbook.getActive', {}).origin).toBe('acme.json');
  });
});

describe('device.get and device.setName', () => {
  it('answers the device id and a default name, then the name set', () => {
    const { core } = testCore();
    expect(core.call('device.get', {})).toEqual({ deviceId: core.deviceId, name: 'Unnamed device' });
    expect(core.deviceId).toMatch(/^[0-9a-f]{32}$/);
    expect(core.call('device.setName', { name: '  War room 1  ' })).toEqual({ deviceId: core.deviceId, name: 'War room 1' });
    expect(core.call('device.get', {})).toEqual({ deviceId: core.deviceId, name: 'War room 1' });
  });

  it('signs new entries with the new name; earlier ones keep the name they were written with', () => {
    const fx = withIncident({ name: 'Ana' });
    fx.call('timeline.add', { incidentId: fx.incidentId, text: 'before' });
    fx.call('device.setName', { name: 'Ana (war room)' });
    fx.call('timeline.add', { incidentId: fx.incidentId, text: 'after' });
    expect(fx.timeline().map((e) => [e.text, e.by])).toEqual([
      ['before', 'Ana'],
      ['after', 'Ana (war room)'],
    ]);
  });

  it('refuses a blank or overlong name, keeping the old one', () => {
    const { core } = testCore({ name: 'Ana' });
    expectRefused(core, () => core.call('device.setName', { name: ' ' }), 'invalid-argument', 'name: required');
    expectRefused(core, () => core.call('device.setName', { name: 'x'.repeat(201) }), 'invalid-argument', /^name: /);
    expectRefused(core, () => callRaw(core, 'device.get', { deviceId: 'x' }), 'invalid-argument', /deviceId/);
    expect(core.call('device.get', {}).name).toBe('Ana');
  });
});
