/**
 * Teammates' consoles as real processes (tests/support/sync-peer-process.ts), each a full core on
 * its own data folder syncing through relays on 127.0.0.1; every one is ended when the test file
 * ends. Requests go over the IPC channel and are answered once done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ApiArgs, ApiMethod, ApiResult } from '../../shared/api';
import type { ReplicatedIncident } from '../../electron/core/queries/replicated-state';
import type { SyncTimings } from '../../electron/core/sync/sync-client';
import type { PeerRequest } from './sync-peer-protocol';
import { tempDir } from './temp-dir';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PEER_SCRIPT = 'tests/support/sync-peer-process.ts';
const START_LIMIT_MS = 60_000;

type Answer = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export interface Peer {
  readonly name: string;
  readonly dataDir: string;
  readonly deviceId: string;
  readonly child: ChildProcess;
  invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  ask<T>(request: PeerRequest): Promise<T>;
  /** Closes the core (its writer lock released) and waits for the process to end. */
  stop(): Promise<void>;
}

const running = new Set<Peer>();

export async function startPeer(name: string, timings: Partial<SyncTimings>, dataDir = tempDir('sitrep-peer-')): Promise<Peer> {
  const child = spawn(process.execPath, ['--import', 'tsx', PEER_SCRIPT, dataDir, name, JSON.stringify(timings)], {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${name}'s process ended (${signal ?? code}) before answering`));
    waiting.clear();
  });
  const deviceId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}'s process did not start within ${START_LIMIT_MS} ms`)), START_LIMIT_MS);
    child.once('exit', (code) => reject(new Error(`${name}'s process exited with ${code} while starting`)));
    child.on('message', (message: { ready?: string } | Answer) => {
      if ('ready' in message && message.ready) {
        clearTimeout(timer);
        resolve(message.ready);
        return;
      }
      const answer = message as Answer;
      const w = waiting.get(answer.id);
      waiting.delete(answer.id);
      if (answer.ok) w?.resolve(answer.value);
      else w?.reject(new Error(`${name}: ${answer.error}`));
    });
  });
  const ask = <T>(request: PeerRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, request });
    });
  const peer: Peer = {
    name,
    dataDir,
    deviceId,
    child,
    ask,
    invoke: (method, args) => ask({ type: 'invoke', method, args }),
    async stop() {
      running.delete(peer);
      if (child.connected) child.disconnect();
      await ended;
    },
  };
  running.add(peer);
  return peer;
}

afterAll(async () => {
  for (const peer of [...running]) peer.child.kill('SIGKILL');
  await Promise.all([...running].map((peer) => peer.stop()));
});

/** Polls `condition` every 50 ms until it resolves truthy (returns it) or `limitMs` passes. */
export async function eventually<T>(condition: () => Promise<T | undefined | null | false>, what: string, limitMs = 120_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until every peer shows the same replicated incident, and returns it. */
export async function peersConverged(incidentId: string, peers: readonly Peer[]): Promise<ReplicatedIncident> {
  const text = await eventually(async () => {
    const states = await Promise.all(peers.map((p) => p.ask<string>({ type: 'replicated', incidentId }).catch(() => null)));
    return states.every((s) => s !== null && s === states[0]) ? states[0] : null;
  }, `${peers.map((p) => p.name).join(', ')} to converge on ${incidentId}`);
  return JSON.parse(text!) as ReplicatedIncident;
}
