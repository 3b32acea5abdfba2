/**
 * The commands simulated replicas run: timeline entries (added, amended, starred, retracted),
 * severity, status and title, the roster, the checklist, tasks and metric samples, through the core's
 * own api (`core.call`). Few targets, so concurrent writes to one field or entry happen often.
 *
 * A command names its targets by position ("the n-th entry this replica holds"), resolved against
 * what the replica holds when it runs; one the replica's state refuses (amending a retracted entry,
 * an incident not arrived yet) is skipped. What each command created is recorded, so the
 * properties can count effects.
 */
import fc from 'fast-check';
import { SitrepError } from '../../../shared/errors';
import { INCIDENT_STATUSES } from '../../../shared/model/incident';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { SEVERITIES } from '../../../shared/playbook/schema';
import type { Core } from '../../../electron/core/core';
import { fullTimeline } from '../../../electron/core/queries/timeline';

const MINUTE = 60_000;
const FEW = 3;
const TEXTS = ['db primary down', 'failover started', 'rolled back 4.2.1', 'error rate back under 1%', 'Ünïcödé ✓ note'];
const PEOPLE = ['Ana Ruiz', 'Bo Chen', 'Chidi Okafor', 'Dana Levi'];

export type Cmd =
  | { c: 'severity'; value: (typeof SEVERITIES)[number] }
  | { c: 'status'; value: (typeof INCIDENT_STATUSES)[number] }
  | { c: 'title'; value: string }
  | { c: 'add'; kind: 'note' | 'action' | 'decision'; text: string; occurredOffset: number | null }
  | { c: 'amend'; entry: number; text: string }
  | { c: 'retract'; entry: number }
  | { c: 'star'; entry: number; starred: boolean }
  | { c: 'addPerson'; name: string }
  | { c: 'removePerson'; person: number }
  | { c: 'assign'; role: number; person: number | null }
  | { c: 'tick' | 'untick'; item: number }
  | { c: 'assignItem'; item: number; person: number | null }
  | { c: 'addTask'; title: string; owner: number | null }
  | { c: 'updateTask'; task: number; state: 'open' | 'done' | 'cancelled' }
  | { c: 'sample'; metric: number; value: number; tOffset: number | null };

const few = fc.nat({ max: FEW - 1 });
const text = fc.constantFrom(...TEXTS);

export const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ c: fc.constant('severity' as const), value: fc.constantFrom(...SEVERITIES) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('status' as const), value: fc.constantFrom(...INCIDENT_STATUSES) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('title' as const), value: fc.constantFrom('DB outage', 'Checkout down', 'Login errors') }) },
  {
    weight: 6,
    arbitrary: fc.record({
      c: fc.constant('add' as const),
      kind: fc.constantFrom('note' as const, 'action' as const, 'decision' as const),
      text,
      occurredOffset: fc.option(fc.integer({ min: -30 * MINUTE, max: 5 * MINUTE })),
    }),
  },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('amend' as const), entry: fc.nat(), text }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('retract' as const), entry: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('star' as const), entry: fc.nat(), starred: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('addPerson' as const), name: fc.constantFrom(...PEOPLE) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('removePerson' as const), person: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('assign' as const), role: few, person: fc.option(fc.nat(), { freq: 5 }) }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constantFrom('tick' as const, 'untick' as const), item: few }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('assignItem' as const), item: few, person: fc.option(fc.nat()) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      c: fc.constant('addTask' as const),
      title: fc.constantFrom('Restore replica', 'Write status page', 'Rotate keys'),
      owner: fc.option(fc.nat()),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ c: fc.constant('updateTask' as const), task: fc.nat(), state: fc.constantFrom('open' as const, 'done' as const, 'cancelled' as const) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      c: fc.constant('sample' as const),
      metric: fc.nat({ max: 1 }),
      value: fc.integer({ min: 0, max: 1000 }),
      tOffset: fc.option(fc.integer({ min: -5 * MINUTE, max: 0 })),
    }),
  },
);

/** What the commands created, over every replica. */
export interface Effects {
  /** Ids of every timeline entry a command added (entries, amendments, retractions). */
  entries: Set<string>;
  tasks: Set<string>;
  /** `metric/source/device/t` of every sample added: a sample is keyed by these (a repeat is the same sample). */
  samples: Set<string>;
}

