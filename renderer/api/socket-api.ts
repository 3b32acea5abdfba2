/**
 * The api contract over browser mode's WebSocket (shared/api-socket-protocol.ts). Calls made while
 * the socket is (re)connecting wait for it; a lost socket reconnects with backoff, and every call in
 * flight is failed with a typed error so the UI never waits forever.
 */
import type { ApiArgs, ApiEvent, ApiMethod, ApiResult } from '../../shared/api';
import { API_SOCKET_PATH, type ServerFrame } from '../../shared/api-socket-protocol';
import { deserializeError, SitrepError } from '../../shared/errors';
import type { ConsoleApi } from './console-api';

const RECONNECT_BASE_MS = 250;
const RECONNECT_CAP_MS = 5_000;

export function connectSocketApi(location: Pick<Location, 'protocol' | 'host'>): Promise<ConsoleApi> {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${API_SOCKET_PATH}`;
  const listeners = new Set<(event: ApiEvent) => void>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let socket: WebSocket;
  let ready: Promise<void>;
  let attempt = 0;
  let hello: { access: 'write' | 'read'; testClock: boolean } | undefined;

  return new Promise((resolveApi, rejectApi) => {
    const open = () => {
      ready = new Promise<void>((resolveReady) => {
        socket = new WebSocket(url);
        socket.onmessage = (message) => {
          const frame = JSON.parse(String(message.data)) as ServerFrame;
          if (frame.type === 'hello') {
            const first = hello === undefined;
            hello = { access: frame.access, testClock: frame.testClock };
            attempt = 0;
            resolveReady();
            if (first) resolveApi(api);
            else for (const l of listeners) l({ type: 'incidents-changed' });
          } else if (frame.type === 'event') {
            for (const l of listeners) l(frame.event);
          } else {
            const call = pending.get(frame.id);
            pending.delete(frame.id);
            if (!call) return;
            if (frame.ok) call.resolve(frame.value);
            else call.reject(deserializeError(frame.error));
          }
        };
        socket.onclose = () => {
          for (const call of pending.values()) call.reject(new SitrepError('internal', 'the connection to the console was lost; try again'));
          pending.clear();
          if (hello === undefined && attempt > 3) {
            rejectApi(new SitrepError('internal', 'cannot reach the Sitrep console; open the link that sitrep serve printed'));
            return;
          }
          const delay = Math.random() * Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** attempt++);
          setTimeout(open, delay);
        };
      });
    };

    const send = async (frame: { id: number; type: string; [key: string]: unknown }): Promise<unknown> => {
      await ready;
      return new Promise((resolve, reject) => {
        pending.set(frame.id, { resolve, reject });
        socket.send(JSON.stringify(frame));
      });
    };

    const api: ConsoleApi = {
      get access() {
        return hello?.access ?? 'read';
      },
      invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>) {
        return send({ type: 'invoke', id: nextId++, method, args }) as Promise<ApiResult<M>>;
      },
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    open();
  });
}
