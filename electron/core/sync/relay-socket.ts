/**
 * How a SyncClient reaches its relay: one ordered, message-oriented connection per call. The
 * default is a `ws` WebSocket; tests pass a simulated network (tests/support/network-sim) that
 * runs the relay's logic in-process on a scheduler they control.
 *
 * Invariants: events are never emitted from inside `openRelaySocket` itself (always later, as a
 * socket does), `open` comes before any `message`, and `close` comes last, once; `send` on a
 * socket that is not open drops the frame.
 */
import WebSocket from 'ws';

export interface RelaySocket {
  /** Open, and not yet closed or terminated: only then are frames sent. */
  readonly isOpen: boolean;
  send(frame: Uint8Array): void;
  /** A polite close: what was sent goes out first. */
  close(): void;
  /** Drops the connection at once. */
  terminate(): void;
}

export interface RelaySocketEvents {
  open(): void;
  message(bytes: Uint8Array, isBinary: boolean): void;
  error(error: Error): void;
  close(code: number): void;
}

export type OpenRelaySocket = (url: string, options: { maxPayload: number; handshakeTimeoutMs: number }, on: RelaySocketEvents) => RelaySocket;

export const openWebSocket: OpenRelaySocket = (url, options, on) => {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: options.maxPayload, handshakeTimeout: options.handshakeTimeoutMs });
  ws.on('open', () => on.open());
  ws.on('message', (data: Buffer, isBinary: boolean) => on.message(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), isBinary));
  ws.on('error', (error: Error) => on.error(error));
  ws.on('close', (code: number) => on.close(code));
  return {
    get isOpen() {
      return ws.readyState === WebSocket.OPEN;
    },
    send: (frame) => ws.send(frame),
    close: () => ws.close(),
    terminate: () => ws.terminate(),
  };
};
