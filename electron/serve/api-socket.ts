/**
 * The api over a WebSocket for browser mode (protocol: shared/api-socket-protocol.ts).
 *
 * Invariants: the upgrade is refused unless the path is the api path, the Host is one we serve, the
 * Origin is our own origin and the session cookie is valid; a read session reaches only
 * READ_METHODS; the test clock can be set only when serve was started with --test-clock and the
 * frame carries that run's test-clock token; every call is still validated by the core itself.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isApiMethod, READ_METHODS, type ApiEvent } from '../../shared/api';
import { API_SOCKET_PATH, clientFrameSchema, MAX_API_FRAME_BYTES, type ServerFrame } from '../../shared/api-socket-protocol';
import { SitrepError, serializeError } from '../../shared/errors';
import type { Core } from '../core/core';
import { hostAllowed, originAllowed, type ServedHost } from './request-guard';
import { readSessionCookie, type Access, type Sessions } from './sessions';

export interface ApiSocketOptions {
  core: Pick<Core, 'invoke' | 'subscribe'>;
  sessions: Sessions;
  served: ServedHost;
  allowedHosts: Set<string>;
  /** The access a request may have, given its session and where it comes from. */
  effectiveAccess(req: IncomingMessage, access: Access | undefined): Access | undefined;
  /** Present only with --test-clock. */
  setClock?: (now: number) => void;
}

export interface ApiSocket {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

const refuseUpgrade = (socket: Duplex, status: string) => {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

export function createApiSocket(o: ApiSocketOptions): ApiSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_API_FRAME_BYTES });

  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  async function answer(ws: WebSocket, access: Access, raw: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    const frame = clientFrameSchema.safeParse(json);
    if (!frame.success) {
      const id = (json as { id?: unknown })?.id;
      if (typeof id === 'number') {
        send(ws, { type: 'result', id, ok: false, error: serializeError(new SitrepError('invalid-argument', 'malformed api frame')) });
      }
      return;
    }
    const f = frame.data;
    try {
      if (f.type === 'set-clock') {
        if (!o.setClock || f.token !== o.sessions.testClockToken) {
          throw new SitrepError('read-only', 'setting the clock needs `sitrep serve --test-clock` and its token');
        }
        o.setClock(f.now);
        send(ws, { type: 'result', id: f.id, ok: true, value: null });
        return;
      }
      if (!isApiMethod(f.method)) throw new SitrepError('invalid-argument', `unknown method "${f.method}"`);
      if (access === 'read' && !READ_METHODS.has(f.method)) {
        throw new SitrepError('read-only', `this is a read-only view: ${f.method} is not allowed`);
      }
      const value = await o.core.invoke(f.method, f.args as never);
      send(ws, { type: 'result', id: f.id, ok: true, value });
    } catch (error) {
      send(ws, { type: 'result', id: f.id, ok: false, error: serializeError(error) });
    }
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== API_SOCKET_PATH) return refuseUpgrade(socket, '404 Not Found');
      if (!hostAllowed(req.headers.host, o.allowedHosts)) return refuseUpgrade(socket, '421 Misdirected Request');
      if (!originAllowed(req.headers.origin, req.headers.host, o.served)) return refuseUpgrade(socket, '403 Forbidden');
      const access = o.effectiveAccess(req, o.sessions.accessOf(readSessionCookie(req.headers.cookie)));
      if (!access) return refuseUpgrade(socket, '401 Unauthorized');
      wss.handleUpgrade(req, socket, head, (ws) => {
        const unsubscribe = o.core.subscribe((event: ApiEvent) => send(ws, { type: 'event', event }));
        ws.on('close', unsubscribe);
        ws.on('message', (data, isBinary) => {
          if (!isBinary) void answer(ws, access, data.toString());
        });
        send(ws, { type: 'hello', access, testClock: o.setClock !== undefined });
      });
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
