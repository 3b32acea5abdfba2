/**
 * A bare relay client for tests: a real WebSocket speaking shared/sync/protocol.ts frame by frame,
 * with no sync logic of its own, so a test says exactly what goes on the wire and waits for what
 * comes back. Waiting polls for a condition (a frame arrived, the socket closed); the only time
 * limit is a generous one that turns a hang into a failure.
 */
import WebSocket from 'ws';
import { nodeCrypto as c } from '../../electron/crypto';
import type { SigningKey } from '../../shared/sync/crypto';
import {
  decodeFrame,
  encodeFrame,
  fromBase64,
  helloMessage,
  PROTOCOL_VERSION,
  toBase64,
  type Frame,
  type FrameHeader,
  type FrameType,
} from '../../shared/sync/protocol';

/** Long enough for any legitimate answer on a loaded machine; only a hang reaches it. */
const WAIT_LIMIT_MS = 20_000;

export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>;

const clients = new Set<RelayTestClient>();

export class RelayTestClient {
  /** Every frame received, in order. */
  readonly frames: Frame[] = [];
  /** Messages the client could not decode (the relay must never send one). */
  readonly undecodable: Uint8Array[] = [];
  closedWith: { code: number; reason: string } | undefined;
  /** Answer the relay's application pings, as a live client does. */
  answerPings = false;
  private readonly taken = new Set<number>();
  private wake: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      try {
        const frame = decodeFrame(new Uint8Array(bytes));
        this.frames.push(frame);
        if (this.answerPings && frame.type === 'ping') this.send('pong', { t: frame.header.t });
      } catch {
        this.undecodable.push(bytes);
      }
      this.notify();
    });
    ws.on('close', (code, reason) => {
      this.closedWith = { code, reason: reason.toString() };
      this.notify();
    });
    ws.on('error', () => undefined);
  }

  /** `ca`: the certificate to trust for a wss:// relay with a self-signed one. */
  static async connect(url: string, options: { ca?: Buffer } = {}): Promise<RelayTestClient> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024, ...options });
    const client = new RelayTestClient(ws);
    clients.add(client);
    await client.take('challenge');
    return client;
  }

  get challenge(): FrameHeader<'challenge'> {
    return (this.frames.find((f) => f.type === 'challenge') as FrameOf<'challenge'>).header;
  }

  send<T extends FrameType>(type: T, header: FrameHeader<T>, blobs: readonly Uint8Array[] = []): void {
    this.ws.send(encodeFrame(type, header, blobs));
  }

  sendRaw(bytes: Uint8Array): void {
    this.ws.send(bytes);
  }

  /** Resolves when `condition` holds (checked after every frame and close). */
  async until<R>(condition: () => R | undefined, what: string): Promise<R> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    for (;;) {
      const result = condition();
      if (result !== undefined) return result;
      if (Date.now() > deadline) {
        const seen = this.frames.map((f) => (f.type === 'error' ? `error(${f.header.code}: ${f.header.message})` : f.type)).join(', ');
        throw new Error(`waited in vain for ${what}; frames: ${seen}; closed: ${JSON.stringify(this.closedWith)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The first frame of `type` (matching `match`) not taken yet; marks it taken. */
  take<T extends FrameType>(type: T, match: (frame: FrameOf<T>) => boolean = () => true): Promise<FrameOf<T>> {
    return this.until(() => {
      const i = this.frames.findIndex((f, index) => !this.taken.has(index) && f.type === type && match(f as FrameOf<T>));
      if (i < 0) return undefined;
      this.taken.add(i);
      return this.frames[i] as FrameOf<T>;
    }, `a ${type} frame`);
  }

  error(code?: string): Promise<FrameOf<'error'>> {
    return this.take('error', (f) => code === undefined || f.header.code === code);
  }

  closed(): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closedWith, 'the socket to close');
  }

  /** The ops received in `ops` frames so far (every one, taken or not), with their relay seqs. */
  opsReceived(): { relaySeq: number; envelope: Uint8Array }[] {
    return this.frames.flatMap((f) => (f.type === 'ops' ? f.blobs.map((envelope, i) => ({ relaySeq: f.header.relaySeqs[i], envelope })) : []));
  }

  /** A ping answered: everything sent before it has been handled. */
  async roundTrip(): Promise<void> {
    const t = Math.random();
    this.send('ping', { t });
    await this.take('pong', (f) => f.header.t === t);
  }

  close(): void {
    this.ws.close();
  }

  private notify(): void {
    for (const wake of this.wake.splice(0)) wake();
  }
}

export interface WriterHello {
  incidentId: string;
  writeAuthority: Uint8Array;
  deviceKey: SigningKey;
  certificate?: Uint8Array;
  genesis?: Uint8Array;
  /** Signs this nonce instead of the relay's (to test a bad signature). */
  nonce?: Uint8Array;
}

export function helloAsWriter(client: RelayTestClient, h: WriterHello): void {
  const nonce = h.nonce ?? fromBase64(client.challenge.nonce);
  client.send(
    'hello',
    {
      protocol: PROTOCOL_VERSION,
      incident: h.incidentId,
      writeAuthority: toBase64(h.writeAuthority),
      as: 'writer',
      key: toBase64(h.deviceKey.publicKey),
      signature: toBase64(h.deviceKey.sign(helloMessage(nonce, h.incidentId, h.deviceKey.publicKey))),
      ...(h.certificate && { certificate: toBase64(h.certificate) }),
      cursor: null,
      have: {},
    },
    h.genesis ? [h.genesis] : [],
  );
}

export function helloAsReader(client: RelayTestClient, h: { incidentId: string; writeAuthority: Uint8Array; readAuthority: SigningKey }): void {
  const nonce = fromBase64(client.challenge.nonce);
  client.send('hello', {
    protocol: PROTOCOL_VERSION,
    incident: h.incidentId,
    writeAuthority: toBase64(h.writeAuthority),
    as: 'reader',
    key: toBase64(h.readAuthority.publicKey),
    signature: toBase64(h.readAuthority.sign(helloMessage(nonce, h.incidentId, h.readAuthority.publicKey))),
    cursor: null,
    have: {},
  });
}

/** A hash as an error frame's details carry it. */
export const hexHash = (bytes: Uint8Array): string => Buffer.from(c.sha256(bytes)).toString('hex');

afterAll(async () => {
  for (const client of clients) client.ws.terminate();
  clients.clear();
});
