/**
 * A simulated incident: 2–6 replicas (real cores on their own data folders, each with its own
 * clock) and the relays they share it through (real relay logic on real relay stores, each host with
 * its own clock), joined by the simulated network (network.ts), all on the fake clock.
 *
 * Replica 0 declares the incident and shares it; the others join with the write link (or, as
 * observers, the read link) when the scenario says. The world then runs the scenario's steps
 * (commands and faults), heals everything and runs until it settles; then chosen replicas write
 * fields after having seen every op, and it settles again. Crashes close a core (or a relay) with
 * whatever was in flight lost, and reopen it from its data folder.
 *
 * "Settled" means: every replica joined, open, connected to the current relay and live, with
 * nothing pending, holding exactly the heads the relay holds. If that does not happen within
 * SETTLE_LIMIT_MS of simulated time, the scenario fails (a liveness bug, or ops that cannot flow).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SitrepError } from '../../../shared/errors';
import { INCIDENT_STATUSES } from '../../../shared/model/incident';
import { DEFAULT_PLAYBOOK } from '../../../shared/playbook/default-playbook';
import { roleKey, SEVERITIES } from '../../../shared/playbook/schema';
import { createCore, type Core } from '../../../electron/core/core';
import { prepared } from '../../../electron/core/store/database';
import type { SyncTimings } from '../../../electron/core/sync/sync-client';
import { heldHeads } from '../../../electron/core/sync/sync-store';
import { headsOf } from '../../../electron/relay/store';
import { incidentOps } from '../../../electron/core/op-log';
import { prng } from '../op-delivery';
import { attempt, type Cmd, type Effects } from './commands';
import { advance, type Rng } from './determinism';
import { SimNetwork, type RelayHost } from './network';

/** Sync timings on the simulated clock: fast enough that little simulated time passes, real in shape. */
export const SIM_TIMINGS: SyncTimings = {
  heartbeatMs: 2_000,
  deadAfterMs: 7_000,
  backoffBaseMs: 100,
  backoffCapMs: 4_000,
  healthyAfterMs: 10_000,
  presenceEveryMs: 5_000,
  presenceTtlMs: 15_000,
  writeHoldMaxMs: 5_000,
  connectTimeoutMs: 3_000,
};

const SETTLE_STEP_MS = 250;
export const SETTLE_LIMIT_MS = 10 * 60_000;
const NAMES = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
const RELAY_PORT = 7000;

export type Action =
  | { a: 'cmd'; replica: number; cmds: Cmd[] }
  | { a: 'partition'; replicas: number[] }
  | { a: 'isolateRelay' }
  | { a: 'heal' }
  | { a: 'reset'; replica: number }
  | { a: 'crash'; replica: number; downMs: number }
  | { a: 'relayCrash'; downMs: number; wipe: boolean }
  | { a: 'moveRelay'; skewMs: number; lagMs: number }
  | { a: 'bundle'; from: number; to: number }
  | { a: 'clockJump'; replica: number; skewMs: number }
  | { a: 'relayClockJump'; skewMs: number };

export interface Step {
  advanceMs: number;
  action: Action;
}

export interface ReplicaPlan {
  /** The device clock minus the true time. */
  skewMs: number;
  /** Joins with the read link: never writes. Replica 0 (the declarer) is always a writer. */
  observer: boolean;
  /** Joins before this step (0: at the start; past the last step: when healing). */
  joinAt: number;
}

export type FinalField = 'severity' | 'status' | 'title' | 'role' | 'checklist' | 'task';

export interface FinalWrite {
  field: FinalField;
  /** Which writer: by position among the writers, or the one whose HLC is furthest behind. */
  writer: number | 'slowest-clock';
  /** Cut the writer off the relay before it writes. */
  offline: boolean;
}

export interface Scenario {
  /** Seeds the network's latencies and choices, key material, ids and reconnect jitter. */
  seed: number;
  relaySkewMs: number;
  replicas: ReplicaPlan[];
  steps: Step[];
  finalWrites: FinalWrite[];
}

/** A field written after its writer saw every op: what every replica must show once settled. */
export interface FinalExpectation {
  field: FinalField;
  writer: string;
  value: unknown;
  read(core: Core): { value: unknown; conflicted: boolean };
}

let simRoot: string | null = null;
/** Scenario folders live in RAM where there is one: a scenario makes and drops several SQLite files. */
function scenarioDir(): string {
  simRoot ??= fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  return fs.mkdtempSync(path.join(simRoot, 'sitrep-sim-'));
}

export class Replica {
  core: Core | null = null;
  joined = false;
  private named = false;

  constructor(
    private readonly world: World,
    readonly index: number,
    readonly name: string,
    public skewMs: number,
    readonly observer: boolean,
    readonly dataDir: string,
  ) {}

  readonly now = (): number => Date.now() + this.skewMs;

