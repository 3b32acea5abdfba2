/**
 * Convergence of real cores (DESIGN.md §2.6, §4, §5 "Applying"): replicas that hold the same signed
 * ops show the same replicated state, whatever order, duplication or paging the ops arrived in,
 * and a rebuild from the op log gives that state again.
 *
 * Each run: three devices with clocks minutes apart (one behind) on temporary SQLite files; one
 * declares the incident and shares it; a random script of commands on random devices, with
 * occasional exchanges of ops between pairs; then every op is delivered to two fresh cores, one
 * joining with the write link and one with the read link (in two different relay interleavings, with
 * duplicates, in random pages), and back to the three originals.
 */
import fc from 'fast-check';
import { nodeCrypto } from '../../electron/crypto';
import { SitrepError } from '../../shared/errors';
import { INCIDENT_STATUSES } from '../../shared/model/incident';
import { MILESTONES, SEVERITIES } from '../../shared/playbook/schema';
import { DEFAULT_PLAYBOOK } from '../../shared/playbook/default-playbook';
import { deriveReadSecret } from '../../shared/sync/incident-keys';
import type { Core } from '../../electron/core/core';
import { replicatedIncident } from '../../electron/core/queries/replicated-state';
import { fullTimeline } from '../../electron/core/queries/timeline';
import { opsOf, shareIncident, T0, testCore, type TestCore } from '../support/cores';
import { chainsOf, interleave, pages } from '../support/op-delivery';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 15);

/** Under a second a run here, more on a loaded machine; the soak's 10,000 runs need far more than 30 s. */
const timeout = Math.max(120_000, numRuns * 3_000);
const MINUTE = 60_000;
const NAMES = ['Alpha', 'Bravo', 'Charlie'];
const PEOPLE = ['Ana Ruiz', 'Bo Chen', 'Chidi Okafor', 'Dana Levi', 'Émile Roux'];
const TEXTS = ['db primary down', 'failover started', 'rolled back 4.2.1', 'error rate back under 1%', 'Ünïcödé ✓ note'];
/** Few targets, so concurrent writes to the same field and entry actually happen. */
const FEW = 3;

type Cmd =
  | { c: 'severity'; value: (typeof SEVERITIES)[number] }
  | { c: 'status'; value: (typeof INCIDENT_STATUSES)[number] }
  | { c: 'title'; value: string }
  | { c: 'advancePhase' }
  | { c: 'milestone'; milestone: (typeof MILESTONES)[number]; offset: number | null }
  | { c: 'addPerson'; name: string }
  | { c: 'removePerson'; person: number }
  | { c: 'assign'; role: number; person: number | null }
  | { c: 'handOver'; person: number }
  | { c: 'tick' | 'untick'; phase: number; item: number }
  | { c: 'assignItem'; phase: number; item: number; person: number | null }
  | { c: 'add'; kind: 'note' | 'action' | 'decision' | 'status-update'; text: string; occurredOffset: number | null }
  | { c: 'amend'; entry: number; text: string }
  | { c: 'retract' | 'redact'; entry: number; text: string }
  | { c: 'star'; entry: number; starred: boolean }
  | { c: 'markSent'; template: number; text: string }
  | { c: 'decideAlert'; alertKey: string; suggested: (typeof SEVERITIES)[number]; decision: 'accept' | 'dismiss' }
  | { c: 'addTask'; title: string; owner: number | null; dueOffset: number | null }
  | { c: 'updateTask'; task: number; state: 'open' | 'done' | 'cancelled' | null; owner: number | null; title: string | null }
  | { c: 'sample'; metric: number; value: number; tOffset: number | null };

type Step = { device: number; advance: number; cmd: Cmd } | { exchange: [number, number]; both: boolean };

