/**
 * Phase checklists through the api: every item of every phase of the pinned playbook, the current
 * phase flagged, and ticking, unticking, assigning and noting items.
 */
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { T0 } from '../../support/cores';
import { addPerson, checklistItem, expectRefused, MINUTE, UNKNOWN_INCIDENT, withIncident } from '../../support/api-expect';

const ITEM = 'detection/check-error-logs';

describe('checklist.get', () => {
  it('lists the items of every phase, open, with the current phase flagged', () => {
    const fx = withIncident();
    const phases = fx.call('checklist.get', { incidentId: fx.incidentId });
    expect(phases.map((p) => [p.phase, p.current])).toEqual([
      ['detection', true],
      ['containment', false],
      ['investigation', false],
      ['recovery', false],
      ['post-incident', false],
    ]);
    for (const [i, phase] of phases.entries()) {
      expect(phase.items.map((item) => item.id)).toEqual(DEFAULT_PLAYBOOK.phases[i].checklist.map((c) => `${phase.phase}/${c.id}`));
    }
    expect(phases.flatMap((p) => p.items).every((i) => i.status === 'open' && i.assignee === null && i.note === '' && i.statusBy === null)).toBe(true);
    expect(checklistItem(fx, ITEM)).toMatchObject({ title: 'Check error logs', section: '1.2 Initial Assessment' });
  });

  it('follows the phase as the incident advances', () => {
    const fx = withIncident();
    fx.call('incidents.advancePhase', { incidentId: fx.incidentId });
    expect(fx.call('checklist.get', { incidentId: fx.incidentId }).find((p) => p.current)?.phase).toBe('containment');
  });

  it('says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('checklist.get', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });
});

describe('checklist.tick and untick', () => {
  it('ticking shows who ticked it (the device name) and when', () => {
    const fx = withIncident();
    fx.clock.advance(6 * MINUTE);
    const phases = fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: ITEM });
    expect(phases[0].items.find((i) => i.id === ITEM)).toMatchObject({ status: 'done', statusBy: 'Ana', statusAt: T0 + 6 * MINUTE });
    expect(fx.lastSystemText()).toBe('Ana ticked "Check error logs" (1.2 Initial Assessment)');
  });

  it('unticking opens the item again', () => {
    const fx = withIncident();
    fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: ITEM });
    fx.clock.advance(MINUTE);
    fx.call('device.setName', { name: 'Bea' });
    fx.call('checklist.untick', { incidentId: fx.incidentId, itemId: ITEM });
    expect(checklistItem(fx, ITEM)).toMatchObject({ status: 'open', statusBy: null, statusAt: null });
    expect(fx.lastSystemText()).toBe('Bea unticked "Check error logs" (1.2 Initial Assessment)');
  });

  it('ticks items of a phase that is not current', () => {
    const fx = withIncident();
    fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: 'recovery/rollback-plan' });
    expect(checklistItem(fx, 'recovery/rollback-plan').status).toBe('done');
  });

  it('says not-found for an unknown item, or an item under the wrong phase', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: 'detection/reboot-everything' }), 'not-found');
    expectRefused(fx.core, () => fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: 'check-error-logs' }), 'not-found');
    expectRefused(fx.core, () => fx.call('checklist.untick', { incidentId: fx.incidentId, itemId: 'containment/check-error-logs' }), 'not-found');
    expectRefused(fx.core, () => fx.call('checklist.tick', { incidentId: UNKNOWN_INCIDENT, itemId: ITEM }), 'not-found');
    expectRefused(fx.core, () => fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: '' }), 'invalid-argument', 'itemId: required');
  });
});

describe('checklist.assign', () => {
  it('gives an item to a person and takes it back', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.call('checklist.assign', { incidentId: fx.incidentId, itemId: ITEM, personId: bea });
    expect(checklistItem(fx, ITEM).assignee).toMatchObject({ id: bea, name: 'Bea' });
    expect(fx.lastSystemText()).toBe('Ana assigned "Check error logs" (1.2 Initial Assessment) to Bea');
    fx.call('checklist.assign', { incidentId: fx.incidentId, itemId: ITEM, personId: null });
    expect(checklistItem(fx, ITEM).assignee).toBeNull();
    expect(fx.lastSystemText()).toBe('Ana assigned "Check error logs" (1.2 Initial Assessment) to nobody');
  });

  it('says not-found for an unknown person or item, and refuses a removed person', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    expectRefused(fx.core, () => fx.call('checklist.assign', { incidentId: fx.incidentId, itemId: ITEM, personId: 'nobody' }), 'not-found');
    expectRefused(fx.core, () => fx.call('checklist.assign', { incidentId: fx.incidentId, itemId: 'detection/nope', personId: bea }), 'not-found');
    fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, removed: true });
    expectRefused(fx.core, () => fx.call('checklist.assign', { incidentId: fx.incidentId, itemId: ITEM, personId: bea }), 'invalid-argument', 'personId: Bea was removed from the roster');
  });
});

describe('checklist.note', () => {
  it('keeps a note on the item and puts it on the timeline', () => {
    const fx = withIncident();
    fx.call('checklist.note', { incidentId: fx.incidentId, itemId: ITEM, note: '502s from payments-api only' });
    expect(checklistItem(fx, ITEM).note).toBe('502s from payments-api only');
    expect(fx.lastSystemText()).toBe('Ana noted on "Check error logs" (1.2 Initial Assessment): 502s from payments-api only');
  });

  it('says not-found for an unknown item and refuses a note too long', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('checklist.note', { incidentId: fx.incidentId, itemId: 'detection/nope', note: 'x' }), 'not-found');
    expectRefused(fx.core, () => fx.call('checklist.note', { incidentId: fx.incidentId, itemId: ITEM, note: 'x'.repeat(20_001) }), 'invalid-argument', 'note: at most 20000 characters');
  });
});