  open(): Core {
    if (this.core) return this.core;
    this.core = createCore({ dataDir: this.dataDir, now: this.now, sync: SIM_TIMINGS, relaySocket: this.world.net.opener(this.name) });
    if (!this.named) this.core.call('device.setName', { name: this.name });
    this.named = true;
    return this.core;
  }

  /** The process dies: nothing in flight is flushed; what it committed is in its data folder. */
  crash(): void {
    const core = this.core;
    this.core = null;
    core?.close();
  }
}

export class World {
  readonly net: SimNetwork;
  readonly rng: Rng;
  readonly replicas: Replica[];
  /** The relay the incident is meant to be on now (the last one moved to). */
  host!: RelayHost;
  readonly hosts: RelayHost[] = [];
  incidentId = '';
  private links = { write: '', read: '' };
  readonly effects: Effects = { entries: new Set(), tasks: new Set(), samples: new Set() };
  readonly expectations: FinalExpectation[] = [];
  /** Final writes whose HLC was below that of a write they superseded: the clocks said otherwise. */
  readonly stats = { finalWrites: 0, againstTheClock: 0 };
  private readonly root: string;
  private dirs = 0;

  constructor(readonly scenario: Scenario) {
    this.rng = prng(scenario.seed);
    this.net = new SimNetwork(prng(scenario.seed ^ 0x27d4eb2f));
    this.root = scenarioDir();
    this.replicas = scenario.replicas.map(
      (plan, i) => new Replica(this, i, NAMES[i], plan.skewMs, i > 0 && plan.observer, this.newDir(`replica-${i}`)),
    );
  }

  private newDir(name: string): string {
    const dir = path.join(this.root, `${name}-${this.dirs++}`);
    fs.mkdirSync(dir);
    return dir;
  }

  private newHost(skewMs: number): RelayHost {
    const host = this.net.addHost(`relay-${this.hosts.length}.sim:${RELAY_PORT + this.hosts.length}`, skewMs, this.newDir('relay'));
    host.start();
    this.hosts.push(host);
    this.host = host;
    return host;
  }

  get writers(): Replica[] {
    return this.replicas.filter((r) => !r.observer);
  }

  start(): void {
    this.newHost(this.scenario.relaySkewMs);
    const declarer = this.replicas[0];
    const core = declarer.open();
    this.incidentId = core.call('incidents.declare', { title: 'Payments degraded', severity: 'P2' }).incidentId;
    this.net.incident = this.incidentId;
    const links = core.call('incidents.share', { incidentId: this.incidentId, relay: this.host.address });
    this.links = { write: links.writeLink!, read: links.readLink };
    declarer.joined = true;
    this.joinDue(0);
  }

  /** Replicas whose turn to join has come (a fresh device pasting the link). */
  joinDue(step: number): void {
    this.scenario.replicas.forEach((plan, i) => {
      if (plan.joinAt <= step) this.join(this.replicas[i]);
    });
  }

  private join(r: Replica): void {
    if (r.joined) return;
    const core = r.core ?? r.open();
    core.call('incidents.join', { link: r.observer ? this.links.read : this.links.write, name: r.name });
    r.joined = true;
    this.followMove(r);
  }

  /** Someone told this replica the incident moved: it moves too (the link it joined with may be older). */
  private followMove(r: Replica): void {
    if (!r.core || !r.joined) return;
    if (r.core.call('sync.status', { incidentId: this.incidentId }).relay !== this.host.address) {
      r.core.call('incidents.moveRelay', { incidentId: this.incidentId, relay: this.host.address });
    }
  }

  private reopen(r: Replica): void {
    if (r.core) return;
    r.open();
    this.followMove(r);
  }

  private replica(n: number): Replica {
    return this.replicas[n % this.replicas.length];
  }

  act(action: Action): void {
    switch (action.a) {
      case 'cmd': {
        const r = this.replica(action.replica);
        if (r.observer || !r.core || !r.joined) return;
        for (const cmd of action.cmds) attempt(r.core, this.incidentId, r.now(), cmd, this.effects);
        return;
      }
      case 'partition':
        return this.net.isolate(...action.replicas.map((n) => this.replica(n).name));
      case 'isolateRelay':
        return this.net.isolate(this.host.address);
      case 'heal':
        return this.net.healPartitions();
      case 'reset':
        return this.net.reset(this.replica(action.replica).name);
      case 'crash': {
        const r = this.replica(action.replica);
        if (!r.core || !r.joined) return;
        r.crash();
        setTimeout(() => this.reopen(r), action.downMs);
        return;
      }
      case 'relayCrash': {
        const host = this.host;
        if (!host.up) return;
        host.crash();
        // A wiped data folder: the relay comes back empty, with a new epoch.
        if (action.wipe) host.dataDir = this.newDir('relay');
        setTimeout(() => host.start(), action.downMs);
        return;
      }
      case 'moveRelay': {
        const host = this.newHost(action.skewMs);
        for (const r of this.replicas) setTimeout(() => this.host === host && this.followMove(r), this.rng.int(action.lagMs + 1));
        return;
      }
      case 'bundle': {
        // Ops carried by hand (an export on a USB stick) from one replica to another.
        const from = this.replica(action.from);
        const to = this.replica(action.to);
        if (from === to || !from.core || !to.core || !from.joined || !to.joined) return;
        to.core.ingest(incidentOps(from.core.context.db, this.incidentId));
        return;
      }
      case 'clockJump':
        this.replica(action.replica).skewMs = action.skewMs;
        return;
      case 'relayClockJump':
        this.host.skewMs = action.skewMs;
        return;
    }
  }

