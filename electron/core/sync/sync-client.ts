/**
 * One shared incident's connection to its relay (DESIGN.md §5 "Relay", protocol.ts): the client
 * side of the protocol, from the challenge to live ops, reconnecting forever with backoff.
 *
 * A connection runs: challenge → hello (signed over the relay's nonce) → welcome (heads compared,
 * clock offset measured) → prelude (this device's own ops the relay holds and this store lacks are
 * downloaded first, so a restored store never writes over them) → catch-up from the cursor in pages
 * → caught-up → live. Pushes (what the relay lacks, by heads) run one page at a time from the
 * welcome on; `need` asks for a device's ops by seq. Only one request stream is open at a time, so
 * every `ops` frame is known to answer a need or to belong to the catch-up/live stream.
 *
 * Invariants:
 * - No lost op: the store is the outbox. Whatever the relay has not acknowledged holding is pushed
 *   on every connection, after a restart too; nothing is dropped because a socket died.
 * - No double effect: a page is applied through core.ingest in one transaction, with its arrival
 *   marks, the relay's heads and the cursor; an op already held changes nothing.
 * - Cursor never ahead of data: it advances only with stream pages whose every op is held (or is
 *   an equivocator's, deliberately ignored), and stops below an op that could not be applied.
 * - Chains intact: only ops that continue a held chain are applied (op-intake.ts); a fork of this
 *   device's own chain is resolved by the manager (identity-move.ts) before anything else applies.
 * - A relay that lost its data (new epoch) loses the cursor and the relay's heads; it is re-seeded
 *   by heads, genesis first, each device's ops in seq order.
 * - Timers use the real clock; the device clock (`ctx.now`, which tests fake) only stamps data.
 */
import { SitrepError } from '../../../shared/errors';
import type { SyncStatus } from '../../../shared/model/views';
import { hexToBytes } from '../../../shared/sync/bytes';
import { decodeOp } from '../../../shared/sync/op-envelope';
import {
  CLOSE_CODES,
  decodeFrame,
  encodeFrame,
  fromBase64,
  MAX_MESSAGE_BYTES,
  MAX_PAGE_OPS,
  PROTOCOL_VERSION,
  ProtocolError,
  type Frame,
  type FrameHeader,
  type FrameType,
} from '../../../shared/sync/protocol';
import type { CoreContext } from '../core-context';
import type { IngestOptions, StoredOp } from '../op-log';
import { prepared } from '../store/database';
import { Backoff } from './backoff';
import { compareHeads, missingHere, nextPushPage } from './heads';
import { helloFor } from './hello';
import { planIntake, recordIntake, type IncomingOp, type NeedRange } from './op-intake';
import { openPresence, PresenceBook, sealPresence } from './presence';
import { relayUrl } from './relay-address';
import type { OpenRelaySocket, RelaySocket } from './relay-socket';
import {
  adoptEpoch,
  advanceCursor,
  blockedDevices,
  heldHashAt,
  raiseRelayHead,
  recordClockOffset,
  recordEquivocation,
  replaceRelayHeads,
  syncedIncident,
} from './sync-store';

export interface SyncTimings {
  heartbeatMs: number;
  deadAfterMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** A connection up this long resets the backoff. */
  healthyAfterMs: number;
  presenceEveryMs: number;
  presenceTtlMs: number;
  /** Local writes wait at most this long for the own-ops check after start. */
  writeHoldMaxMs: number;
  connectTimeoutMs: number;
}

