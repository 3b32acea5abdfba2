/**
 * The main process's side of core-port-protocol: runs the core in a `utilityProcess` (so a long
 * catch-up or an fsync never freezes a window) and offers it as the api contract.
 *
 * Invariants:
 * - `open` is the first message to each process; invokes are sent only once it answered `ready`
 *   (calls made while it starts wait for it).
 * - Each invoke id is unique for the client's life, and each call settles exactly once: with its
 *   result, or rejected when the core reports a fatal error, exits, or is closed.
 * - A core that exits unexpectedly after it was ready is restarted (at most maxRestarts times within
 *   restartWindowMs). Calls in flight are rejected, never resent: a write may or may not have been
 *   applied. After a restart, listeners get 'incidents-changed' and 'playbook-changed' so views ask
 *   again. A core that fails to open, reports `fatal`, or exits while starting is not restarted:
 *   onFatal is told and every later call is rejected with that error.
 * - close() sends `close` and waits for the process to exit (kills it after closeTimeoutMs).
 */
import { utilityProcess } from 'electron';
import type { ApiArgs, ApiEvent, ApiMethod, ApiResult, SitrepApi } from '../../shared/api';
import { deserializeError, SitrepError } from '../../shared/errors';
import { parseCoreToMain, type CoreToMainMessage, type MainToCoreMessage } from '../core/host/core-port-protocol';

/** The part of Electron's UtilityProcess the client uses (a fake one in tests). */
export interface CoreProcess {
  postMessage(message: MainToCoreMessage): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface CoreClientOptions {
  /** Starts a new core process; by default `forkCoreProcess(entryPath)`. */
  fork: () => CoreProcess;
  dataDir: string;
  wrappingKey: Uint8Array;
  /** The core cannot be served any more; the app tells the person and quits. */
  onFatal?: (error: SitrepError) => void;
  maxRestarts?: number;
  restartWindowMs?: number;
  closeTimeoutMs?: number;
  now?: () => number;
}

export interface CoreClient extends SitrepApi {
  /** Starts the core process and resolves with the device id once the core is open. */
  start(): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_MAX_RESTARTS = 3;
const DEFAULT_RESTART_WINDOW_MS = 60_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

export function forkCoreProcess(entryPath: string): CoreProcess {
  return utilityProcess.fork(entryPath, [], { serviceName: 'Sitrep core', stdio: 'inherit' });
}

type Phase = 'idle' | 'starting' | 'ready' | 'failed' | 'closing' | 'closed';

interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let settle!: { resolve: (value: T) => void; reject: (error: Error) => void };
  const promise = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  // A rejection nobody awaited (no call was waiting) is not an unhandled error.
  promise.catch(() => undefined);
  let settled = false;
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve(value) {
      settled = true;
      settle.resolve(value);
    },
    reject(error) {
      settled = true;
      settle.reject(error);
    },
  };
}