  async runSteps(): Promise<void> {
    for (const [i, step] of this.scenario.steps.entries()) {
      this.joinDue(i);
      await advance(step.advanceMs);
      this.act(step.action);
    }
  }

  /** Lifts every fault: partitions healed, relay and replicas restarted, everyone joined and on the current relay. */
  async heal(): Promise<void> {
    this.net.healPartitions();
    this.host.start();
    for (const r of this.replicas) this.reopen(r);
    for (const r of this.replicas) this.join(r);
    for (const r of this.replicas) this.followMove(r);
    await this.settle('after healing');
  }

  settled(): boolean {
    const host = this.host;
    if (!host.db) return false;
    const relayHeads = new Map(headsOf(host.db, this.incidentId).map((h) => [h.device, h.seq]));
    for (const r of this.replicas) {
      if (!r.core || !r.joined) return false;
      const status = r.core.call('sync.status', { incidentId: this.incidentId });
      if (status.state !== 'live' || status.pendingOps !== 0 || status.relay !== host.address) return false;
      const mine = heldHeads(r.core.context.db, this.incidentId);
      if (mine.length !== relayHeads.size || mine.some((h) => relayHeads.get(h.device) !== h.seq)) return false;
    }
    return true;
  }

  describe(): string {
    const host = this.host;
    const relay = host.db ? headsOf(host.db, this.incidentId).map((h) => `${h.device.slice(0, 6)}:${h.seq}`) : ['(down)'];
    const replicas = this.replicas.map((r) => {
      if (!r.core) return `${r.name}: closed`;
      if (!r.joined) return `${r.name}: not joined`;
      const s = r.core.call('sync.status', { incidentId: this.incidentId });
      const heads = heldHeads(r.core.context.db, this.incidentId).map((h) => `${h.device.slice(0, 6)}:${h.seq}`);
      return `${r.name}: ${s.state} on ${s.relay}, ${s.pendingOps} pending, error ${s.lastError?.code ?? 'none'} (${s.lastError?.message ?? ''}), heads ${heads.join(' ')}`;
    });
    return `relay ${host.address} holds ${relay.join(' ')}; ${replicas.join('; ')}`;
  }

  async settle(what: string): Promise<void> {
    for (let waited = 0; waited <= SETTLE_LIMIT_MS; waited += SETTLE_STEP_MS) {
      if (this.settled()) return;
      await advance(SETTLE_STEP_MS);
    }
    throw new Error(`the replicas did not settle ${what} within ${SETTLE_LIMIT_MS / 1000} s of simulated time: ${this.describe()}`);
  }

  /** Each chosen writer changes a field having seen every op (some of them cut off while they write); then everything settles again. */
  async writeAfterSeeing(writes: readonly FinalWrite[]): Promise<void> {
    const done = new Set<FinalField>();
    for (const w of writes) {
      if (done.has(w.field)) continue;
      done.add(w.field);
      const writer = w.writer === 'slowest-clock' ? this.slowestClock() : this.writers[w.writer % this.writers.length];
      if (w.offline) this.net.isolate(writer.name);
      const expectation = this.writeField(writer, w.field);
      if (expectation) this.expectations.push(expectation);
    }
    // Severity can always change: at least one write after seeing is made.
    if (this.expectations.length === 0) this.expectations.push(this.writeField(this.writers[0], 'severity')!);
    await advance(this.rng.int(20_000));
    this.net.healPartitions();
    await this.settle('after the final writes');
  }

  /** The writer whose hybrid logical clock is furthest behind. */
  private slowestClock(): Replica {
    const hlcOf = (r: Replica) => prepared(r.core!.context.db, 'SELECT hlc_ms * 65536 + hlc_counter AS t FROM clock WHERE id = 1').get() as { t: number };
    return this.writers.reduce((a, b) => (hlcOf(b).t < hlcOf(a).t ? b : a));
  }