const few = fc.nat({ max: FEW - 1 });
const text = fc.constantFrom(...TEXTS);
const offset = fc.integer({ min: -30 * MINUTE, max: 5 * MINUTE });

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ c: fc.constant('severity' as const), value: fc.constantFrom(...SEVERITIES) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('status' as const), value: fc.constantFrom(...INCIDENT_STATUSES) }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('title' as const), value: fc.constantFrom('DB outage', 'Checkout down', 'Login errors') }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('advancePhase' as const) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('milestone' as const), milestone: fc.constantFrom(...MILESTONES), offset: fc.option(offset) }) },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('addPerson' as const), name: fc.constantFrom(...PEOPLE) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('removePerson' as const), person: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constant('assign' as const), role: few, person: fc.option(fc.nat(), { freq: 5 }) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('handOver' as const), person: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ c: fc.constantFrom('tick' as const, 'untick' as const), phase: fc.nat({ max: 1 }), item: few }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('assignItem' as const), phase: fc.nat({ max: 1 }), item: few, person: fc.option(fc.nat()) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      c: fc.constant('add' as const),
      kind: fc.constantFrom('note' as const, 'action' as const, 'decision' as const, 'status-update' as const),
      text,
      occurredOffset: fc.option(offset),
    }),
  },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('amend' as const), entry: fc.nat(), text }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constantFrom('retract' as const, 'redact' as const), entry: fc.nat(), text }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('star' as const), entry: fc.nat(), starred: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('markSent' as const), template: fc.nat(), text }) },
  {
    weight: 1,
    arbitrary: fc.record({
      c: fc.constant('decideAlert' as const),
      alertKey: fc.constantFrom('error-rate:P1', 'cpu:P2'),
      suggested: fc.constantFrom(...SEVERITIES),
      decision: fc.constantFrom('accept' as const, 'dismiss' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      c: fc.constant('addTask' as const),
      title: fc.constantFrom('Restore replica', 'Write status page', 'Rotate keys'),
      owner: fc.option(fc.nat()),
      dueOffset: fc.option(fc.integer({ min: 0, max: 120 * MINUTE })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      c: fc.constant('updateTask' as const),
      task: fc.nat(),
      state: fc.option(fc.constantFrom('open' as const, 'done' as const, 'cancelled' as const)),
      owner: fc.option(fc.nat()),
      title: fc.option(fc.constantFrom('Restore replica (2)', 'Page vendor')),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      c: fc.constant('sample' as const),
      metric: fc.nat({ max: 1 }),
      value: fc.double({ min: 0, max: 1000, noNaN: true }),
      tOffset: fc.option(fc.integer({ min: -5 * MINUTE, max: 0 })),
    }),
  },
);

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      device: fc.nat({ max: 2 }),
      // Time passes for everyone: not at all (same-ms HLCs), a little, or minutes.
      advance: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 5 * MINUTE })),
      cmd: cmdArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.nat({ max: 2 }), fc.nat({ max: 1 }), fc.boolean())
      .map(([from, d, both]): Step => ({ exchange: [from, (from + 1 + d) % 3], both })),
  },
);

const scenarioArb = fc.record({
  declarer: fc.nat({ max: 2 }),
  severity: fc.constantFrom(...SEVERITIES),
  /** Alpha's clock is right; Bravo's is ahead (sometimes beyond the 10-minute drift bound); Charlie's is behind. */
  aheadMinutes: fc.integer({ min: 1, max: 15 }),
  behindMinutes: fc.integer({ min: 1, max: 45 }),
  steps: fc.array(stepArb, { minLength: 20, maxLength: 45, size: 'max' }),
  deliverySeed: fc.integer(),
  rebuildWhich: fc.nat({ max: 4 }),
});

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

/** Resolves a command's indices against what the acting device holds now, and runs it. */
function run(core: Core, incidentId: string, now: number, cmd: Cmd): void {
  const roster = () => core.call('roster.get', { incidentId });
  const active = () => roster().people.filter((p) => !p.removed);
  const entries = () => fullTimeline(core.context.db, incidentId).filter((e) => e.source === 'entry');
  const item = (phase: number, n: number) => {
    const p = DEFAULT_PLAYBOOK.phases[phase];
    return `${p.id}/${p.checklist[n % p.checklist.length].id}`;
  };
  switch (cmd.c) {
    case 'severity':
    case 'status':
    case 'title':
      core.call('incidents.setField', { incidentId, field: cmd.c, value: cmd.value });
      return;
    case 'advancePhase':
      core.call('incidents.advancePhase', { incidentId });
      return;
    case 'milestone':
      core.call('incidents.setMilestone', {
        incidentId,
        milestone: cmd.milestone,
        at: cmd.offset === null ? null : now + cmd.offset,
        reason: 'corrected from the pager log',
      });
      return;
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
    case 'handOver': {
      const person = pick(active(), cmd.person);
      if (person) core.call('roster.handOverCommand', { incidentId, personId: person.id, note: 'shift change' });
      return;
    }
    case 'tick':
    case 'untick':
      core.call(`checklist.${cmd.c}`, { incidentId, itemId: item(cmd.phase, cmd.item) });
      return;
    case 'assignItem': {
      const person = cmd.person === null ? null : pick(active(), cmd.person);
      if (person !== undefined) core.call('checklist.assign', { incidentId, itemId: item(cmd.phase, cmd.item), personId: person?.id ?? null });
      return;
    }
    case 'add':
      core.call('timeline.add', {
        incidentId,
        kind: cmd.kind,
        text: cmd.text,
        ...(cmd.occurredOffset !== null && { occurredAt: now + cmd.occurredOffset }),
      });
      return;
    case 'amend':
    case 'retract':
    case 'redact':
    case 'star': {
      const entry = pick(entries(), cmd.entry);
      if (!entry) return;
      if (cmd.c === 'amend') core.call('timeline.amend', { incidentId, entryId: entry.id, text: cmd.text });
      else if (cmd.c === 'star') core.call('timeline.star', { incidentId, entryId: entry.id, starred: cmd.starred });
      else core.call(`timeline.${cmd.c}`, { incidentId, entryId: entry.id, reason: cmd.text });
      return;
    }
    case 'markSent': {
      const template = pick(DEFAULT_PLAYBOOK.communicationTemplates, cmd.template)!;
      core.call('comms.markSent', { incidentId, templateId: template.id, text: cmd.text });
      return;
    }
    case 'decideAlert':
      core.call('alerts.decide', {
        incidentId,
        alertKey: cmd.alertKey,
        suggestedSeverity: cmd.suggested,
        decision: cmd.decision,
        summary: `${cmd.alertKey} over its threshold`,
      });
      return;
    case 'addTask': {
      const owner = cmd.owner === null ? null : (pick(active(), cmd.owner)?.id ?? null);
      core.call('tasks.add', { incidentId, title: cmd.title, ownerId: owner, dueAt: cmd.dueOffset === null ? null : now + cmd.dueOffset });
      return;
    }
    case 'updateTask': {
      const task = pick(core.call('tasks.list', { incidentId }), cmd.task);
      if (!task) return;
      const owner = cmd.owner === null ? undefined : pick(active(), cmd.owner)?.id;
      if (cmd.state === null && owner === undefined && cmd.title === null) return;
      core.call('tasks.update', {
        incidentId,
        taskId: task.id,
        ...(cmd.state !== null && { state: cmd.state }),
        ...(owner !== undefined && { ownerId: owner }),
        ...(cmd.title !== null && { title: cmd.title }),
      });
      return;
    }
    case 'sample':
      core.call('samples.add', {
        incidentId,
        metric: DEFAULT_PLAYBOOK.metrics[cmd.metric].id,
        value: cmd.value,
        ...(cmd.tOffset !== null && { t: now + cmd.tOffset }),
      });
      return;
  }
}