export const sampleKey = (s: { metric: string; source: string; device: string; t: number }): string => `${s.metric}/${s.source}/${s.device}/${s.t}`;

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
const checklistItem = (n: number) => {
  const phase = DEFAULT_PLAYBOOK.phases[0];
  return `${phase.id}/${phase.checklist[n % phase.checklist.length].id}`;
};

function run(core: Core, incidentId: string, now: number, cmd: Cmd, effects: Effects): void {
  const active = () => core.call('roster.get', { incidentId }).people.filter((p) => !p.removed);
  const entries = () => fullTimeline(core.context.db, incidentId).filter((e) => e.source === 'entry');
  switch (cmd.c) {
    case 'severity':
    case 'status':
    case 'title':
      core.call('incidents.setField', { incidentId, field: cmd.c, value: cmd.value });
      return;
    case 'add':
      effects.entries.add(
        core.call('timeline.add', { incidentId, kind: cmd.kind, text: cmd.text, ...(cmd.occurredOffset !== null && { occurredAt: now + cmd.occurredOffset }) }).id,
      );
      return;
    case 'amend':
    case 'retract':
    case 'star': {
      const entry = pick(entries(), cmd.entry);
      if (!entry) return;
      if (cmd.c === 'amend') effects.entries.add(core.call('timeline.amend', { incidentId, entryId: entry.id, text: cmd.text }).id);
      else if (cmd.c === 'retract') effects.entries.add(core.call('timeline.retract', { incidentId, entryId: entry.id, reason: 'wrong incident' }).id);
      else core.call('timeline.star', { incidentId, entryId: entry.id, starred: cmd.starred });
      return;
    }
    case 'addPerson':
      core.call('roster.addPerson', { incidentId, name: cmd.name, contact: '+1 555 0100' });
      return;
    case 'removePerson': {
      const person = pick(active(), cmd.person);
      if (person) core.call('roster.updatePerson', { incidentId, personId: person.id, removed: true });
      return;
    }
    case 'assign': {
      const roleId = DEFAULT_PLAYBOOK.roles[cmd.role].id;
      if (cmd.person === null) return void core.call('roster.assign', { incidentId, roleId, personId: null });
      const person = pick(active(), cmd.person);
      if (person) core.call('roster.assign', { incidentId, roleId, personId: person.id });
      return;
    }
    case 'tick':
    case 'untick':
      core.call(`checklist.${cmd.c}`, { incidentId, itemId: checklistItem(cmd.item) });
      return;
    case 'assignItem': {
      const person = cmd.person === null ? null : pick(active(), cmd.person);
      if (person !== undefined) core.call('checklist.assign', { incidentId, itemId: checklistItem(cmd.item), personId: person?.id ?? null });
      return;
    }
    case 'addTask': {
      const owner = cmd.owner === null ? null : (pick(active(), cmd.owner)?.id ?? null);
      effects.tasks.add(core.call('tasks.add', { incidentId, title: cmd.title, ownerId: owner }).id);
      return;
    }
    case 'updateTask': {
      const task = pick(core.call('tasks.list', { incidentId }), cmd.task);
      if (task) core.call('tasks.update', { incidentId, taskId: task.id, state: cmd.state });
      return;
    }
    case 'sample': {
      const sample = core.call('samples.add', {
        incidentId,
        metric: DEFAULT_PLAYBOOK.metrics[cmd.metric].id,
        value: cmd.value,
        ...(cmd.tOffset !== null && { t: now + cmd.tOffset }),
      });
      effects.samples.add(sampleKey(sample));
      return;
    }
  }
}

/**
 * Runs a command on a replica; refusals that depend on what the replica holds ('invalid-argument',
 * or 'not-found' before the incident arrived) are skipped. Anything else is a failure.
 */
export function attempt(core: Core, incidentId: string, now: number, cmd: Cmd, effects: Effects): void {
  try {
    run(core, incidentId, now, cmd, effects);
  } catch (error) {
    if (error instanceof SitrepError && (error.code === 'invalid-argument' || error.code === 'not-found')) return;
    throw error;
  }
}
