/**
 * Tasks and action items through the api: owner, due time, state, title; open ones listed first.
 */
import { T0 } from '../../support/cores';
import { addPerson, callRaw, expectRefused, MINUTE, UNKNOWN_INCIDENT, withIncident, type ApiFixture } from '../../support/api-expect';

const addTask = (fx: ApiFixture, title: string, extra: { type?: 'task' | 'action-item'; ownerId?: string | null; dueAt?: number | null } = {}) =>
  fx.call('tasks.add', { incidentId: fx.incidentId, title, ...extra });

describe('tasks.add', () => {
  it('adds a task with an owner and a due time', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    fx.clock.advance(5 * MINUTE);
    const task = addTask(fx, 'Roll back deploy 4812', { ownerId: bea, dueAt: T0 + 30 * MINUTE });
    expect(task).toMatchObject({
      type: 'task',
      title: 'Roll back deploy 4812',
      owner: { id: bea, name: 'Bea' },
      dueAt: T0 + 30 * MINUTE,
      state: 'open',
      createdAt: T0 + 5 * MINUTE,
      updatedBy: 'Ana',
      updatedAt: T0 + 5 * MINUTE,
    });
    expect(fx.call('tasks.list', { incidentId: fx.incidentId })).toEqual([task]);
    expect(fx.lastSystemText()).toBe('Ana added "Roll back deploy 4812"');
  });

  it('adds an action item without owner or due time', () => {
    const fx = withIncident();
    expect(addTask(fx, 'Alert on certificate expiry', { type: 'action-item' })).toMatchObject({ type: 'action-item', owner: null, dueAt: null, state: 'open' });
  });

  it('refuses a blank title, an unknown type, an unknown owner and a removed one', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => addTask(fx, ''), 'invalid-argument', 'title: required');
    expectRefused(fx.core, () => callRaw(fx.core, 'tasks.add', { incidentId: fx.incidentId, title: 'x', type: 'chore' }), 'invalid-argument', /^type: /);
    expectRefused(fx.core, () => addTask(fx, 'x', { ownerId: 'nobody' }), 'not-found');
    const bea = addPerson(fx, 'Bea');
    fx.call('roster.updatePerson', { incidentId: fx.incidentId, personId: bea, removed: true });
    expectRefused(fx.core, () => addTask(fx, 'x', { ownerId: bea }), 'invalid-argument', 'ownerId: Bea was removed from the roster');
    expectRefused(fx.core, () => fx.call('tasks.add', { incidentId: UNKNOWN_INCIDENT, title: 'x' }), 'not-found');
    expect(fx.call('tasks.list', { incidentId: fx.incidentId })).toEqual([]);
  });
});

describe('tasks.update', () => {
  it('changes owner, due time, state and title, each on the timeline', () => {
    const fx = withIncident();
    const bea = addPerson(fx, 'Bea');
    const task = addTask(fx, 'Rotate certificate');
    const update = (change: { title?: string; ownerId?: string | null; dueAt?: number | null; state?: 'open' | 'done' | 'cancelled' }) => {
      fx.clock.advance(MINUTE);
      return fx.call('tasks.update', { incidentId: fx.incidentId, taskId: task.id, ...change });
    };
    expect(update({ ownerId: bea }).owner?.name).toBe('Bea');
    expect(fx.lastSystemText()).toBe('Ana gave "Rotate certificate" to Bea');
    expect(update({ dueAt: T0 + 2 * 60 * MINUTE }).dueAt).toBe(T0 + 120 * MINUTE);
    expect(fx.lastSystemText()).toBe('Ana set "Rotate certificate" due 2026-11-29 16:00 UTC');
    expect(update({ title: 'Rotate TLS certificate' }).title).toBe('Rotate TLS certificate');
    expect(fx.lastSystemText()).toBe('Ana renamed task "Rotate certificate" to "Rotate TLS certificate"');
    const done = update({ state: 'done' });
    expect(done).toMatchObject({ state: 'done', updatedAt: T0 + 4 * MINUTE, updatedBy: 'Ana', createdAt: T0 });
    expect(fx.lastSystemText()).toBe('Ana marked "Rotate TLS certificate" done');
    expect(update({ ownerId: null, dueAt: null })).toMatchObject({ owner: null, dueAt: null });
  });

  it('refuses an update with nothing to change', () => {
    const fx = withIncident();
    const task = addTask(fx, 'x');
    expectRefused(fx.core, () => fx.call('tasks.update', { incidentId: fx.incidentId, taskId: task.id }), 'invalid-argument', '(root): nothing to change: give title, ownerId, dueAt or state');
  });

  it('says not-found for an unknown task or owner, and refuses an unknown state', () => {
    const fx = withIncident();
    const task = addTask(fx, 'x');
    expectRefused(fx.core, () => fx.call('tasks.update', { incidentId: fx.incidentId, taskId: 'no-such-task', state: 'done' }), 'not-found');
    expectRefused(fx.core, () => fx.call('tasks.update', { incidentId: fx.incidentId, taskId: task.id, ownerId: 'nobody' }), 'not-found');
    expectRefused(fx.core, () => fx.call('tasks.update', { incidentId: UNKNOWN_INCIDENT, taskId: task.id, state: 'done' }), 'not-found');
    expectRefused(fx.core, () => callRaw(fx.core, 'tasks.update', { incidentId: fx.incidentId, taskId: task.id, state: 'finished' }), 'invalid-argument', /^state: /);
  });
});

describe('tasks.list', () => {
  it('lists open tasks first, soonest due first, then done and cancelled ones', () => {
    const fx = withIncident();
    addTask(fx, 'due later', { dueAt: T0 + 60 * MINUTE });
    addTask(fx, 'no due time');
    addTask(fx, 'due sooner', { dueAt: T0 + 10 * MINUTE });
    const finished = addTask(fx, 'finished', { dueAt: T0 + MINUTE });
    fx.call('tasks.update', { incidentId: fx.incidentId, taskId: finished.id, state: 'done' });
    expect(fx.call('tasks.list', { incidentId: fx.incidentId }).map((t) => t.title)).toEqual(['due sooner', 'due later', 'no due time', 'finished']);
  });

  it('says not-found for an unknown incident', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => fx.call('tasks.list', { incidentId: UNKNOWN_INCIDENT }), 'not-found');
  });
});
