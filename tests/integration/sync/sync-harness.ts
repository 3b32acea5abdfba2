/**
 * Real cores and real relays (electron/relay's startRelay) on 127.0.0.1 for sync tests, with short
 * reconnect and presence timings; everything is closed when the test file ends. Waits poll for a
 * condition with a generous limit; nothing sleeps and then asserts.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { addTimelineEntry } from '../../../electron/core/commands/timeline';
import { createCore, parseArgs, type Core } from '../../../electron/core/core';
import { incidentOps } from '../../../electron/core/op-log';
import { replicatedIncident, type ReplicatedIncident } from '../../../electron/core/queries/replicated-state';
import type { SyncTimings } from '../../../electron/core/sync/sync-client';
import { startRelay, type RunningRelay } from '../../../electron/relay/server';
import { RELAY_DB_FILE } from '../../../electron/relay/store';
import type { SyncStatus } from '../../../shared/model/views';
import { tempDir } from '../../support/temp-dir';

export const FAST_SYNC: Partial<SyncTimings> = {
  backoffBaseMs: 20,
  backoffCapMs: 300,
  healthyAfterMs: 2_000,
  heartbeatMs: 1_000,
  deadAfterMs: 5_000,
  presenceEveryMs: 300,
  presenceTtlMs: 3_000,
  writeHoldMaxMs: 10_000,
};

const cores = new Set<Core>();
const relays = new Set<RunningRelay>();

export function openCore(
  dataDir = tempDir('sitrep-sync-'),
  name?: string,
  options: { now?: () => number; sync?: Partial<SyncTimings> } = {},
): Core {
  const core = createCore({ dataDir, now: options.now, sync: { ...FAST_SYNC, ...options.sync } });
  cores.add(core);
  if (name) core.call('device.setName', { name });
  return core;
}

export function closeCore(core: Core): void {
  cores.delete(core);
  core.close();
}

export async function startTestRelay(dataDir = tempDir('sitrep-relay-'), port = 0): Promise<RunningRelay & { dataDir: string }> {
  const relay = await startRelay({ dataDir, port, log: () => undefined });
  relays.add(relay);
  return Object.assign(relay, { dataDir });
}

export async function stopRelay(relay: RunningRelay): Promise<void> {
  relays.delete(relay);
  await relay.close();
}

export const relayAddress = (relay: RunningRelay): string => `127.0.0.1:${relay.port}`;

/** Polls `condition` every 20 ms until it holds (returns its truthy value) or `limitMs` passes. */
export async function waitFor<T>(condition: () => T | undefined | null | false, what: string, limitMs = 30_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = condition();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const replicated = (core: Core, incidentId: string): ReplicatedIncident | null => {
  try {
    return replicatedIncident(core.context.db, incidentId);
  } catch {
    return null;
  }
};

/** Waits until every core shows the same replicated incident, and returns it. */
export async function converged(incidentId: string, ...all: Core[]): Promise<ReplicatedIncident> {
  let last = '';
  return waitFor(
    () => {
      const states = all.map((core) => replicated(core, incidentId));
      if (states.some((s) => s === null)) return null;
      const texts = states.map((s) => JSON.stringify(s));
      last = texts.map((t) => t.length).join(', ');
      return texts.every((t) => t === texts[0]) ? states[0] : null;
    },
    `${all.length} cores to converge on ${incidentId} (sizes ${last})`,
    60_000,
  );
}

export const status = (core: Core, incidentId: string): SyncStatus => core.call('sync.status', { incidentId });

export const entryTexts = (core: Core, incidentId: string): string[] =>
  core.call('timeline.list', { incidentId, kinds: ['note'], limit: 1000 }).entries.map((e) => e.text).sort();

/**
 * Writes `count` notes ("<prefix> 0" …) as the console's own ops, a thousand per transaction
 * (one commit, not one each), then one more note through the api, which sends them all on.
 */
export function writeManyNotes(core: Core, incidentId: string, prefix: string, count: number): void {
  const BATCH = 1_000;
  const ctx = core.context;
  for (let from = 0; from < count - 1; from += BATCH) {
    ctx.db.transaction(() => {
      for (let i = from; i < Math.min(from + BATCH, count - 1); i++) addTimelineEntry(ctx, parseArgs('timeline.add', { incidentId, text: `${prefix} ${i}` }));
    })();
  }
  core.call('timeline.add', { incidentId, text: `${prefix} ${count - 1}` });
}

/** Copies a closed core's data folder (its database and key store) to a new folder. */
export function copyDataDir(from: string): string {
  const to = tempDir('sitrep-copy-');
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** Replaces a closed core's data folder by an older copy of it. */
export function restoreDataDir(copy: string, into: string): void {
  fs.rmSync(into, { recursive: true, force: true });
  fs.cpSync(copy, into, { recursive: true });
}

export interface StagedEquivocation {
  incidentId: string;
  ana: Core;
  /** The real Eve, open and live; her op at the forked seq is on the relay. */
  eve: Core;
  /** Bea's closed folder, holding the copy's op at that seq: open it to see what she makes of it. */
  beaDir: string;
}

/**
 * Ana, Eve and Bea share an incident through `relay`. Then Eve's folder is copied and the copy
 * signs an op of its own at the seq where the real Eve signs another (two different ops at one
 * seq: equivocation); the copy's op reaches Bea by hand while she is offline.
 */
export async function stageEquivocation(relay: RunningRelay): Promise<StagedEquivocation> {
  const ana = openCore(undefined, 'Ana');
  const { incidentId } = ana.call('incidents.declare', { title: 'Cache stampede', severity: 'P2' });
  const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
  let eve = openCore(undefined, 'Eve');
  eve.call('incidents.join', { link: writeLink!, name: 'Eve' });
  const bea = openCore(undefined, 'Bea');
  bea.call('incidents.join', { link: writeLink!, name: 'Bea' });
  await converged(incidentId, ana, eve, bea);

  const beaDir = bea.dataDir;
  closeCore(bea);
  const eveDir = eve.dataDir;
  closeCore(eve);
  const copy = createCore({ dataDir: copyDataDir(eveDir), sync: false });
  copy.call('timeline.add', { incidentId, text: 'forged by a copy of Eve' });
  const forged = incidentOps(copy.context.db, incidentId);
  copy.close();

  eve = openCore(eveDir);
  await eve.invoke('timeline.add', { incidentId, text: 'the real Eve' });
  await waitFor(() => status(eve, incidentId).pendingOps === 0, "the relay to hold Eve's op");
  const offline = createCore({ dataDir: beaDir, sync: false });
  offline.ingest(forged);
  offline.close();
  return { incidentId, ana, eve, beaDir };
}

/** What a relay kept as equivocation evidence, read beside the running relay. */
export function relayEquivocations(relay: { dataDir: string }): number {
  const db = new Database(path.join(relay.dataDir, RELAY_DB_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM equivocations').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

afterAll(async () => {
  for (const core of [...cores]) core.close();
  cores.clear();
  await Promise.all([...relays].map((relay) => relay.close()));
  relays.clear();
});
