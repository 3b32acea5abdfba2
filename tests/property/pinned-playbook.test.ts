/**
 * An incident pins its playbook (DESIGN.md §4): the declare op carries the whole playbook, and
 * every replica renders and evaluates from that copy, whatever playbook it has loaded locally.
 * Two stores with different local playbooks that hold the same ops show the same replicated state,
 * the declaring store's playbook included; commands on them are checked against the pinned copy.
 */
import { SitrepError } from '../../shared/errors';
import { DEFAULT_PLAYBOOK } from '../../shared/playbook/default-playbook';
import type { Playbook } from '../../shared/playbook/schema';
import type { Core } from '../../electron/core/core';
import { replicatedIncident } from '../../electron/core/queries/replicated-state';
import { opsOf, T0, testCore } from '../support/cores';
import { chainsOf, interleave, pages } from '../support/op-delivery';

const MINUTE = 60_000;

/** Same structure, other words: phase, role and item titles differ, and one role more. */
function retitled(): Playbook {
  const p = structuredClone(DEFAULT_PLAYBOOK) as Playbook;
  p.name = 'Retitled procedure';
  p.phases.forEach((phase, i) => {
    phase.title = `Stage ${i + 1}: ${phase.title.toUpperCase()}`;
    phase.checklist.forEach((item) => (item.title = `[local] ${item.title}`));
  });
  p.roles.forEach((role) => (role.title = `${role.title} (local)`));
  p.roles.push({ ...p.roles[1], id: 'scribe', title: 'Scribe', commander: false });
  return p;
}

/** Fewer roles, another commander role id, and the phases' titles and order of items changed. */
function trimmed(): Playbook {
  const p = structuredClone(DEFAULT_PLAYBOOK) as Playbook;
  p.name = 'Trimmed procedure';
  p.roles = p.roles.filter((r) => !['legal', 'qa', 'frontend', 'technical-lead'].includes(r.id));
  const commander = p.roles.find((r) => r.commander)!;
  commander.id = 'incident-lead';
  commander.title = 'Incident Lead';
  p.phases.forEach((phase) => {
    phase.title = `${phase.title} — trimmed`;
    phase.checklist.reverse();
  });
  return p;
}

function load(core: Core, playbook: Playbook, fileName: string): void {
  const loaded = core.call('playbook.load', { fileName, text: JSON.stringify(playbook) });
  expect(loaded.origin).toBe(fileName);
}

/** Gives `to` the write secret, then the ops in a relay order of its own, in pages. */
function receive(from: Core, to: Core, incidentId: string, seed: number): void {
  const secret = from.context.keys.incidentSecret(incidentId)!;
  to.context.keys.putIncidentSecret(incidentId, secret.access, secret.secret);
  for (const page of pages(interleave(chainsOf(opsOf(from, incidentId)), seed), seed + 1, 5)) to.ingest(page);
}

/** Some history on the incident: a person with a role, ticks, a phase change, an entry, a sample. */
function work(core: Core, incidentId: string): void {
  const { people } = core.call('roster.addPerson', { incidentId, name: 'Ana Ruiz' });
  const playbook = replicatedIncident(core.context.db, incidentId).incident.playbook;
  const commander = playbook.roles.find((r) => r.commander)!;
  core.call('roster.assign', { incidentId, roleId: commander.id, personId: people[0].id });
  core.call('roster.assign', { incidentId, roleId: playbook.roles[1].id, personId: people[0].id });
  const [first, second] = playbook.phases;
  core.call('checklist.tick', { incidentId, itemId: `${first.id}/${first.checklist[0].id}` });
  core.call('checklist.tick', { incidentId, itemId: `${second.id}/${second.checklist[1].id}` });
  core.call('incidents.advancePhase', { incidentId });
  core.call('timeline.add', { incidentId, kind: 'decision', text: 'fail over to the replica' });
  core.call('samples.add', { incidentId, metric: playbook.metrics[0].id, value: 812 });
}

