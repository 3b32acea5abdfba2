/**
 * The relay's sockets: an http (or, with a certificate and key, https) server whose WebSocket
 * connections are handed to relay.ts, which decides everything else.
 *
 * Invariants: listens on 127.0.0.1 unless a host is given; permessage-deflate is off (ciphertext
 * does not compress, and zlib per socket is a memory risk) and a message is at most
 * MAX_MESSAGE_BYTES; a socket silent for `deadAfterMs` is terminated, one that has not said hello
 * within HELLO_DEADLINE_MS is closed, and every live one gets an application ping each
 * `heartbeatMs`; the WAL is checkpointed (TRUNCATE) periodically and at close; close() closes the
 * sockets first and the store last, so nothing is acked that is not stored.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { nodeCrypto } from '../crypto';
import { CLOSE_CODES, DEAD_AFTER_MS, encodeFrame, HEARTBEAT_MS, MAX_MESSAGE_BYTES } from '../../shared/sync/protocol';
import { createRelay, type RelayConnection, type RelayLimits, type Transport } from './relay';
import { checkpoint, closeRelayStore, openRelayStore } from './store';

export interface RelayServerOptions {
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Listen on this address or name instead of 127.0.0.1. */
  host?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** The relay's clock (relayTime, rate limits, skew flags); liveness always uses the real clock. */
  now?: () => number;
  limits?: Partial<RelayLimits>;
  heartbeatMs?: number;
  deadAfterMs?: number;
  log?: (line: string) => void;
}

export interface RunningRelay {
  port: number;
  /** ws://host:port/ or wss://host:port/ */
  url: string;
  relayId: string;
  epoch: string;
  close(): Promise<void>;
}

const LOOPBACK = '127.0.0.1';
/** A connection must have said hello by then. */
const HELLO_DEADLINE_MS = 30_000;
const CHECKPOINT_EVERY_MS = 60_000;
/** Below this many unsent bytes a transport counts as drained… */
const SEND_LOW_WATER_BYTES = 1024 * 1024;
/** …checked this often while it is not. */
const DRAIN_POLL_MS = 10;
/** How long close() lets sockets finish their closing handshake before cutting them. */
const CLOSE_GRACE_MS = 1_000;

interface Socket {
  ws: WebSocket;
  connection: RelayConnection;
  openedAt: number;
  lastHeard: number;
}

function transportOf(ws: WebSocket): Transport {
  return {
    send: (frame) => {
      if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
    },
    close: (code, reason) => ws.close(code, reason),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    drained: () =>
      new Promise<void>((resolve) => {
        const check = () => (ws.readyState !== ws.OPEN || ws.bufferedAmount <= SEND_LOW_WATER_BYTES ? resolve() : setTimeout(check, DRAIN_POLL_MS));
        setImmediate(check);
      }),
  };
}

export async function startRelay(o: RelayServerOptions): Promise<RunningRelay> {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new TypeError('--tls-cert and --tls-key go together');
  const tls = o.tlsCert !== undefined && o.tlsKey !== undefined ? { cert: fs.readFileSync(o.tlsCert), key: fs.readFileSync(o.tlsKey) } : undefined;
  const log = o.log ?? ((line: string) => console.error(line));
  const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
  const deadAfterMs = o.deadAfterMs ?? DEAD_AFTER_MS;
  const db = openRelayStore(o.dataDir, o.now);
  const relay = createRelay({ db, crypto: nodeCrypto, now: o.now, limits: o.limits, log });

  const onRequest = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' });
    res.end('This is a Sitrep relay: it speaks only WebSocket.\n');
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<Socket>();

  wss.on('connection', (ws) => {
    const socket: Socket = { ws, connection: relay.connect(transportOf(ws)), openedAt: Date.now(), lastHeard: Date.now() };
    sockets.add(socket);
    ws.on('message', (data: Buffer) => {
      socket.lastHeard = Date.now();
      socket.connection.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    });
    ws.on('pong', () => (socket.lastHeard = Date.now()));
    // ws reports protocol violations (an oversized message: 1009) here, then closes the socket.
    ws.on('error', () => undefined);
    ws.on('close', () => {
      sockets.delete(socket);
      socket.connection.closed();
    });
  });

  const heartbeat = setInterval(() => {
    const t = Date.now();
    for (const s of sockets) {
      if (t - s.lastHeard > deadAfterMs) s.ws.terminate();
      else if (!s.connection.authenticated && t - s.openedAt > HELLO_DEADLINE_MS) s.ws.close(CLOSE_CODES.refused, 'no hello');
      else if (s.ws.readyState === s.ws.OPEN) s.ws.send(encodeFrame('ping', { t }), { binary: true });
    }
  }, heartbeatMs);
  const checkpoints = setInterval(() => {
    try {
      checkpoint(db);
    } catch (error) {
      log(`relay: checkpoint failed: ${String(error)}`);
    }
  }, CHECKPOINT_EVERY_MS);
  heartbeat.unref();
  checkpoints.unref();

  const host = o.host ?? LOOPBACK;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, host, () => resolve());
    });
  } catch (error) {
    clearInterval(heartbeat);
    clearInterval(checkpoints);
    closeRelayStore(db);
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `${tls ? 'wss' : 'ws'}://${shownHost}:${port}/`,
    relayId: relay.relayId,
    epoch: relay.epoch,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(checkpoints);
        relay.closeAll();
        await new Promise<void>((resolve) => {
          const deadline = Date.now() + CLOSE_GRACE_MS;
          const wait = () => {
            if (sockets.size === 0 || Date.now() > deadline) return resolve();
            setTimeout(wait, DRAIN_POLL_MS);
          };
          wait();
        });
        for (const s of sockets) s.ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        closeRelayStore(db);
      })();
      return closing;
    },
  };
}