/** What a client needs of the manager that owns it. */
export interface ClientHost {
  readonly ctx: CoreContext;
  readonly timings: SyncTimings;
  /** Dials the relay: a `ws` WebSocket, or a simulated network in tests. */
  readonly openSocket: OpenRelaySocket;
  /**
   * core.ingest: one transaction for the page, `within` runs inside it; events after commit.
   * `verify: 'page'` for catch-up pages (DESIGN.md §5 "Verification cost"), else every op's signature.
   */
  ingest(ops: readonly Uint8Array[], within: (stored: readonly StoredOp[]) => void, options?: IngestOptions): void;
  /** Runs `fn` in one transaction; incidents it touched are announced after commit. */
  transact<T>(fn: () => T): T;
  /** This device's identities: the current one and every retired one. */
  ownIdentities(): ReadonlySet<string>;
  /** The relay holds another op at `seq` of one of this device's identities. The connection is restarted. */
  resolveFork(incident: string, device: string, seq: number, reason: string): void;
  /** The relay closed this connection because another with this device's identity took over. */
  replaced(incident: string): void;
  clockMeasured(offsetMs: number): void;
  caughtUp(incident: string): void;
  changed(incident: string): void;
}

type Phase = 'offline' | 'connecting' | 'prelude' | 'catching-up' | 'live' | 'closed';

const DEFAULT_RETRY_MS = 1_000;

/** Liveness and heartbeats run on the real clock, whatever the device clock says. */
const realNow = () => Date.now();

export class SyncClient {
  private ws: RelaySocket | null = null;
  private phase: Phase = 'offline';
  private offlineSince: number | null = null;
  private lastError: { code: string; message: string } | null = null;
  private readonly backoff: Backoff;
  private readonly timers = new Set<NodeJS.Timeout>();
  private heartbeat: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private presenceTimer: NodeJS.Timeout | null = null;
  private lastFrameAt = 0;
  private helloSentAt = 0;
  private welcomed = false;

  // Per connection; reset by each new connection.
  private relayHave = new Map<string, number>();
  private divergent = new Set<string>();
  private pushInFlight: number | null = null;
  /** What the relay was known to hold when the page in flight went out. */
  private pushedOver = new Map<string, number>();
  private pageNo = 0;
  private pushLimit = MAX_PAGE_OPS;
  private pushStopped = false;
  private pushQueued = false;
  private needsOut: NeedRange[] = [];
  private needsQueued: NeedRange[] = [];
  private needsAsked = new Set<string>();
  private catchUp: { from: number; head: number; last: number } | null = null;
  private welcomeHead = 0;
  private cursorHold: number | null = null;

  private readonly presence: PresenceBook;
  private gateOpen = false;
  private readonly gateWaiters: (() => void)[] = [];

  constructor(
    private readonly host: ClientHost,
    readonly incident: string,
  ) {
    this.backoff = new Backoff(host.timings);
    this.presence = new PresenceBook(host.timings.presenceTtlMs);
  }

  start(): void {
    this.later(() => this.openGate(), this.host.timings.writeHoldMaxMs);
    this.connect();
  }

  /** Drops the connection and dials again at once (a new identity, a new relay). */
  restart(): void {
    if (this.phase === 'closed') return;
    this.dropSocket();
    this.phase = 'offline';
    this.connect();
  }

  /**
   * The machine woke up or its network came back: dial again now, the backoff started over,
   * instead of waiting out a delay set while it was away. A connection that looks up is replaced
   * too: after a sleep its socket may be dead without either side knowing yet, and a fresh one
   * costs a handshake and a catch-up from the cursor.
   */
  reconnectNow(): void {
    if (this.phase === 'closed') return;
    this.backoff.reset();
    this.restart();
  }

  close(): void {
    this.phase = 'closed';
    this.dropSocket();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.openGate();
  }

  /** Resolves once local writes to the incident may go ahead (own ops checked, or the relay is unreachable). */
  writable(): Promise<void> {
    return this.gateOpen ? Promise.resolve() : new Promise((resolve) => this.gateWaiters.push(resolve));
  }

  /** A local write committed: push it soon (batched with any other write of this turn). */
  localWrite(): void {
    if (this.pushQueued) return;
    this.pushQueued = true;
    setImmediate(() => {
      this.pushQueued = false;
      this.pushNext();
    });
  }

