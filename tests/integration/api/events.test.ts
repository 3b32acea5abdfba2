/**
 * What the core pushes after a call (events only say what changed), and what an observer holding
 * only an incident's read secret can and cannot do.
 */
import type { ApiEvent } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { deriveReadSecret } from '../../../shared/sync/incident-keys';
import { nodeCrypto } from '../../../electron/crypto';
import { opsOf, testCore } from '../../support/cores';
import { addPerson, expectRefused, fixtureFor, UNKNOWN_INCIDENT, withIncident } from '../../support/api-expect';

function recorder(subscribe: (listener: (event: ApiEvent) => void) => () => void) {
  const events: ApiEvent[] = [];
  const stop = subscribe((event) => events.push(event));
  return { events, stop, take: () => events.splice(0) };
}

describe('events', () => {
  it('declaring announces the incident list and the new incident', () => {
    const { core } = testCore();
    const rec = recorder(core.subscribe);
    const { incidentId } = core.call('incidents.declare', { title: 'x', severity: 'P2' });
    expect(rec.take()).toEqual(expect.arrayContaining([{ type: 'incidents-changed' }, { type: 'incident-changed', incidentId }]));
  });

  it('each write announces the incident it changed, once', () => {
    const fx = withIncident();
    const rec = recorder(fx.core.subscribe);
    const writes: Array<() => unknown> = [
      () => fx.call('timeline.add', { incidentId: fx.incidentId, text: 'x' }),
      () => fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' }),
      () => addPerson(fx, 'Bea'),
      () => fx.call('checklist.tick', { incidentId: fx.incidentId, itemId: 'detection/check-error-logs' }),
      () => fx.call('tasks.add', { incidentId: fx.incidentId, title: 't' }),
      () => fx.call('samples.add', { incidentId: fx.incidentId, metric: 'cpu', value: 90 }),
      () => fx.call('incidents.advancePhase', { incidentId: fx.incidentId }),
    ];
    for (const write of writes) {
      write();
      const events = rec.take();
      expect(events.filter((e) => e.type === 'incident-changed')).toEqual([{ type: 'incident-changed', incidentId: fx.incidentId }]);
      expect(events).toContainEqual({ type: 'incidents-changed' });
    }
  });

  it('loading or resetting the playbook announces it', () => {
    const { core } = testCore();
    const rec = recorder(core.subscribe);
    core.call('playbook.reset', {});
    expect(rec.take()).toEqual([{ type: 'playbook-changed' }]);
  });

  it('a refused call or a read announces nothing', () => {
    const fx = withIncident();
    const rec = recorder(fx.core.subscribe);
    expectRefused(fx.core, () => fx.call('timeline.add', { incidentId: fx.incidentId, text: '' }), 'invalid-argument');
    expectRefused(fx.core, () => fx.call('incidents.close', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
    expectRefused(fx.core, () => fx.call('roster.assign', { incidentId: fx.incidentId, roleId: 'qa', personId: 'nobody' }), 'not-found');
    expectRefused(fx.core, () => fx.call('playbook.load', { fileName: 'x.json', text: '{}' }), 'invalid-playbook');
    fx.call('incidents.get', { incidentId: fx.incidentId });
    fx.call('timeline.list', { incidentId: fx.incidentId });
    expect(rec.events).toEqual([]);
  });

  it('stops after unsubscribing', () => {
    const fx = withIncident();
    const rec = recorder(fx.core.subscribe);
    rec.stop();
    fx.call('timeline.add', { incidentId: fx.incidentId, text: 'x' });
    expect(rec.events).toEqual([]);
  });

  it('invoke answers like call, and rejects with the typed error', async () => {
    const fx = withIncident();
    await expect(fx.core.invoke('timeline.add', { incidentId: fx.incidentId, text: 'async' })).resolves.toMatchObject({ text: 'async' });
    const rejected = await fx.core.invoke('timeline.add', { incidentId: fx.incidentId, text: '' }).catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(SitrepError);
    expect(rejected).toMatchObject({ code: 'invalid-argument', details: ['text: required'] });
  });
});

describe('read-only access (an observer with the read link)', () => {
  function observer() {
    const writer = withIncident({ name: 'Ana' });
    writer.call('timeline.add', { incidentId: writer.incidentId, text: 'DB at 97% CPU' });
    const bea = addPerson(writer, 'Bea');
    const task = writer.call('tasks.add', { incidentId: writer.incidentId, title: 'Rotate certificate' });
    const writeSecret = writer.core.context.keys.incidentSecret(writer.incidentId);
    if (!writeSecret) throw new Error('the declaring device holds no secret');
    const { core, clock } = testCore({ name: 'Legal' });
    core.context.keys.putIncidentSecret(writer.incidentId, 'read', deriveReadSecret(nodeCrypto, writeSecret.secret));
    core.ingest(opsOf(writer.core, writer.incidentId));
    return { writer, bea, task, reader: fixtureFor(core, clock, writer.incidentId) };
  }

  it('reads the incident and its timeline, and is told its access is read', () => {
    const { writer, reader } = observer();
    expect(writer.call('incidents.get', { incidentId: writer.incidentId }).access).toBe('write');
    const view = reader.call('incidents.get', { incidentId: reader.incidentId });
    expect(view.access).toBe('read');
    expect(view.state).toEqual(writer.state());
    expect(reader.timeline({ kinds: ['note'] }).map((e) => [e.by, e.text])).toEqual([['Ana', 'DB at 97% CPU']]);
    expect(reader.call('roster.get', { incidentId: reader.incidentId }).people.map((p) => p.name)).toEqual(['Bea']);
    expect(reader.call('incidents.list', {}).map((i) => i.id)).toEqual([reader.incidentId]);
  });

  it('every write is refused as read-only, writing nothing', () => {
    const { writer, reader, bea, task } = observer();
    const id = reader.incidentId;
    const entry = writer.timeline({ kinds: ['note'] })[0];
    const writes: Array<() => unknown> = [
      () => reader.call('timeline.add', { incidentId: id, text: 'I was here' }),
      () => reader.call('timeline.amend', { incidentId: id, entryId: entry.id, text: 'x' }),
      () => reader.call('timeline.retract', { incidentId: id, entryId: entry.id, reason: 'x' }),
      () => reader.call('timeline.redact', { incidentId: id, entryId: entry.id, reason: 'x' }),
      () => reader.call('timeline.star', { incidentId: id, entryId: entry.id, starred: true }),
      // Unstarring an unstarred entry changes nothing, and is still not the observer's to do.
      () => reader.call('timeline.star', { incidentId: id, entryId: entry.id, starred: false }),
      () => reader.call('incidents.setField', { incidentId: id, field: 'severity', value: 'P0' }),
      () => reader.call('incidents.setMilestone', { incidentId: id, milestone: 'teamNotified', at: 1 }),
      () => reader.call('incidents.advancePhase', { incidentId: id }),
      () => reader.call('incidents.close', { incidentId: id }),
      () => reader.call('roster.addPerson', { incidentId: id, name: 'Legal' }),
      () => reader.call('roster.updatePerson', { incidentId: id, personId: bea, contact: 'x' }),
      () => reader.call('roster.assign', { incidentId: id, roleId: 'qa', personId: bea }),
      () => reader.call('roster.handOverCommand', { incidentId: id, personId: bea }),
      () => reader.call('checklist.tick', { incidentId: id, itemId: 'detection/check-error-logs' }),
      () => reader.call('checklist.untick', { incidentId: id, itemId: 'detection/check-error-logs' }),
      () => reader.call('checklist.assign', { incidentId: id, itemId: 'detection/check-error-logs', personId: bea }),
      () => reader.call('checklist.note', { incidentId: id, itemId: 'detection/check-error-logs', note: 'x' }),
      () => reader.call('tasks.add', { incidentId: id, title: 'x' }),
      () => reader.call('tasks.update', { incidentId: id, taskId: task.id, state: 'done' }),
      () => reader.call('samples.add', { incidentId: id, metric: 'cpu', value: 1 }),
      () => reader.call('comms.markSent', { incidentId: id, templateId: 'customer-update', text: 'x' }),
    ];
    for (const write of writes) expectRefused(reader.core, write, 'read-only');
    expect(reader.state()).toEqual(writer.state());
  });

  it('can still declare incidents of its own', () => {
    const { reader } = observer();
    const own = reader.call('incidents.declare', { title: 'Own', severity: 'P3' }).incidentId;
    expect(reader.call('incidents.get', { incidentId: own }).access).toBe('write');
    expect(reader.call('incidents.list', {})).toHaveLength(2);
  });
});
