/**
 * What the network benchmarks share: a clock that agrees across worker threads, TypeScript worker
 * threads, a light protocol client (a real WebSocket speaking shared/sync/protocol.ts, with no
 * sync logic and no store: it says hello, catches up, answers pings and counts what arrives), and
 * a real incident's keys and signed ops built without a core.
 *
 * Everything listens and dials on 127.0.0.1 only. Nothing here imports vitest: the benchmarks run
 * under plain tsx (`npm run bench`).
 */
import { Worker } from 'node:worker_threads';
import { v7 as uuidv7 } from 'uuid';
import WebSocket from 'ws';
import { nodeCrypto as c } from '../../electron/crypto';
import { encodePayload, GENESIS_PAYLOAD, PAYLOAD_SCHEMA_VERSION } from '../../shared/model/op-payload';
import { utf8Encode } from '../../shared/sync/bytes';
import type { SigningKey } from '../../shared/sync/crypto';
import { deriveReadSecret, issueCertificate, readerKeys, writerKeys, type WriterKeys } from '../../shared/sync/incident-keys';
import { encodeOp, opHash, ZERO_HASH } from '../../shared/sync/op-envelope';
import {
  decodeFrame,
  encodeFrame,
  fromBase64,
  helloMessage,
  MAX_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  toBase64,
  type Frame,
  type FrameHeader,
  type FrameType,
} from '../../shared/sync/protocol';

export const LOOPBACK = '127.0.0.1';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between worker threads. */
export const absNow = (): number => performance.timeOrigin + performance.now();

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every `everyMs` until it holds, or throws after `limitMs` naming `what`. */
export async function until(condition: () => boolean, what: string, limitMs = 60_000, everyMs = 5): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`bench: gave up waiting for ${what} after ${limitMs} ms`);
    await sleep(everyMs);
  }
}

// ——— Worker threads running TypeScript ———

const TSX_API = import.meta.resolve('tsx/esm/api');

/** A worker that answers `{ id, ... }` requests with `{ id, ... }` replies (or `{ id, error }`). */
export interface BenchWorker {
  request<R = Record<string, unknown>>(message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<R>;
  terminate(): Promise<void>;
}

/** Starts `file` (a .ts module) in a worker thread, with tsx registered there too. */
export function startWorker(file: URL, workerData: unknown): BenchWorker {
  const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  const worker = new Worker(boot, { eval: true, workerData });
  const waiting = new Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; error?: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m as never);
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', (code) => failAll(new Error(`bench worker ${file.pathname} exited (${code})`)));
  return {
    request(message, transfer = []) {
      if (failure) return Promise.reject(failure);
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage({ ...message, id }, transfer);
      });
    },
    async terminate() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