/** Runs a command; a refusal because of the state the device is in (amend a retracted entry…) is skipped. */
function attempt(device: TestCore, incidentId: string, cmd: Cmd): void {
  try {
    run(device.core, incidentId, device.clock.now(), cmd);
  } catch (error) {
    if (error instanceof SitrepError && error.code === 'invalid-argument') return;
    throw error;
  }
}

/** Delivers ops in pages through `ingest`, as a relay would. */
function deliver(core: Core, delivery: readonly Uint8Array[], pageSeed: number): void {
  for (const page of pages(delivery, pageSeed)) core.ingest(page);
}

describe(`convergence of real cores (seed ${seed}, ${numRuns} runs)`, () => {
  test(`replicas holding the same ops show identical replicated state, and rebuild gives the same state [seed ${seed}]`, () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const devices = [
          testCore({ name: NAMES[0], start: T0 }),
          testCore({ name: NAMES[1], start: T0 + s.aheadMinutes * MINUTE }),
          testCore({ name: NAMES[2], start: T0 - s.behindMinutes * MINUTE }),
        ];
        const fresh = [testCore({ name: 'Delta', start: T0 + 7 * MINUTE }), testCore({ name: 'Echo', start: T0 - 90 * MINUTE })];
        try {
          const declarer = devices[s.declarer];
          const { incidentId } = declarer.core.call('incidents.declare', { title: 'Payments degraded', severity: s.severity });
          for (const other of devices) if (other !== declarer) shareIncident(declarer.core, other.core, incidentId);

          for (const step of s.steps) {
            if ('exchange' in step) {
              const [from, to] = step.exchange;
              devices[to].core.ingest(opsOf(devices[from].core, incidentId));
              if (step.both) devices[from].core.ingest(opsOf(devices[to].core, incidentId));
              continue;
            }
            for (const d of devices) d.clock.advance(step.advance);
            attempt(devices[step.device], incidentId, step.cmd);
          }

          // Everything any device wrote, split into per-device chains, delivered to everyone.
          const all = chainsOf(...devices.map((d) => opsOf(d.core, incidentId)));
          // Delta joins with the write link (S), Echo as an observer with the read link (R).
          const secret = declarer.core.context.keys.incidentSecret(incidentId)!.secret;
          fresh[0].core.context.keys.putIncidentSecret(incidentId, 'write', secret);
          fresh[1].core.context.keys.putIncidentSecret(incidentId, 'read', deriveReadSecret(nodeCrypto, secret));
          const replicas = [...devices, ...fresh];
          replicas.forEach((replica, i) => deliver(replica.core, interleave(all, s.deliverySeed + i), s.deliverySeed ^ (i * 7919)));

          const total = 1 + all.chains.reduce((n, c) => n + c.length, 0);
          for (const replica of replicas) expect(opsOf(replica.core, incidentId)).toHaveLength(total);
          const reference = replicatedIncident(devices[0].core.context.db, incidentId);
          for (const replica of replicas.slice(1)) {
            expect(replicatedIncident(replica.core.context.db, incidentId), replica.core.call('device.get', {}).name).toStrictEqual(reference);
          }

          const rebuilt = replicas[s.rebuildWhich];
          rebuilt.core.rebuild();
          expect(replicatedIncident(rebuilt.core.context.db, incidentId), `after rebuilding ${rebuilt.core.call('device.get', {}).name}`).toStrictEqual(
            reference,
          );
        } finally {
          for (const d of [...devices, ...fresh]) d.core.close();
        }
      }),
      { seed, numRuns },
    );
  }, timeout);
});
