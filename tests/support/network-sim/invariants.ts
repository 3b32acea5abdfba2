/**
 * What must hold once a simulated world has healed and settled (world.ts), each a function that
 * throws an assertion error naming the replica and what differs.
 */
import { bytesToHex, equalBytes } from '../../../shared/sync/bytes';
import { decodePayload } from '../../../shared/model/op-payload';
import { writerKeys } from '../../../shared/sync/incident-keys';
import { decodeOp, openOpPayload, opHash, ZERO_HASH } from '../../../shared/sync/op-envelope';
import { nodeCrypto } from '../../../electron/crypto';
import { createCore, type Core } from '../../../electron/core/core';
import { replicatedIncident, type ReplicatedIncident } from '../../../electron/core/queries/replicated-state';
import { fullTimeline } from '../../../electron/core/queries/timeline';
import { listSamples } from '../../../electron/core/queries/samples';
import { prepared } from '../../../electron/core/store/database';
import { heldHashAt } from '../../../electron/core/sync/sync-store';
import { heldOp, opsAfter, type RelayDb } from '../../../electron/relay/store';
import { sampleKey } from './commands';
import type { Replica, World } from './world';

const PAGE = 500;

const openReplicas = (world: World): (Replica & { core: Core })[] => world.replicas.map((r) => r as Replica & { core: Core });

const stateOf = (world: World, r: Replica & { core: Core }): ReplicatedIncident => replicatedIncident(r.core.context.db, world.incidentId);

/** The ops the current relay accepted, in relay order. */
export function acceptedOps(world: World): Uint8Array[] {
  const db = world.host.db!;
  const ops: Uint8Array[] = [];
  for (let after = 0; ; ) {
    const page = opsAfter(db, world.incidentId, after, PAGE);
    if (page.length === 0) return ops;
    ops.push(...page.map((op) => op.envelope));
    after = page[page.length - 1].relaySeq;
  }
}

/** The incident's write secret, from the declarer's key store. */
const writeSecret = (world: World): Uint8Array => world.replicas[0].core!.context.keys.incidentSecret(world.incidentId)!.secret;

/** Nothing that must never happen happened along the way: no relay failure, no equivocation, no identity move, no double ack. */
export function assertNothingUntoward(world: World): void {
  expect(world.net.violations, 'violations seen on the wire').toEqual([]);
  expect(world.net.relayLog, 'failures the relays logged').toEqual([]);
  for (const r of openReplicas(world)) {
    expect(r.core.call('sync.status', { incidentId: world.incidentId }).alarms, `${r.name}'s alarms`).toEqual([]);
  }
}

export function identicalReplicatedState(world: World): void {
  const [first, ...rest] = openReplicas(world);
  const reference = stateOf(world, first);
  for (const r of rest) expect(stateOf(world, r), `${r.name} against ${first.name}`).toStrictEqual(reference);
}

export function equalsReferenceFold(world: World): void {
  const reference = createCore({ dataDir: `${world.replicas[0].dataDir}-reference`, now: () => Date.now(), sync: false });
  try {
    reference.context.keys.putIncidentSecret(world.incidentId, 'write', writeSecret(world));
    const ops = acceptedOps(world);
    for (let i = 0; i < ops.length; i += PAGE) reference.ingest(ops.slice(i, i + PAGE));
    const folded = replicatedIncident(reference.context.db, world.incidentId);
    for (const r of openReplicas(world)) expect(stateOf(world, r), `${r.name} against the fold of the relay's ${ops.length} ops`).toStrictEqual(folded);
  } finally {
    reference.close();
  }
}

export function noAcknowledgedOpMissing(world: World): void {
  expect(world.net.acknowledged.size, 'acknowledged heads').toBeGreaterThan(0);
  const relay = world.host.db!;
  for (const [key, hash] of world.net.acknowledged) {
    const [device, seqText] = key.split(':');
    const seq = Number(seqText);
    const onRelay = heldOp(relay, world.incidentId, device, seq);
    expect(onRelay && bytesToHex(onRelay.hash), `the current relay's op at ${key}`).toBe(hash);
    for (const r of openReplicas(world)) {
      const db = r.core.context.db;
      const held = heldHashAt(db, world.incidentId, device, seq);
      expect(held && bytesToHex(held), `${r.name}'s op at acknowledged ${key}`).toBe(hash);
      const upTo = prepared(db, 'SELECT count(*) AS n FROM ops WHERE incident = ? AND device = ? AND seq <= ?').get(world.incidentId, device, seq) as {
        n: number;
      };
      expect(upTo.n, `${r.name}'s ops of ${device} up to acknowledged seq ${seq}`).toBe(seq);
    }
  }
}