/** The worker side of `request`: each message is handled by `handle`, its result posted back with the id. */
export function serveRequests(
  port: { on(event: 'message', fn: (m: Record<string, unknown> & { id: number }) => void): void; postMessage(m: unknown, transfer?: ArrayBuffer[]): void },
  handle: (message: Record<string, unknown>) => Promise<{ reply?: Record<string, unknown>; transfer?: ArrayBuffer[] } | void>,
): void {
  port.on('message', (m) => {
    handle(m).then(
      (r) => port.postMessage({ ...(r?.reply ?? {}), id: m.id }, r?.transfer ?? []),
      (error: unknown) => port.postMessage({ id: m.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}

// ——— Reading frames without the JSON: the hot path of a light receiver ———

const OPS_FRAME = 8;
const PUSH_FRAME = 4;
/** Offset of `seq` (u64) in an op envelope (shared/sync/op-envelope.ts). */
const SEQ_AT = 34;

/**
 * For an `ops` or `push` frame, calls `each(seq)` for every op it carries and returns how many;
 * for any other frame returns -1. Reads the blob table only (the header JSON is skipped): the
 * same few reads for the relay's frames and for the raw ceiling's copies of them.
 */
export function forEachOpSeq(bytes: Uint8Array, each: (seq: number) => void): number {
  const type = bytes[0];
  if (type !== OPS_FRAME && type !== PUSH_FRAME) return -1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 1;
  at += 4 + view.getUint32(at);
  const count = view.getUint16(at);
  at += 2;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(at);
    at += 4;
    // seq < 2^32 in every benchmark: its low word is enough.
    each(view.getUint32(at + SEQ_AT + 4));
    at += length;
  }
  return count;
}

// ——— A light protocol client ———

export interface ClientHello {
  incidentId: string;
  writeAuthority: Uint8Array;
  /** Writers sign with their device key and show their certificate; readers sign with RA. */
  as: 'writer' | 'reader';
  key: SigningKey;
  certificate?: Uint8Array;
  /** For the writer that creates the incident on this relay. */
  genesis?: Uint8Array;
}

/**
 * One WebSocket to a relay (or to a raw ceiling server): control frames are decoded in full and
 * queued; `onData` sees every message first (return true to consume it).
 */
export class LightClient {
  readonly frames: Frame[] = [];
  onData: ((bytes: Uint8Array) => boolean) | null = null;
  closed = false;
  private wake: (() => void) | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (this.onData?.(bytes)) return;
      let frame: Frame;
      try {
        frame = decodeFrame(bytes);
      } catch {
        return;
      }
      if (frame.type === 'ping') return this.send('pong', { t: frame.header.t });
      this.frames.push(frame);
      this.wake?.();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
    ws.on('error', () => undefined);
  }

  static open(url: string): Promise<LightClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES });
    const client = new LightClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send<T extends FrameType>(type: T, header: FrameHeader<T>, blobs: readonly Uint8Array[] = []): void {
    this.ws.send(encodeFrame(type, header, blobs));
  }

  /** The next queued frame of `type`; an error frame instead is thrown (rate-limited is returned). */
  async next<T extends FrameType>(type: T, limitMs = 60_000): Promise<Extract<Frame, { type: T }>> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const i = this.frames.findIndex((f) => f.type === type || f.type === 'error');
      if (i >= 0) {
        const [frame] = this.frames.splice(i, 1);
        if (frame.type === 'error' && type !== 'error') throw new BenchRelayError(frame.header);
        return frame as Extract<Frame, { type: T }>;
      }
      if (this.closed) throw new Error(`bench: the socket closed while waiting for a ${type} frame`);
      if (Date.now() > deadline) throw new Error(`bench: no ${type} frame within ${limitMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** challenge → hello → welcome. */
  async hello(h: ClientHello): Promise<FrameHeader<'welcome'>> {
    const challenge = await this.next('challenge');
    const nonce = fromBase64(challenge.header.nonce);
    this.send(
      'hello',
      {
        protocol: PROTOCOL_VERSION,
        incident: h.incidentId,
        writeAuthority: toBase64(h.writeAuthority),
        as: h.as,
        key: toBase64(h.key.publicKey),
        signature: toBase64(h.key.sign(helloMessage(nonce, h.incidentId, h.key.publicKey))),
        ...(h.certificate && { certificate: toBase64(h.certificate) }),
        cursor: null,
        have: {},
      },
      h.genesis ? [h.genesis] : [],
    );
    return (await this.next('welcome')).header;
  }

  /** catch-up from 0 → caught-up (the relay then sends this connection live ops); retries when told to. */
  async subscribe(): Promise<void> {
    for (;;) {
      this.send('catch-up', { after: 0 });
      try {
        await this.next('caught-up');
        this.frames.length = 0;
        return;
      } catch (error) {
        if (!(error instanceof BenchRelayError) || error.header.code !== 'rate-limited') throw error;
        await sleep(error.header.retryAfterMs ?? 100);
      }
    }
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }
}

export class BenchRelayError extends Error {
  constructor(readonly header: FrameHeader<'error'>) {
    super(`relay error ${header.code}: ${header.message}`);
  }
}

/** Opens `count` sockets, `wave` at a time, each set up by `setup`. */
export async function openMany<T>(count: number, wave: number, setup: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += wave) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(wave, count - i) }, (_, j) => setup(i + j)))));
  }
  return out;
}

// ——— A real incident, built without a core ———

export interface BenchIncident {
  incidentId: string;
  keys: WriterKeys;
  readSecret: Uint8Array;
  genesis: Uint8Array;
}

export function benchIncident(): BenchIncident {
  const writeSecret = c.randomBytes(32);
  const keys = writerKeys(c, writeSecret);
  const incidentId = uuidv7();
  const genesis = encodeOp(c, {
    type: 'genesis',
    incidentId,
    seq: 1,
    hlc: { ms: Date.now(), counter: 0 },
    prev: ZERO_HASH,
    clockOffsetMs: 0,
    devicePublicKey: keys.writeAuthority.publicKey,
    readAuthorityPublicKey: keys.readAuthority.publicKey,
    payload: utf8Encode(GENESIS_PAYLOAD),
    contentKey: keys.contentKey,
    signer: keys.writeAuthority,
  });
  return { incidentId, keys, readSecret: deriveReadSecret(c, writeSecret), genesis };
}

export interface BenchWriter {
  key: SigningKey;
  certificate: Uint8Array;
}

export function benchWriter(incident: BenchIncident): BenchWriter {
  const key = c.signingKeyFromSeed(c.randomBytes(32));
  return { key, certificate: issueCertificate(incident.keys.writeAuthority, key.publicKey, incident.incidentId) };
}

/** `count` signed timeline entries of `writer`, seq 1..count, each about the size of a typed note. */
export function writerOps(incident: BenchIncident, writer: BenchWriter, count: number): Uint8Array[] {
  const ops: Uint8Array[] = [];
  let prev = ZERO_HASH;
  const t0 = Date.now();
  for (let seq = 1; seq <= count; seq++) {
    const at = t0 + seq;
    const bytes = encodeOp(c, {
      type: 'op',
      incidentId: incident.incidentId,
      seq,
      hlc: { ms: at, counter: 0 },
      prev,
      clockOffsetMs: 0,
      devicePublicKey: seq === 1 ? writer.key.publicKey : undefined,
      certificate: seq === 1 ? writer.certificate : undefined,
      payload: encodePayload({
        schema: PAYLOAD_SCHEMA_VERSION,
        at,
        by: 'Bench responder',
        kind: 'entry.add',
        entry: { id: uuidv7({ msecs: at }), kind: 'note', text: `checked web-${seq % 97}: p99 latency back under 300 ms (${seq})`, occurredAt: at },
      }),
      contentKey: incident.keys.contentKey,
      signer: writer.key,
    });
    ops.push(bytes);
    prev = opHash(c, bytes);
  }
  return ops;
}

export const readerKey = (incident: BenchIncident): SigningKey => readerKeys(c, incident.readSecret).readAuthority;