  status(): Pick<SyncStatus, 'state' | 'offlineSince' | 'catchingUp' | 'lastError' | 'online'> {
    const catchUp = this.catchUp;
    return {
      state: this.phase === 'closed' ? 'offline' : this.phase === 'prelude' ? 'catching-up' : this.phase,
      offlineSince: this.offlineSince,
      catchingUp: catchUp ? { received: catchUp.last - catchUp.from, total: Math.max(0, catchUp.head - catchUp.from) } : null,
      lastError: this.lastError,
      online: this.presence.online(),
    };
  }

  /** Clock offsets (relay minus device) that devices heard from lately reported in their presence. */
  presentClockOffsets(): Map<string, number> {
    return this.presence.clockOffsets();
  }

  // ——— Connection ———

  private connect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.phase === 'closed') return;
    this.dropSocket();
    const synced = syncedIncident(this.host.ctx.db, this.incident);
    if (!synced) return;
    this.resetConnectionState();
    this.phase = 'connecting';
    this.changed();
    const url = relayUrl(synced.relay);
    const socket: RelaySocket = this.host.openSocket(
      url,
      { maxPayload: MAX_MESSAGE_BYTES, handshakeTimeoutMs: this.host.timings.connectTimeoutMs },
      {
        open: () => {
          if (this.ws !== socket) return;
          this.lastFrameAt = realNow();
          this.heartbeat = setInterval(() => this.beat(socket), this.host.timings.heartbeatMs);
        },
        message: (bytes, isBinary) => {
          if (this.ws !== socket) return;
          this.lastFrameAt = realNow();
          if (!isBinary) return this.setError('bad-frame', 'the relay sent a text message; frames are binary');
          this.receive(bytes);
        },
        error: (error) => {
          if (this.ws !== socket) return;
          this.setError('unreachable', `relay ${url}: ${error.message}`);
        },
        close: (code) => {
          if (this.ws !== socket) return;
          this.ws = null;
          this.stopConnectionTimers();
          if (this.phase === 'closed') return;
          if (code === CLOSE_CODES.replaced) this.host.replaced(this.incident);
          this.phase = 'offline';
          this.offlineSince ??= this.host.ctx.now();
          this.catchUp = null;
          // The relay is unreachable before this process ever reached it: write at once (DESIGN.md §5).
          if (!this.welcomed) this.openGate();
          this.reconnectTimer = setTimeout(() => this.connect(), this.backoff.next());
          this.changed();
        },
      },
    );
    this.ws = socket;
    this.lastFrameAt = realNow();
  }

  private beat(socket: RelaySocket): void {
    if (this.ws !== socket) return;
    if (realNow() - this.lastFrameAt > this.host.timings.deadAfterMs) {
      this.setError('timeout', `no frame from the relay for ${this.host.timings.deadAfterMs} ms`);
      socket.terminate();
      return;
    }
    this.send('ping', { t: realNow() });
  }

  private dropSocket(): void {
    const socket = this.ws;
    this.ws = null;
    this.stopConnectionTimers();
    if (socket) socket.terminate();
  }

  private stopConnectionTimers(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.heartbeat = null;
    this.presenceTimer = null;
  }

  private resetConnectionState(): void {
    this.relayHave = new Map();
    this.divergent = new Set();
    this.pushInFlight = null;
    this.pushLimit = MAX_PAGE_OPS;
    this.pushStopped = false;
    this.needsOut = [];
    this.needsQueued = [];
    this.needsAsked = new Set();
    this.catchUp = null;
    this.cursorHold = null;
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.phase !== 'closed') fn();
    }, ms);
    this.timers.add(timer);
  }

  private send<T extends FrameType>(type: T, header: FrameHeader<T>, blobs: readonly Uint8Array[] = []): void {
    if (this.ws?.isOpen) this.ws.send(encodeFrame(type, header, blobs));
  }

  private receive(bytes: Uint8Array): void {
    let frame: Frame;
    try {
      frame = decodeFrame(bytes);
    } catch (error) {
      const code = error instanceof ProtocolError ? error.code : 'bad-frame';
      return this.setError(code, `the relay sent a bad frame: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      this.handle(frame);
    } catch (error) {
      // Nothing of a failed frame was committed; the next connection starts again from the store.
      const code = error instanceof SitrepError ? error.code : 'internal';
      this.setError(code, error instanceof Error ? error.message : String(error));
      this.ws?.close();
    }
  }

  private handle(frame: Frame): void {
    switch (frame.type) {
      case 'challenge':
        return this.hello(frame.header);
      case 'welcome':
        return this.welcome(frame.header);
      case 'ops':
        return this.ops(frame.header, frame.blobs);
      case 'caught-up':
        return this.caughtUp(frame.header);
      case 'ack':
        return this.ack(frame.header);
      case 'error':
        return this.relayError(frame.header);
      case 'presence':
        return this.heardPresence(frame.header, frame.blobs);
      case 'ping':
        return this.send('pong', { t: frame.header.t });
      default:
        return;
    }
  }

  // ——— Handshake ———

  private hello(challenge: FrameHeader<'challenge'>): void {
    if (this.phase !== 'connecting') return;
    if (challenge.protocol !== PROTOCOL_VERSION) {
      this.setError('unsupported-protocol', `the relay speaks protocol ${challenge.protocol}, this Sitrep ${PROTOCOL_VERSION}`);
    }
    const hello = helloFor(this.host.ctx, this.incident, challenge);
    if (!hello) {
      this.setError('missing-key', `this device holds no key for incident ${this.incident}`);
      this.ws?.close();
      return;
    }
    this.helloSentAt = this.host.ctx.now();
    this.send('hello', hello.header, hello.blobs);
  }

  private welcome(w: FrameHeader<'welcome'>): void {
    if (this.phase !== 'connecting') return;
    const { ctx } = this.host;
    const receivedAt = ctx.now();
    // Relay minus device, at the midpoint of the hello's round trip.
    const offset = Math.round(w.relayTime - (this.helloSentAt + receivedAt) / 2);
    const relay = new Map(Object.entries(w.have).map(([device, h]) => [device, { seq: h.seq, hash: fromBase64(h.head) }]));
    this.host.transact(() => {
      adoptEpoch(ctx.db, this.incident, w.epoch);
      replaceRelayHeads(ctx.db, this.incident, new Map([...relay].map(([d, h]) => [d, h.seq])));
      recordClockOffset(ctx.db, this.incident, offset, receivedAt);
    });
    this.host.clockMeasured(offset);
    this.welcomed = true;
    this.offlineSince = null;
    this.lastError = null;
    this.relayHave = new Map([...relay].map(([d, h]) => [d, h.seq]));
    this.welcomeHead = w.headRelaySeq;
    this.phase = 'prelude';
    const socket = this.ws;
    this.later(() => this.ws === socket && this.backoff.reset(), this.host.timings.healthyAfterMs);

    const own = this.host.ownIdentities();
    const { ownNeeds, divergent } = compareHeads(ctx.db, this.incident, relay, own);
    // Own ops come first, before any local write; then where chains part (own forks first).
    for (const range of ownNeeds) this.queueNeed(range);
    for (const [device, range] of divergent) {
      this.divergent.add(device);
      this.queueNeed(range, own.has(device));
    }
    this.changed();
    this.pushNext();
    this.startPresence();
    this.nextRequest();
  }

  // ——— Requests: needs and the catch-up stream, one at a time ———

  private queueNeed(range: NeedRange, first = false): void {
    const key = `${range.device}:${range.fromSeq}-${range.toSeq}`;
    if (range.fromSeq > range.toSeq || this.needsAsked.has(key)) return;
    this.needsAsked.add(key);
    if (first) this.needsQueued.unshift(range);
    else this.needsQueued.push(range);
  }

  /** Sends what comes next: queued needs first; after the prelude's, the catch-up from the cursor. */
  private nextRequest(): void {
    if (this.needsOut.length > 0) return;
    if (this.phase === 'catching-up') return;
    const range = this.needsQueued.shift();
    if (range) {
      this.needsOut.push(range);
      this.send('need', range);
      return;
    }
    if (this.phase === 'prelude') {
      // This device's own ops are here. A write also needs the declaration: a fresh join waits for the catch-up.
      if (declared(this.host.ctx, this.incident)) this.openGate();
      const cursor = syncedIncident(this.host.ctx.db, this.incident)?.cursor ?? 0;
      this.catchUp = { from: cursor, head: Math.max(cursor, this.welcomeHead), last: cursor };
      this.phase = 'catching-up';
      this.send('catch-up', { after: cursor });
      this.changed();
    }
  }

  /**
   * What an `ops` frame is: the answer to the need in flight (its device and range, or an empty
   * page), part of the catch-up or live stream, or neither (nothing asked for: applied, never
   * moving the cursor). Taking a stream page for an answer only keeps the cursor back; the reverse
   * could move it past ops not held, so an answer must match.
   */
  private kindOf(blobs: readonly Uint8Array[], relaySeqs: readonly number[]): 'answer' | 'stream' | 'stray' {
    const range = this.needsOut[0];
    const answers =
      range !== undefined &&
      (this.phase === 'prelude' ||
        (blobs.length === 0 && relaySeqs.length === 0) ||
        blobs.every((bytes) => {
          try {
            const h = decodeOp(bytes).header;
            return h.deviceId === range.device && h.seq >= range.fromSeq && h.seq <= range.toSeq;
          } catch {
            return false;
          }
        }));
    if (answers) return 'answer';
    return this.phase === 'catching-up' || this.phase === 'live' ? 'stream' : 'stray';
  }

  private ops(h: FrameHeader<'ops'>, blobs: readonly Uint8Array[]): void {
    if (this.phase === 'connecting' || this.phase === 'offline' || this.phase === 'closed') return;
    const kind = this.kindOf(blobs, h.relaySeqs);
    const incoming: IncomingOp[] = blobs.map((bytes, i) => ({ bytes, relaySeq: h.relaySeqs[i] ?? null }));
    if (!this.apply(incoming, kind === 'stream')) return;
    if (kind === 'answer' && !h.more) {
      this.needsOut.shift();
      if (this.phase === 'live' && this.needsQueued.length === 0) this.reconcile();
      else this.nextRequest();
    }
    if (kind === 'stream' && this.catchUp && h.relaySeqs.length) {
      this.catchUp.last = Math.max(this.catchUp.last, h.relaySeqs[h.relaySeqs.length - 1]);
      this.catchUp.head = Math.max(this.catchUp.head, this.catchUp.last);
    }
    this.changed();
  }

  private caughtUp(h: FrameHeader<'caught-up'>): void {
    if (this.phase !== 'catching-up') return;
    // The stream delivered every op up to the head (own pushes included): the cursor may follow it.
    if (this.cursorHold === null) this.host.transact(() => advanceCursor(this.host.ctx.db, this.incident, h.headRelaySeq));
    this.phase = 'live';
    this.catchUp = null;
    this.openGate();
    this.reconcile();
    this.nextRequest();
    this.host.caughtUp(this.incident);
    this.changed();
  }

  /** After the stream: where the relay still holds more of a device than this store, ask for it. */
  private reconcile(): void {
    const { db } = this.host.ctx;
    for (const range of missingHere(db, this.incident, this.relayHave, blockedDevices(db, this.incident))) this.queueNeed(range);
    this.nextRequest();
  }

  /**
   * Applies a page: an own fork is handed to the manager (which restarts this connection), evidence
   * of another device's equivocation is kept, the rest goes through core.ingest in one transaction.
   * Returns false when the connection is being restarted.
   */
  private apply(incoming: readonly IncomingOp[], stream: boolean): boolean {
    const { ctx } = this.host;
    const blocked = blockedDevices(ctx.db, this.incident);
    const plan = planIntake(ctx.db, ctx.crypto, this.incident, incoming, this.host.ownIdentities(), blocked);
    if (plan.fork) {
      this.host.resolveFork(
        this.incident,
        plan.fork.device,
        plan.fork.seq,
        `the relay holds another op at seq ${plan.fork.seq} of device ${plan.fork.device} (a restored or cloned data folder)`,
      );
      return false;
    }
    if (plan.refused.length) this.setError('op-rejected', plan.refused.join('; '));
    for (const range of plan.needs) this.queueNeed(range);
    if (stream && plan.holdFrom !== null) this.cursorHold = Math.min(this.cursorHold ?? plan.holdFrom, plan.holdFrom);
    const cursorTo =
      stream && plan.maxRelaySeq !== null ? (this.cursorHold === null ? plan.maxRelaySeq : Math.min(plan.maxRelaySeq, this.cursorHold - 1)) : null;
    const receivedAt = ctx.now();
    // A page of the catch-up stream is authenticated as a page; live ops and answers to needs op by op.
    const verify = stream && this.phase === 'catching-up' ? 'page' : 'each';
    this.host.ingest(
      plan.apply.map((op) => op.bytes),
      (stored) => {
        recordIntake(ctx.db, this.incident, plan, stored, receivedAt);
        if (cursorTo !== null) advanceCursor(ctx.db, this.incident, cursorTo);
      },
      { verify, parsed: plan.apply },
    );
    for (const [device, seq] of plan.relayHolds) this.relayHave.set(device, Math.max(this.relayHave.get(device) ?? 0, seq));
    if (plan.evidence.length) this.setError('equivocation', `device ${plan.evidence[0].device} signed two different ops at seq ${plan.evidence[0].seq}`);
    return true;
  }

  // ——— Push ———

  /** Pushes the next page of what the relay lacks (heads.ts), one page in flight at a time. */
  private pushNext(): void {
    const { ctx } = this.host;
    const connected = this.phase === 'prelude' || this.phase === 'catching-up' || this.phase === 'live';
    if (!connected || this.pushInFlight !== null || this.pushStopped) return;
    if (ctx.incidentKeys(this.incident)?.access !== 'write') return;
    const blobs = nextPushPage(ctx.db, this.incident, this.relayHave, this.divergent, blockedDevices(ctx.db, this.incident), this.pushLimit);
    if (blobs.length === 0) return;
    this.pushInFlight = ++this.pageNo;
    this.pushedOver = new Map(this.relayHave);
    this.send('push', { page: this.pushInFlight }, blobs);
  }

  private ack(a: FrameHeader<'ack'>): void {
    if (a.page !== this.pushInFlight) return;
    this.pushInFlight = null;
    const advanced = Object.entries(a.heads).filter(([device, seq]) => seq > (this.relayHave.get(device) ?? 0));
    // Judged against what the relay held when the page went out: its ops may have come back since
    // (another member uploaded them first, and they were applied), which raised relayHave already.
    const progressed = Object.entries(a.heads).some(([device, seq]) => seq > (this.pushedOver.get(device) ?? 0));
    if (!progressed && a.stored === 0) {
      this.pushStopped = true;
      this.setError('internal', `the relay acknowledged page ${a.page} without holding more of any device; pushing stops until the next connection`);
      return;
    }
    for (const [device, seq] of advanced) this.relayHave.set(device, seq);
    this.host.transact(() => {
      for (const [device, seq] of advanced) raiseRelayHead(this.host.ctx.db, this.incident, device, seq);
    });
    this.changed();
    this.pushNext();
  }

  private relayError(e: FrameHeader<'error'>): void {
    this.setError(e.code, e.message);
    const retryAfter = e.retryAfterMs ?? DEFAULT_RETRY_MS;
    if (e.page !== undefined && e.page === this.pushInFlight) {
      this.pushInFlight = null;
      const [device = '', seqText = '', heldHex = '', offeredHex = ''] = e.details ?? [];
      switch (e.code) {
        case 'equivocation':
          return this.pushEquivocation(device, Number(seqText), heldHex, offeredHex);
        case 'gap':
          this.relayHave.set(device, Math.max(0, Number(seqText) - 1));
          return this.pushNext();
        case 'too-large':
          this.pushLimit = Math.max(1, Math.floor(this.pushLimit / 2));
          return this.pushNext();
        case 'rate-limited':
          return this.later(() => this.pushNext(), retryAfter);
        default:
          this.pushStopped = true;
          return;
      }
    }
    if (e.code === 'rate-limited' && this.phase === 'catching-up') {
      const after = syncedIncident(this.host.ctx.db, this.incident)?.cursor ?? 0;
      this.later(() => this.send('catch-up', { after }), retryAfter);
    }
  }

  /** The relay holds another op at `seq` of `device` than the one pushed (details: relay's hash, ours). */
  private pushEquivocation(device: string, seq: number, relayHex: string, oursHex: string): void {
    if (!/^[0-9a-f]{32}$/.test(device) || !Number.isSafeInteger(seq) || seq < 1) {
      this.pushStopped = true;
      return;
    }
    if (this.host.ownIdentities().has(device)) {
      this.host.resolveFork(this.incident, device, seq, `the relay refused this device's op at seq ${seq}: it holds another (a clone or a restored data folder)`);
      return;
    }
    const { db } = this.host.ctx;
    const held = heldHashAt(db, this.incident, device, seq);
    const heldHash = held ?? safeHex(oursHex);
    this.host.transact(() =>
      recordEquivocation(db, this.incident, {
        device,
        seq,
        heldHash,
        heldEnvelope: null,
        offeredHash: safeHex(relayHex),
        offeredEnvelope: null,
        detectedAt: this.host.ctx.now(),
      }),
    );
    // Fetch the relay's op too, so both are kept as evidence.
    this.queueNeed({ device, fromSeq: seq, toSeq: seq });
    this.nextRequest();
    this.pushNext();
    this.changed();
  }

  // ——— Presence ———

  private startPresence(): void {
    if (this.host.ctx.incidentKeys(this.incident)?.access !== 'write') return;
    const announce = () => {
      const access = this.host.ctx.incidentKeys(this.incident);
      if (!access) return;
      const synced = syncedIncident(this.host.ctx.db, this.incident);
      const blob = sealPresence(this.host.ctx.crypto, access.keys.contentKey, this.incident, {
        name: this.host.ctx.deviceName(),
        clockOffsetMs: synced?.clockOffsetMs ?? null,
      });
      this.send('presence', {}, [blob]);
    };
    announce();
    this.presenceTimer = setInterval(announce, this.host.timings.presenceEveryMs);
  }

  private heardPresence(h: FrameHeader<'presence'>, blobs: readonly Uint8Array[]): void {
    const access = this.host.ctx.incidentKeys(this.incident);
    if (!h.from || !access || blobs.length !== 1) return;
    const presence = openPresence(this.host.ctx.crypto, access.keys.contentKey, this.incident, blobs[0]);
    if (!presence) return;
    this.presence.hear(h.from, presence, this.host.ctx.now());
    // Announce the expiry too, unless a newer announcement comes first.
    this.later(() => this.changed(), this.host.timings.presenceTtlMs + 1);
    this.changed();
  }

  // ——— Status ———

  private openGate(): void {
    if (this.gateOpen) return;
    this.gateOpen = true;
    for (const resolve of this.gateWaiters.splice(0)) resolve();
  }

  private setError(code: string, message: string): void {
    this.lastError = { code, message };
    this.changed();
  }

  private changed(): void {
    if (this.phase !== 'closed') this.host.changed(this.incident);
  }
}

const declared = (ctx: CoreContext, incident: string): boolean => prepared(ctx.db, 'SELECT 1 FROM incidents WHERE id = ?').get(incident) !== undefined;

function safeHex(hex: string): Uint8Array {
  try {
    return hexToBytes(hex);
  } catch {
    return new Uint8Array(0);
  }
}
