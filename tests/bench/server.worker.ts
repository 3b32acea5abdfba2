/**
 * A server in its own worker thread, so it never shares an event loop with the clients measuring
 * it: the real relay (electron/relay/server.ts startRelay) or one of its raw `ws` ceilings.
 *
 * workerData.kind:
 * - 'relay': startRelay on 127.0.0.1, port 0, in workerData.dataDir, with workerData.limits.
 * - 'raw-broadcast': a bare `ws` server; a socket on path /send is the sender, every other socket
 *   a receiver. Each message from the sender is sent as is to every receiver, then a fixed `ack`
 *   frame goes back to the sender: the least a broadcasting server can do with the same bytes.
 * - 'raw-transfer': a bare `ws` server that answers any message with the frames it was given
 *   (workerData.frames), back to back: the raw transfer of a catch-up's bytes.
 * Requests: { cmd: 'stop' } closes the server (every socket first).
 */
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { WebSocketServer, type WebSocket } from 'ws';
import { startRelay, type RunningRelay } from '../../electron/relay/server';
import type { RelayLimits } from '../../electron/relay/relay';
import { encodeFrame, MAX_MESSAGE_BYTES } from '../../shared/sync/protocol';
import { LOOPBACK, serveRequests } from './bench-net';

interface Data {
  kind: 'relay' | 'raw-broadcast' | 'raw-transfer';
  dataDir?: string;
  limits?: Partial<RelayLimits>;
  frames?: Uint8Array[];
}

const data = workerData as Data;
let relay: RunningRelay | undefined;
let wss: WebSocketServer | undefined;

async function start(): Promise<number> {
  if (data.kind === 'relay') {
    relay = await startRelay({ dataDir: data.dataDir!, port: 0, host: LOOPBACK, limits: data.limits, log: () => undefined });
    return relay.port;
  }
  const server = new WebSocketServer({ host: LOOPBACK, port: 0, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES });
  wss = server;
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  if (data.kind === 'raw-broadcast') {
    const receivers = new Set<WebSocket>();
    const ack = encodeFrame('ack', { page: 0, stored: 1, heads: {} });
    server.on('connection', (ws, req) => {
      if (req.url === '/send') {
        ws.on('message', (message: Buffer) => {
          for (const r of receivers) r.send(message, { binary: true });
          ws.send(ack, { binary: true });
        });
        return;
      }
      receivers.add(ws);
      ws.on('close', () => receivers.delete(ws));
      // Registered: a receiver starts counting once it hears this.
      ws.send(encodeFrame('caught-up', { headRelaySeq: 0 }), { binary: true });
    });
  } else {
    const frames = data.frames!;
    server.on('connection', (ws) => {
      ws.on('message', () => {
        for (const frame of frames) ws.send(frame, { binary: true });
      });
    });
  }
  return (server.address() as AddressInfo).port;
}

async function stop(): Promise<void> {
  await relay?.close();
  const server = wss;
  if (server) {
    for (const ws of server.clients) ws.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const ready = start();
serveRequests(parentPort!, async (m) => {
  if (m.cmd === 'port') return { reply: { port: await ready } };
  if (m.cmd === 'stop') {
    await ready;
    await stop();
    return;
  }
  throw new Error(`server worker: unknown command ${String(m.cmd)}`);
});
