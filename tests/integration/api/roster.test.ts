/**
 * The roster through the api: people (with or without a device), every role of the pinned playbook
 * with its holder, assignment, command handover, and the refusals around them.
 */
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { T0 } from '../../support/cores';
import { addPerson, callRaw, expectRefused, MINUTE, role, UNKNOWN_INCIDENT, withIncident } from '../../support/api-expect';

const LAPTOP = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

describe('roster.addPerson', () => {
  it('adds people with a device and without one (Legal on the phone)', () => {
    const fx = withIncident();
    fx.call('roster.addPerson', { incidentId: fx.incidentId, name: 'Bea Ortiz', contact: '+44 20 7946 0000', deviceIds: [LAPTOP] });
    const roster = fx.call('roster.addPerson', { incidentId: fx.incidentId, name: 'Legal (Dana)' });
    expect(roster.people.map(({ name, contact, deviceIds, removed }) => ({ name, contact, deviceIds, removed }))).toEqual([
      { name: 'Bea Ortiz', contact: '+44 20 7946 0000', deviceIds: [LAPTOP], removed: false },
      { name: 'Legal (Dana)', contact: '', deviceIds: [], removed: false },
    ]);
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toEqual(['Ana added Bea Ortiz to the roster', 'Ana added Legal (Dana) to the roster']);
  });

  it('refuses a blank name and a malformed device id', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('roster.addPerson', { incidentId: fx.incidentId, name: ' ' }), 'invalid-argument', 'name: required');
    expectRefused(fx.core, () => fx.call('roster.addPerson', { incidentId: fx.incidentId, name: 'Bea', deviceIds: ['laptop'] }), 'invalid-argument', 'deviceIds[0]: must be a device id');
    expect(fx.call('roster.get', { incidentId: fx.incidentId }).people).toEqual([]);
  });

  it('says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('roster.addPerson', { incidentId: UNKNOWN_INCIDENT, name: 'Bea' }), 'not-found');
  });
});

describe('roster.get', () => {
  it('lists every role of the pinned playbook, unassigned ones with no holder', () => {
    const fx = withIncident();
    const roles = fx.call('roster.get', { incidentId: fx.incidentId }).roles;
    expect(roles.map((r) => r.roleId)).toEqual(DEFAULT_PLAYBOOK.roles.map((r) => r.id));
    expect(roles.every((r) => r.holder === null && r.setBy === null && r.setAt === null)).toBe(true);
    expect(roles.find((r) => r.commander)).toMatchObject({ roleId: 'incident-commander', roleKey: 'role:incident-commander', title: 'Lead' });
  });

  it('says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('roster.get', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });
});

describe('roster.assign', () => {
  it('gives a role to a person, saying who set it and when', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.clock.advance(4 * MINUTE);
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'technical-lead', personId: bea });
    expect(role(fx, 'technical-lead')).toMatchObject({ holder: { id: bea, name: 'Bea' }, setBy: 'Ana', setAt: T0 + 4 * MINUTE, conflicted: false });
    expect(fx.lastSystemText()).toBe('Ana assigned Technical Lead to Bea');
  });

  it('unassigns a role', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'security-lead', personId: bea });
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'security-lead', personId: null });
    expect(role(fx, 'security-lead').holder).toBeNull();
    expect(fx.lastSystemText()).toBe('Ana unassigned Security Lead');
  });

  it('says not-found for an unknown person, role or incident, assigning nothing', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    expectRefused(fx.core, () => fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'devops', personId: 'nobody' }), 'not-found');
    expectRefused(fx.core, () => fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'scribe', personId: bea }), 'not-found');
    expectRefused(fx.core, () => fx.call('roster.assign', { incidentId: UNKNOWN_INCIDENT, roleId: 'devops', personId: bea }), 'not-found');
    expect(role(fx, 'devops').holder).toBeNull();
  });

  it('refuses a person removed from the roster', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, removed: true });
    expectRefused(
      fx.core,
      () => fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'devops', personId: bea }),
      'invalid-argument',
      'personId: Bea was removed from the roster',
    );
  });

  it('refuses a missing person id (null unassigns; absent is a mistake)', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'roster.assign', { incidentId: fx.incidentId, roleId: 'devops' }), 'invalid-argument', 'personId: required');
  });
});

describe('roster.handOverCommand', () => {
  it('moves the commander role, with the note as the reason on the timeline', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    const cy = addPerson(fx, 'Cy');
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'incident-commander', personId: bea });
    fx.clock.advance(8 * 60 * MINUTE);
    const roster = fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: cy, note: 'Shift change, Bea off until 06:00' });
    expect(roster.roles.find((r) => r.commander)).toMatchObject({ holder: { name: 'Cy' }, setAt: T0 + 480 * MINUTE });
    const entry = fx.timeline({ kinds: ['system'] }).at(-1);
    expect(entry?.text).toBe('Ana assigned Lead to Cy — reason: Shift change, Bea off until 06:00');
    expect(entry?.change?.reason).toBe('Shift change, Bea off until 06:00');
    expect(fx.call('incidents.list', {})[0].commander).toBe('Cy');
  });

  it('refuses handing over to the person who already holds command', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: bea });
    expectRefused(fx.core, () => fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: bea }), 'invalid-argument', 'personId: this person already holds command');
  });

  it('says not-found for an unknown person, and refuses a removed one', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: 'nobody' }), 'not-found');
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, removed: true });
    expectRefused(fx.core, () => fx.call('roster.handOverCommand', { incidentId: fx.incidentId, personId: bea }), 'invalid-argument', 'personId: Bea was removed from the roster');
  });
});

describe('roster.updatePerson', () => {
  it('renames, changes contact and devices, removes and restores', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, name: 'Bea Ortiz', contact: 'bea@example.com', deviceIds: [LAPTOP] });
    expect(fx.call('roster.get', { incidentId: fx.incidentId }).people).toEqual([
      { id: bea, name: 'Bea Ortiz', contact: 'bea@example.com', deviceIds: [LAPTOP], removed: false },
    ]);
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toEqual([
      'Ana added Bea to the roster',
      'Ana renamed Bea to Bea Ortiz',
      'Ana updated the contact of Bea Ortiz',
      'Ana updated the devices of Bea Ortiz',
    ]);
    const removed = fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, removed: true });
    expect(removed.people[0].removed).toBe(true);
    expect(fx.lastSystemText()).toBe('Ana removed Bea Ortiz from the roster');
    fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, removed: false });
    fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'qa', personId: bea });
    expect(role(fx, 'qa').holder?.name).toBe('Bea Ortiz');
  });

  it('refuses a call with nothing to change', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    expectRefused(
      fx.core,
      () => fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea }),
      'invalid-argument',
      '(root): nothing to change: give name, contact, deviceIds or removed',
    );
  });

  it('says not-found for an unknown person or incident', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    expectRefused(fx.core, () => fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: 'nobody', name: 'X' }), 'not-found');
    expectRefused(fx.core, () => fx.call('roster.updatePerson', { incidentId: UNKNOWN_INCIDENT, personId: bea, name: 'X' }), 'not-found');
  });
});