  private writeField(writer: Replica, field: FinalField): FinalExpectation | null {
    const core = writer.core!;
    const incidentId = this.incidentId;
    const choose = <T>(list: readonly T[], not: T): T => {
      const others = list.filter((v) => v !== not);
      return others[this.rng.int(others.length)];
    };
    let entity: { type: string; id: string; field: string };
    let value: unknown;
    /** The value as the console shows it, and the field's own "changed concurrently" mark where the console shows one. */
    let shown: (c: Core) => unknown;
    let flagged: (c: Core) => boolean = () => false;
    let write: () => void;
    switch (field) {
      case 'severity':
      case 'status':
      case 'title': {
        const current = core.call('incidents.get', { incidentId }).state[field];
        value =
          field === 'severity'
            ? choose(SEVERITIES, current as string)
            : field === 'status'
              ? choose(INCIDENT_STATUSES, current as string)
              : `Final title ${this.rng.int(1_000_000)}`;
        entity = { type: 'incident', id: incidentId, field };
        shown = (c) => c.call('incidents.get', { incidentId }).state[field];
        flagged = (c) => c.call('incidents.get', { incidentId }).concurrentlyChanged.includes(field);
        write = () => core.call('incidents.setField', { incidentId, field, value });
        break;
      }
      case 'role': {
        const role = DEFAULT_PLAYBOOK.roles[0];
        const roster = core.call('roster.get', { incidentId });
        const holder = roster.roles.find((r) => r.roleId === role.id)?.holder?.id ?? null;
        const candidates = [null, ...roster.people.filter((p) => !p.removed).map((p) => p.id)];
        value = choose(candidates, holder);
        if (value === undefined) return null;
        entity = { type: 'role', id: roleKey(role.id), field: 'holder' };
        const view = (c: Core) => c.call('roster.get', { incidentId }).roles.find((r) => r.roleId === role.id)!;
        shown = (c) => view(c).holder?.id ?? null;
        flagged = (c) => view(c).conflicted;
        write = () => core.call('roster.assign', { incidentId, roleId: role.id, personId: value as string | null });
        break;
      }
      case 'checklist': {
        const phase = DEFAULT_PLAYBOOK.phases[0];
        const itemId = `${phase.id}/${phase.checklist[this.rng.int(3)].id}`;
        const item = (c: Core) => c.call('checklist.get', { incidentId }).flatMap((p) => p.items).find((i) => i.id === itemId)!;
        const done = item(core).status === 'done';
        value = done ? 'open' : 'done';
        entity = { type: 'checklist', id: itemId, field: 'status' };
        // The item's own mark also covers its assignee and note, which nobody wrote here: the status field's is read below.
        shown = (c) => item(c).status;
        write = () => core.call(done ? 'checklist.untick' : 'checklist.tick', { incidentId, itemId });
        break;
      }
      case 'task': {
        const tasks = core.call('tasks.list', { incidentId });
        if (tasks.length === 0) return null;
        const task = tasks[this.rng.int(tasks.length)];
        value = choose(['open', 'done', 'cancelled'], task.state);
        entity = { type: 'task', id: task.id, field: 'state' };
        shown = (c) => c.call('tasks.list', { incidentId }).find((t) => t.id === task.id)?.state;
        write = () => core.call('tasks.update', { incidentId, taskId: task.id, state: value as 'open' | 'done' | 'cancelled' });
        break;
      }
    }
    const writes = (where = '') =>
      prepared(
        core.context.db,
        `SELECT max(hlc_ms * 65536 + hlc_counter) AS t FROM field_writes
         WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ? ${where}`,
      );
    const before = (writes().get(incidentId, entity.type, entity.id, entity.field) as { t: number | null }).t;
    try {
      write();
    } catch (error) {
      // A value the state does not take just now is no write at all.
      if (error instanceof SitrepError && error.code === 'invalid-argument') return null;
      throw error;
    }
    const mine = (writes('AND device = ?').get(incidentId, entity.type, entity.id, entity.field, core.deviceId) as { t: number | null }).t;
    this.stats.finalWrites++;
    if (before !== null && mine !== null && mine < before) this.stats.againstTheClock++;
    const conflicted = (c: Core) =>
      (
        prepared(c.context.db, 'SELECT conflicted FROM field_values WHERE incident = ? AND entity_type = ? AND entity_id = ? AND field = ?').get(
          incidentId, entity.type, entity.id, entity.field,
        ) as { conflicted: number } | undefined
      )?.conflicted === 1;
    return { field, writer: writer.name, value, read: (c) => ({ value: shown(c), conflicted: conflicted(c) || flagged(c) }) };
  }

  /** Closes every core and relay and removes the scenario's folders. */
  dispose(): void {
    for (const r of this.replicas) {
      try {
        r.crash();
      } catch {
        // Closing what is left is best effort: the scenario's own failure is what gets reported.
      }
    }
    for (const host of this.hosts) {
      try {
        host.crash();
      } catch {
        // As above.
      }
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