function countIds(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

const repeated = (counts: Map<string, number>) => [...counts].filter(([, n]) => n > 1).map(([id]) => id);

export function noEffectAppliedTwice(world: World): void {
  // What the accepted ops say: every entry they add and every sample they carry, each once.
  const contentKey = writerKeys(nodeCrypto, writeSecret(world)).contentKey;
  const opEntries: string[] = [];
  const opSamples = new Set<string>();
  for (const bytes of acceptedOps(world)) {
    const decoded = decodeOp(bytes);
    if (decoded.header.type !== 'op') continue;
    const understood = decodePayload(openOpPayload(nodeCrypto, decoded, contentKey));
    if (!understood.known) continue;
    const p = understood.payload;
    if (p.kind === 'entry.add') opEntries.push(p.entry.id);
    if (p.kind === 'samples.add') for (const s of p.samples) opSamples.add(sampleKey({ ...s, source: p.source, device: decoded.header.deviceId }));
  }
  expect(repeated(countIds(opEntries)), 'entry ids added by more than one accepted op').toEqual([]);
  expect([...world.effects.samples].sort(), 'the samples the replicas added against those in the accepted ops').toEqual([...opSamples].sort());
  for (const id of world.effects.entries) expect(opEntries, `entry ${id} a replica added, among the accepted ops`).toContain(id);

  for (const r of openReplicas(world)) {
    const db = r.core.context.db;
    const timeline = fullTimeline(db, world.incidentId);
    const ids = countIds(timeline.map((e) => e.id));
    expect(repeated(ids), `${r.name}'s timeline ids shown more than once`).toEqual([]);
    expect(timeline.filter((e) => e.source === 'entry').map((e) => e.id).sort(), `${r.name}'s entries against the accepted ops'`).toEqual([...opEntries].sort());
    const samples = listSamples(db, world.incidentId, {}).map(sampleKey);
    expect(repeated(countIds(samples)), `${r.name}'s samples shown more than once`).toEqual([]);
    expect(samples.sort(), `${r.name}'s samples against the accepted ops'`).toEqual([...opSamples].sort());
    const tasks = countIds(r.core.call('tasks.list', { incidentId: world.incidentId }).map((t) => t.id));
    expect(repeated(tasks), `${r.name}'s tasks shown more than once`).toEqual([]);
    for (const id of world.effects.tasks) expect(tasks.get(id), `${r.name}'s task ${id}`).toBe(1);
    const people = countIds(r.core.call('roster.get', { incidentId: world.incidentId }).people.map((p) => p.id));
    expect(repeated(people), `${r.name}'s people shown more than once`).toEqual([]);
  }
}

/** Per device: seqs 1..n, each op's hash its bytes' hash, each prev the hash before it, the head the last. */
function checkChains(where: string, rows: { device: string; seq: number; hash: Uint8Array; envelope: Uint8Array }[], heads: Map<string, { seq: number; hash: Uint8Array }>): void {
  const byDevice = new Map<string, typeof rows>();
  for (const row of rows) byDevice.set(row.device, [...(byDevice.get(row.device) ?? []), row]);
  expect([...byDevice.keys()].sort(), `${where}: devices with ops against its heads`).toEqual([...heads.keys()].sort());
  for (const [device, chain] of byDevice) {
    let prev = ZERO_HASH;
    chain.forEach((row, i) => {
      const at = `${where}: ${device}:${row.seq}`;
      const header = decodeOp(row.envelope).header;
      expect(row.seq, `${at} is op number ${i + 1} of its chain`).toBe(i + 1);
      expect(header.seq, `${at}'s signed seq`).toBe(row.seq);
      expect(header.deviceId, `${at}'s signed device`).toBe(device);
      expect(equalBytes(opHash(nodeCrypto, row.envelope), row.hash), `${at}: stored hash is the hash of its bytes`).toBe(true);
      expect(equalBytes(header.prev, prev), `${at}: prev links to the op before`).toBe(true);
      prev = row.hash;
    });
    const head = heads.get(device)!;
    expect(head.seq, `${where}: ${device}'s head seq`).toBe(chain.length);
    expect(equalBytes(head.hash, prev), `${where}: ${device}'s head hash`).toBe(true);
  }
}

type ChainRow = { device: string; seq: number; hash: Uint8Array; envelope: Uint8Array };

export function everyChainIntact(world: World): void {
  const relay: RelayDb = world.host.db!;
  checkChains(
    world.host.address,
    relay.prepare('SELECT device, seq, hash, envelope FROM ops WHERE incident = ? ORDER BY device, seq').all(world.incidentId) as ChainRow[],
    new Map(
      (relay.prepare('SELECT device, seq, hash FROM heads WHERE incident = ?').all(world.incidentId) as { device: string; seq: number; hash: Uint8Array }[]).map(
        (h) => [h.device, h],
      ),
    ),
  );
  for (const r of openReplicas(world)) {
    const db = r.core.context.db;
    checkChains(
      r.name,
      db.prepare('SELECT device, seq, hash, envelope FROM ops WHERE incident = ? ORDER BY device, seq').all(world.incidentId) as ChainRow[],
      new Map(
        (db.prepare('SELECT device, head_seq AS seq, head_hash AS hash FROM devices WHERE incident = ?').all(world.incidentId) as {
          device: string;
          seq: number;
          hash: Uint8Array;
        }[]).map((h) => [h.device, h]),
      ),
    );
    // A rebuild re-verifies every signature, certificate and link, and must give the same state.
    const before = stateOf(world, r);
    r.core.rebuild();
    expect(stateOf(world, r), `${r.name} after a rebuild from its op log`).toStrictEqual(before);
  }
}

export function writeAfterSeeingWins(world: World): void {
  expect(world.expectations.length, 'final writes made').toBeGreaterThan(0);
  for (const e of world.expectations) {
    for (const r of openReplicas(world)) {
      const shown = e.read(r.core);
      expect(shown, `${r.name}'s ${e.field}, last written by ${e.writer} after it saw every op`).toEqual({ value: e.value, conflicted: false });
    }
  }
}