describe('an incident pins its playbook', () => {
  test('stores with different local playbooks holding the same ops show identical state, with the default playbook the declarer pinned', () => {
    const declarer = testCore({ name: 'Alpha', start: T0 });
    const local1 = testCore({ name: 'Bravo', start: T0 + 3 * MINUTE });
    const local2 = testCore({ name: 'Charlie', start: T0 - 8 * MINUTE });
    load(local1.core, retitled(), 'retitled.json');
    load(local2.core, trimmed(), 'trimmed.json');
    expect(declarer.core.call('playbook.getActive', {}).origin).toBe('default');

    const { incidentId } = declarer.core.call('incidents.declare', { title: 'Checkout down', severity: 'P1' });
    work(declarer.core, incidentId);
    receive(declarer.core, local1.core, incidentId, 1);
    receive(declarer.core, local2.core, incidentId, 2);

    const reference = replicatedIncident(declarer.core.context.db, incidentId);
    expect(replicatedIncident(local1.core.context.db, incidentId)).toStrictEqual(reference);
    expect(replicatedIncident(local2.core.context.db, incidentId)).toStrictEqual(reference);
    expect(reference.incident.playbook).toEqual(DEFAULT_PLAYBOOK);
    expect(reference.checklist.map((p) => p.title)).toEqual(DEFAULT_PLAYBOOK.phases.map((p) => p.title));
    expect(reference.roster.roles.map((r) => [r.roleId, r.title])).toEqual(DEFAULT_PLAYBOOK.roles.map((r) => [r.id, r.title]));
    expect(reference.roster.roles.find((r) => r.commander)?.holder?.name).toBe('Ana Ruiz');

    // Their local playbooks are still their own: an incident they declare pins theirs.
    const own = local2.core.call('incidents.declare', { title: 'Local drill', severity: 'P3', drill: true });
    expect(replicatedIncident(local2.core.context.db, own.incidentId).incident.playbook.name).toBe('Trimmed procedure');
  });

  test('a receiver writes against the pinned playbook, not its local one, and every replica agrees', () => {
    const declarer = testCore({ name: 'Alpha', start: T0 });
    const local = testCore({ name: 'Bravo', start: T0 + 2 * MINUTE });
    load(local.core, trimmed(), 'trimmed.json');
    const { incidentId } = declarer.core.call('incidents.declare', { title: 'Login errors', severity: 'P2' });
    receive(declarer.core, local.core, incidentId, 3);

    // "technical-lead" exists only in the pinned (default) playbook; "incident-lead" only in the local one.
    const { people } = local.core.call('roster.addPerson', { incidentId, name: 'Bo Chen' });
    local.core.call('roster.assign', { incidentId, roleId: 'technical-lead', personId: people[0].id });
    local.core.call('roster.assign', { incidentId, roleId: 'incident-commander', personId: people[0].id });
    const refused = (() => {
      try {
        local.core.call('roster.assign', { incidentId, roleId: 'incident-lead', personId: people[0].id });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(SitrepError);
    expect((refused as SitrepError).code).toBe('not-found');
    const detection = DEFAULT_PLAYBOOK.phases[0];
    local.core.call('checklist.tick', { incidentId, itemId: `${detection.id}/${detection.checklist[0].id}` });

    declarer.core.ingest(opsOf(local.core, incidentId));
    const state = replicatedIncident(local.core.context.db, incidentId);
    expect(replicatedIncident(declarer.core.context.db, incidentId)).toStrictEqual(state);
    expect(state.incident.playbook).toEqual(DEFAULT_PLAYBOOK);
    expect(state.roster.roles.find((r) => r.roleId === 'technical-lead')?.holder?.name).toBe('Bo Chen');
    expect(state.incident.milestones.acknowledged?.source).toBe('default');
    expect(state.checklist[0].items[0]).toMatchObject({ status: 'done', title: detection.checklist[0].title });
  });

  test('a custom playbook pinned by the declarer is what the default-playbook stores show', () => {
    const declarer = testCore({ name: 'Alpha', start: T0 });
    const plain = testCore({ name: 'Bravo', start: T0 + 5 * MINUTE });
    const other = testCore({ name: 'Charlie', start: T0 - 5 * MINUTE });
    load(declarer.core, retitled(), 'retitled.json');
    load(other.core, trimmed(), 'trimmed.json');
    const { incidentId } = declarer.core.call('incidents.declare', { title: 'Disk full on db-2', severity: 'P0' });
    work(declarer.core, incidentId);
    receive(declarer.core, plain.core, incidentId, 4);
    receive(declarer.core, other.core, incidentId, 5);

    const reference = replicatedIncident(declarer.core.context.db, incidentId);
    expect(replicatedIncident(plain.core.context.db, incidentId)).toStrictEqual(reference);
    expect(replicatedIncident(other.core.context.db, incidentId)).toStrictEqual(reference);
    expect(reference.incident.playbook.name).toBe('Retitled procedure');
    expect(reference.checklist[0].title).toBe(`Stage 1: ${DEFAULT_PLAYBOOK.phases[0].title.toUpperCase()}`);
    expect(reference.roster.roles.map((r) => r.roleId)).toContain('scribe');

    // And a rebuild on a store whose local playbook differs still folds from the pinned copy.
    other.core.rebuild();
    expect(replicatedIncident(other.core.context.db, incidentId)).toStrictEqual(reference);
  });
});