export function createCoreClient(options: CoreClientOptions): CoreClient {
  const maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
  const restartWindowMs = options.restartWindowMs ?? DEFAULT_RESTART_WINDOW_MS;
  const closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const onFatal = options.onFatal ?? ((error: SitrepError) => console.error(`sitrep: the core failed: ${error.message}`));

  const pending = new Map<number, Deferred<unknown>>();
  const listeners = new Set<(event: ApiEvent) => void>();
  const restartTimes: number[] = [];
  let nextId = 1;
  let phase: Phase = 'idle';
  let child: CoreProcess | undefined;
  let ready = deferred<string>();
  let exited = deferred<void>();
  let restarting = false;
  let failure: SitrepError | undefined;
  let closing: Promise<void> | undefined;

  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
  };

  const rejectPending = (error: Error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };

  const spawn = () => {
    const core = options.fork();
    child = core;
    phase = 'starting';
    // Calls already waiting for a restart that crashed keep waiting for the next one.
    if (ready.settled) ready = deferred<string>();
    exited = deferred<void>();
    core.on('message', (raw) => {
      if (child === core) receive(raw);
    });
    core.on('exit', (code) => {
      if (child === core) processExited(code);
    });
    core.postMessage({ type: 'open', dataDir: options.dataDir, wrappingKey: options.wrappingKey });
  };

  const fail = (error: SitrepError) => {
    phase = 'failed';
    failure = error;
    ready.reject(error);
    rejectPending(error);
    const core = child;
    child = undefined;
    core?.kill();
    onFatal(error);
  };

  const receive = (raw: unknown) => {
    const parsed = parseCoreToMain(raw);
    if (!parsed.ok) {
      console.error(`sitrep: invalid message from the core ignored: ${parsed.problem}`);
      return;
    }
    handle(parsed.message);
  };

  const handle = (message: CoreToMainMessage) => {
    switch (message.type) {
      case 'ready':
        if (phase !== 'starting') return;
        phase = 'ready';
        ready.resolve(message.deviceId);
        if (restarting) {
          restarting = false;
          emit({ type: 'incidents-changed' });
          emit({ type: 'playbook-changed' });
        }
        return;
      case 'result': {
        const call = pending.get(message.id);
        if (!call) return;
        pending.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else call.reject(deserializeError(message.error));
        return;
      }
      case 'event':
        return emit(message.event);
      case 'fatal':
        if (phase === 'closing' || phase === 'closed') return rejectPending(deserializeError(message.error));
        return fail(deserializeError(message.error));
    }
  };

  const processExited = (code: number) => {
    child = undefined;
    exited.resolve();
    if (phase === 'closing' || phase === 'closed' || phase === 'failed') return;
    const error = new SitrepError(
      'internal',
      `the core process exited unexpectedly (code ${code}); a call in progress may or may not have been applied`,
    );
    if (phase === 'starting' && !restarting) return fail(error);
    rejectPending(error);
    const t = now();
    while (restartTimes.length && restartTimes[0] <= t - restartWindowMs) restartTimes.shift();
    if (restartTimes.length >= maxRestarts) {
      return fail(new SitrepError('internal', `${error.message}; it was restarted ${maxRestarts} times within ${restartWindowMs / 1000} s, giving up`));
    }
    restartTimes.push(t);
    restarting = true;
    spawn();
  };

  const whenReady = async (): Promise<CoreProcess> => {
    if (phase === 'idle') throw new SitrepError('internal', 'the core is not started');
    if (phase === 'failed' && failure) throw failure;
    if (phase === 'closing' || phase === 'closed') throw new SitrepError('internal', 'the core is closed');
    if (phase === 'starting') await ready.promise;
    if (phase !== 'ready' || !child) return whenReady();
    return child;
  };

  return {
    start() {
      if (phase === 'idle') spawn();
      return ready.promise;
    },

    async invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
      const core = await whenReady();
      const id = nextId++;
      const call = deferred<unknown>();
      pending.set(id, call);
      try {
        core.postMessage({ type: 'invoke', id, method, args });
      } catch (error) {
        pending.delete(id);
        throw new SitrepError('invalid-argument', `${method}: the arguments cannot be sent to the core (${(error as Error).message})`);
      }
      return (await call.promise) as ApiResult<M>;
    },

    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    close() {
      if (closing) return closing;
      const closedError = new SitrepError('internal', 'the core is closed');
      const core = child;
      const wasStarted = phase === 'starting' || phase === 'ready';
      phase = 'closing';
      ready.reject(closedError);
      closing = (async () => {
        if (core && wasStarted) {
          core.postMessage({ type: 'close' });
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), closeTimeoutMs)));
          const outcome = await Promise.race([exited.promise.then(() => 'exited' as const), timedOut]);
          clearTimeout(timer);
          if (outcome === 'timeout') core.kill();
        }
        child = undefined;
        phase = 'closed';
        rejectPending(closedError);
      })();
      return closing;
    },
  };
}
