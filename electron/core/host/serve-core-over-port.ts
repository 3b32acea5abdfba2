/**
 * The core's side of core-port-protocol: waits for `open`, opens the core with the wrapping key,
 * answers each `invoke` with one `result`, pushes the core's events, and closes on `close`.
 * Plain Node: the port is anything with `on('message')` and `postMessage` (Electron's parentPort
 * in the utility process, a worker_threads MessagePort in tests).
 *
 * Invariants (besides the protocol's):
 * - The core is opened at most once; a failed open is reported as `fatal` and nothing is served.
 * - A message that is not valid for the protocol is answered when it carries an invoke id (with
 *   'invalid-argument') and reported through onProtocolError otherwise; it never reaches the core.
 * - A result that cannot be posted (not structured-clone-able) is replaced by an error result, so
 *   the caller is never left waiting.
 */
import { ERROR_CODES, serializeError, type ErrorCode, type SerializedError } from '../../../shared/errors';
import type { ApiArgs, ApiEvent, ApiMethod } from '../../../shared/api';
import type { Core } from '../core';
import type { KeyProtector } from '../key-store';
import { invokeIdOf, parseMainToCore, type CoreToMainMessage } from './core-port-protocol';
import { wrappingKeyProtector } from './wrapping-key-protector';

export interface CorePort {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(message: CoreToMainMessage): void;
}

/** What the host needs of a core. */
export type ServedCore = Pick<Core, 'deviceId' | 'invoke' | 'subscribe' | 'close'>;

export type OpenCore = (dataDir: string, keyProtector: KeyProtector) => ServedCore;

export interface ServeOptions {
  /** Called once the core is closed after a `close` message (the utility process exits there). */
  onClosed?: () => void;
  /** A message that breaks the protocol and cannot be answered. */
  onProtocolError?: (problem: string) => void;
}

type State = { kind: 'waiting' } | { kind: 'open'; core: ServedCore; unsubscribe: () => void } | { kind: 'closed' };

export function serveCoreOverPort(port: CorePort, openCore: OpenCore, options: ServeOptions = {}): void {
  const onProtocolError = options.onProtocolError ?? ((problem: string) => console.error(`sitrep core: ${problem}`));
  let state: State = { kind: 'waiting' };

  const post = (message: CoreToMainMessage) => port.postMessage(message);
  const postError = (id: number, error: SerializedError) => post({ type: 'result', id, ok: false, error });

  const open = (dataDir: string, wrappingKey: Uint8Array) => {
    if (state.kind !== 'waiting') {
      onProtocolError(`'open' received while the core is ${state.kind}; ignored`);
      return;
    }
    let core: ServedCore;
    try {
      core = openCore(dataDir, wrappingKeyProtector(wrappingKey));
    } catch (error) {
      state = { kind: 'closed' };
      post({ type: 'fatal', error: serializeHostError(error) });
      return;
    }
    const unsubscribe = core.subscribe((event: ApiEvent) => post({ type: 'event', event }));
    state = { kind: 'open', core, unsubscribe };
    post({ type: 'ready', deviceId: core.deviceId });
  };

  const invoke = async (id: number, method: ApiMethod, args: unknown) => {
    if (state.kind !== 'open') {
      postError(id, { code: 'internal', message: `the core is ${state.kind === 'waiting' ? 'not open yet' : 'closed'}`, details: [] });
      return;
    }
    let value: unknown;
    try {
      // The core validates args with the api contract's schema for `method`.
      value = await state.core.invoke(method, args as ApiArgs<ApiMethod>);
    } catch (error) {
      postError(id, serializeHostError(error));
      return;
    }
    try {
      post({ type: 'result', id, ok: true, value });
    } catch (error) {
      postError(id, { code: 'internal', message: `${method}: the result could not be sent (${(error as Error).message})`, details: [] });
    }
  };

  const close = () => {
    if (state.kind === 'open') {
      state.unsubscribe();
      const { core } = state;
      state = { kind: 'closed' };
      core.close();
    }
    state = { kind: 'closed' };
    options.onClosed?.();
  };

  port.on('message', (raw: unknown) => {
    const parsed = parseMainToCore(raw);
    if (!parsed.ok) {
      const id = invokeIdOf(raw);
      if (id === undefined) onProtocolError(`invalid message refused: ${parsed.problem}`);
      else postError(id, { code: 'invalid-argument', message: `invalid invoke: ${parsed.problem}`, details: [parsed.problem] });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'open':
        return open(message.dataDir, message.wrappingKey);
      case 'invoke':
        return void invoke(message.id, message.method, message.args);
      case 'close':
        return close();
    }
  });
}

/**
 * serializeError, keeping the code of errors that carry one of the api's codes without being a
 * SitrepError (the key store's KeyStoreError 'key-store-unreadable').
 */
export function serializeHostError(error: unknown): SerializedError {
  const serialized = serializeError(error);
  if (serialized.code !== 'internal' || !(error instanceof Error)) return serialized;
  const code = (error as { code?: unknown }).code;
  return ERROR_CODES.includes(code as ErrorCode) ? { ...serialized, code: code as ErrorCode } : serialized;
}
