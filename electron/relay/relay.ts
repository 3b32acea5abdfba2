/**
 * The relay's protocol logic (shared/sync/protocol.ts), apart from its sockets (server.ts) and its
 * SQL (store.ts): what to refuse, store, ack and fan out. A connection is a `Transport` (send,
 * close, buffered bytes, drained), so this runs as well against fake connections in a test.
 *
 * Invariants:
 * - Nobody is served before a hello that verifies: a writer signs the relay's nonce with its device
 *   key and is certified by the incident's write authority (a certificate in the hello, a chain
 *   already stored here, or being that authority); a reader signs it with the incident's read
 *   authority (naming no write authority when it holds no genesis yet). An incident is
 *   (id, write authority): a hello naming another write authority for a known id is 'unknown-incident',
 *   and an unknown incident is created only from a genesis in a writer's hello that admitOp takes.
 * - Every op stored passed admitOp (the core's rule) against what is stored plus the ops before it
 *   in its page, and belongs to the connection's incident. A page is stored whole in one
 *   transaction or not at all: one bad op refuses the page with a typed error and stores none of it
 *   (an equivocation keeps both ops as evidence, apart from the page).
 * - An ack is sent only after the page's transaction committed; then the new ops are fanned out.
 * - A connection receives catch-up pages and live ops in increasing relay seq with nothing of its
 *   incident skipped (but its own pushes): live ops start only once its catch-up reached the head,
 *   and a connection that falls behind (its send buffer over the high-water mark) drops to pages.
 * - Readers never write: a push or presence from a reader is 'read-only'.
 * - Presence is never stored; it carries the device id the hello proved, whatever the sender claims.
 * - A new connection of a writer device for an incident replaces the older one, which is closed.
 * - A bad frame is answered with a typed error and the connection keeps serving; after
 *   `badFramesBeforeClose` of them it is closed. Nothing one connection sends stops the others.
 * - Every cost is bounded: frames by the protocol's limits, each connection by a token bucket,
 *   each incident by its storage quota, catch-ups by a relay-wide semaphore, and every frame sent
 *   by MAX_FRAME_BYTES and MAX_PAGE_OPS.
 * - The relay never decrypts: it holds no content key and checks only what needs none.
 */
import type { SyncCrypto } from '../../shared/sync/crypto';
import { equalBytes } from '../../shared/sync/bytes';
import { deviceIdFromPublicKey, PUBLIC_KEY_BYTES, SIGNATURE_BYTES, verifyCertificate } from '../../shared/sync/incident-keys';
import { admitOp, ChainError, type HeldHead } from '../../shared/sync/op-admission';
import { CERTIFICATE_BYTES, decodeOp, opHash, type DecodedOp } from '../../shared/sync/op-envelope';
import { OpError } from '../../shared/sync/op-error';
import {
  CLOSE_CODES,
  decodeFrame,
  encodeFrame,
  fromBase64,
  helloMessage,
  MAX_FRAME_BYTES,
  MAX_PAGE_OPS,
  PROTOCOL_VERSION,
  ProtocolError,
  toBase64,
  type Frame,
  type FrameHeader,
  type FrameType,
  type Heads,
  type RelayErrorCode,
} from '../../shared/sync/protocol';
import {
  deviceHead,
  FLAG_HLC_AHEAD,
  headRelaySeq,
  headsOf,
  heldOp,
  incidentRecord,
  opsAfter,
  opsOfDevice,
  recordEquivocation,
  relayMeta,
  storeOps,
  type AdmittedOp,
  type RelayDb,
  type StoredEnvelope,
} from './store';

export interface RelayLimits {
  /** Token bucket per connection: ops pushed (other frames cost one) refill at this rate… */
  opsPerSecond: number;
  /** …up to this many. */
  burstOps: number;
  /** Envelope bytes stored per incident. */
  incidentBytes: number;
  /** Catch-ups streaming at once, relay-wide; others are told to retry later. */
  concurrentCatchUps: number;
  /** How long a refused catch-up is told to wait, plus up to `catchUpRetryJitterMs` at random. */
  catchUpRetryMs: number;
  catchUpRetryJitterMs: number;
  /** A live connection with more unsent bytes than this drops from live fan-out to pages. */
  sendHighWaterBytes: number;
  /** Bad frames a connection may send before it is closed. */
  badFramesBeforeClose: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  opsPerSecond: 2_000,
  burstOps: 4_000,
  incidentBytes: 512 * 1024 * 1024,
  concurrentCatchUps: 32,
  catchUpRetryMs: 1_000,
  catchUpRetryJitterMs: 4_000,
  sendHighWaterBytes: 8 * 1024 * 1024,
  badFramesBeforeClose: 16,
};

/** Ops whose HLC is further ahead of the relay's clock than this are flagged (DESIGN.md §5 "Clocks"). */
export const HLC_AHEAD_FLAG_MS = 24 * 60 * 60_000;
const NONCE_BYTES = 32;
/** What a frame other than a push (which costs its ops) takes from the token bucket. */
const FRAME_COST = 1;
/** The shortest retry hint, so a refusal never says "retry in 0 ms". */
const MIN_RETRY_MS = 1;
const MS_PER_SECOND = 1_000;
/**
 * Room left in an ops frame for its type, JSON header (up to MAX_PAGE_OPS relay seqs) and blob
 * count, so a page filled up to MAX_FRAME_BYTES minus this always fits MAX_FRAME_BYTES.
 */
const OPS_FRAME_RESERVE_BYTES = 64 * 1024;
const BLOB_LENGTH_BYTES = 4;
/** Longest error message and detail the protocol carries. */
const MAX_ERROR_MESSAGE = 2_000;
const MAX_ERROR_DETAIL = 500;

/** What the relay needs of a socket. */
export interface Transport {
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Bytes queued and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Resolves once the send buffer has drained enough to send more (after yielding to I/O). */
  drained(): Promise<void>;
}

export interface RelayConnection {
  /** One WebSocket message, as received. */
  receive(bytes: Uint8Array): void;
  /** The transport closed (either side). */
  closed(): void;
  readonly authenticated: boolean;
}

export interface RelayOptions {
  db: RelayDb;
  crypto: SyncCrypto;
  now?: () => number;
  limits?: Partial<RelayLimits>;
  /** Where failures of the relay itself (not of a client) are reported. */
  log?: (line: string) => void;
}

export interface Relay {
  readonly relayId: string;
  readonly epoch: string;
  connect(transport: Transport): RelayConnection;
  /** Closes every connection ('going-away'), for shutdown. */
  closeAll(): void;
}

/** A refusal sent as an error frame; `fatal` closes the connection after it. */
class Refusal extends ProtocolError {
  constructor(
    code: RelayErrorCode,
    message: string,
    readonly extra: { page?: number; details?: string[]; retryAfterMs?: number; fatal?: boolean } = {},
  ) {
    super(code, message);
  }
}

interface Session {
  incident: string;
  role: 'writer' | 'reader';
  /** The device the hello proved; readers (who sign with the shared RA) have none. */
  device?: string;
  writeAuthority: Uint8Array;
}

interface Conn {
  readonly transport: Transport;
  readonly nonce: Uint8Array;
  readonly bucket: TokenBucket;
  open: boolean;
  session?: Session;
  /** Receives ops as they commit: set when a catch-up reaches the head. */
  live: boolean;
  /** The highest relay seq sent in catch-up pages or live ops. */
  sentRelaySeq: number;
  /** Bumped by each new stream of pages, so an older one stops. */
  streamGeneration: number;
  holdsCatchUpSlot: boolean;
  /** Needs are answered one after another, so their pages never pile up in memory. */
  needQueue: Promise<void>;
  badFrames: number;
}

class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  /**
   * Takes `cost` tokens; returns 0 when taken, else how many ms until they would be there. A host
   * clock stepped back (NTP) refills nothing, and never drains the bucket.
   */
  take(cost: number): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, t - this.at) * this.rate) / MS_PER_SECOND);
    this.at = t;
    if (cost <= this.tokens) {
      this.tokens -= cost;
      return 0;
    }
    return Math.max(MIN_RETRY_MS, Math.ceil(((cost - this.tokens) * MS_PER_SECOND) / this.rate));
  }
}

const decodeKey = (text: string, length: number, what: string): Uint8Array => {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(text);
  } catch {
    throw new Refusal('bad-frame', `hello ${what} is not base64`, { fatal: true });
  }
  if (bytes.length !== length) throw new Refusal('unauthorized', `hello ${what} is ${bytes.length} bytes, not ${length}`, { fatal: true });
  return bytes;
};

const clamp = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function createRelay(options: RelayOptions): Relay {
  const { db, crypto: c } = options;
  const now = options.now ?? Date.now;
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => console.error(line));
  const { relayId, epoch } = relayMeta(db);
  /** Authenticated connections per incident. */
  const rooms = new Map<string, Set<Conn>>();
  /** The connection of each writer device, per incident: `${incident}/${device}`. */
  const writers = new Map<string, Conn>();
  const everyone = new Set<Conn>();
  let catchUpsRunning = 0;

  // ——— Sending ———

  function send<T extends FrameType>(conn: Conn, type: T, header: FrameHeader<T>, blobs: readonly Uint8Array[] = []): void {
    if (conn.open) conn.transport.send(encodeFrame(type, header, blobs));
  }

  function sendError(conn: Conn, error: ProtocolError): void {
    const extra = error instanceof Refusal ? error.extra : {};
    send(conn, 'error', {
      code: error.code,
      message: clamp(error.message, MAX_ERROR_MESSAGE),
      ...(extra.page !== undefined && { page: extra.page }),
      ...(extra.details && { details: extra.details.map((d) => clamp(d, MAX_ERROR_DETAIL)) }),
      ...(extra.retryAfterMs !== undefined && { retryAfterMs: extra.retryAfterMs }),
    });
  }

  /** Cuts ops into frames within MAX_PAGE_OPS and MAX_FRAME_BYTES; `more` on all but the last. */
  function opsFrames(ops: readonly StoredEnvelope[], moreAfter: boolean): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (let start = 0; start < ops.length; ) {
      const end = pageEnd(ops, start);
      const page = ops.slice(start, end);
      frames.push(encodeFrame('ops', { relaySeqs: page.map((op) => op.relaySeq), more: end < ops.length || moreAfter }, page.map((op) => op.envelope)));
      start = end;
    }
    return frames;
  }

  function sendOps(conn: Conn, ops: readonly StoredEnvelope[], moreAfter: boolean): void {
    sendFrames(conn, opsFrames(ops, moreAfter));
  }

  function sendFrames(conn: Conn, frames: readonly Uint8Array[]): void {
    for (const frame of frames) if (conn.open) conn.transport.send(frame);
  }

  function close(conn: Conn, code: number, reason: string): void {
    if (!conn.open) return;
    forget(conn);
    conn.transport.close(code, reason);
  }

  /** Drops a connection from every registry and frees what it held. */
  function forget(conn: Conn): void {
    conn.open = false;
    conn.live = false;
    conn.streamGeneration++;
    everyone.delete(conn);
    releaseCatchUpSlot(conn);
    const s = conn.session;
    if (!s) return;
    rooms.get(s.incident)?.delete(conn);
    if (rooms.get(s.incident)?.size === 0) rooms.delete(s.incident);
    if (s.device && writers.get(`${s.incident}/${s.device}`) === conn) writers.delete(`${s.incident}/${s.device}`);
  }

  // ——— Receiving ———

  function receive(conn: Conn, bytes: Uint8Array): void {
    if (!conn.open) return;
    try {
      let frame: Frame;
      try {
        frame = decodeFrame(bytes);
      } catch (error) {
        if (error instanceof ProtocolError) return badFrame(conn, error);
        throw error;
      }
      handle(conn, frame);
    } catch (error) {
      if (error instanceof Refusal) {
        sendError(conn, error);
        if (error.extra.fatal) close(conn, CLOSE_CODES.refused, error.code);
        return;
      }
      fail(conn, error);
    }
  }

  function badFrame(conn: Conn, error: ProtocolError): void {
    sendError(conn, error);
    conn.badFrames++;
    if (conn.badFrames >= limits.badFramesBeforeClose) close(conn, CLOSE_CODES.misbehaving, `${conn.badFrames} bad frames`);
  }

  /** A failure of the relay itself (its database, a bug): reported, and the client told to come back. */
  function fail(conn: Conn, error: unknown): void {
    log(`relay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    close(conn, CLOSE_CODES['relay-failure'], 'relay failure');
  }

  function handle(conn: Conn, frame: Frame): void {
    switch (frame.type) {
      case 'ping':
        return send(conn, 'pong', { t: frame.header.t });
      case 'pong':
        return;
      case 'hello':
        return hello(conn, frame.header, frame.blobs);
    }
    const session = conn.session;
    if (!session) {
      return badFrame(conn, new ProtocolError('unauthorized', `a ${frame.type} frame before a hello that verified`));
    }
    switch (frame.type) {
      case 'push':
        return push(conn, session, frame.header.page, frame.blobs);
      case 'catch-up':
        charge(conn, FRAME_COST);
        return catchUp(conn, frame.header.after);
      case 'need':
        charge(conn, FRAME_COST);
        return need(conn, session, frame.header);
      case 'presence':
        return presence(conn, session, frame.blobs);
      default:
        return badFrame(conn, new ProtocolError('bad-frame', `a relay does not take ${frame.type} frames`));
    }
  }

  function charge(conn: Conn, cost: number, page?: number): void {
    const retryAfterMs = conn.bucket.take(cost);
    if (retryAfterMs > 0) {
      throw new Refusal('rate-limited', `this connection is over ${limits.opsPerSecond} ops/s (burst ${limits.burstOps}); retry in ${retryAfterMs} ms`, {
        page,
        retryAfterMs,
      });
    }
  }

  // ——— Hello ———

  function hello(conn: Conn, h: FrameHeader<'hello'>, blobs: readonly Uint8Array[]): void {
    if (conn.session) throw new Refusal('bad-frame', 'this connection already said hello; one connection serves one incident');
    if (h.protocol !== PROTOCOL_VERSION) {
      throw new Refusal('unsupported-protocol', `this relay speaks protocol ${PROTOCOL_VERSION}, not ${h.protocol}`, { fatal: true });
    }
    const incident = h.incident.toLowerCase();
    const record = incidentRecord(db, incident);
    // A read link carries R, not WA: a reader that holds no genesis yet names no write authority ('')
    // and is known by the incident's id and the RA its genesis published (checked below).
    const unnamed = h.as === 'reader' && h.writeAuthority === '';
    if (unnamed && !record) throw new Refusal('unknown-incident', `this relay does not hold incident ${incident}`, { fatal: true });
    const writeAuthority = unnamed ? record!.writeAuthority : decodeKey(h.writeAuthority, PUBLIC_KEY_BYTES, 'writeAuthority');
    const key = decodeKey(h.key, PUBLIC_KEY_BYTES, 'key');
    const signature = decodeKey(h.signature, SIGNATURE_BYTES, 'signature');
    const certificate = h.certificate === undefined ? undefined : decodeKey(h.certificate, CERTIFICATE_BYTES, 'certificate');

    if (record && !equalBytes(record.writeAuthority, writeAuthority)) {
      throw new Refusal('unknown-incident', `this relay holds incident ${incident} under another write authority`, { fatal: true });
    }
    if (!c.verify(key, helloMessage(conn.nonce, incident, key), signature)) {
      throw new Refusal('unauthorized', "the hello's signature does not verify with its key over this connection's nonce", { fatal: true });
    }

    let device: string | undefined;
    if (h.as === 'reader') {
      if (!record) throw new Refusal('unknown-incident', `this relay does not hold incident ${incident}`, { fatal: true });
      if (!equalBytes(key, record.readAuthority)) {
        throw new Refusal('unauthorized', `the reader's key is not the read authority of incident ${incident}`, { fatal: true });
      }
    } else {
      device = deviceIdFromPublicKey(c, key);
      const genesis = record ? undefined : admitGenesis(incident, writeAuthority, blobs);
      const held = record ? deviceHead(db, incident, device) : undefined;
      const certified =
        (held !== undefined && equalBytes(held.publicKey, key)) ||
        equalBytes(key, writeAuthority) ||
        (certificate !== undefined && verifyCertificate(c, writeAuthority, key, incident, certificate));
      if (!certified) {
        throw new Refusal('unauthorized', `device ${device} has no certificate from the write authority of incident ${incident}`, {
          fatal: true,
        });
      }
      if (genesis) {
        storeOps(db, incident, [genesis.op], now(), { writeAuthority, readAuthority: genesis.readAuthority });
      }
    }

    const session: Session = { incident, role: h.as, device, writeAuthority };
    conn.session = session;
    let room = rooms.get(incident);
    if (!room) rooms.set(incident, (room = new Set()));
    room.add(conn);
    if (device) {
      const previous = writers.get(`${incident}/${device}`);
      writers.set(`${incident}/${device}`, conn);
      if (previous && previous !== conn) close(previous, CLOSE_CODES.replaced, 'a newer connection of this device took over');
    }
    send(conn, 'welcome', { epoch, relayTime: now(), headRelaySeq: headRelaySeq(db, incident), have: headsHave(incident) });
  }

  /** The genesis a writer's hello must carry for an incident this relay does not hold yet. */
  function admitGenesis(incident: string, writeAuthority: Uint8Array, blobs: readonly Uint8Array[]): { op: AdmittedOp; readAuthority: Uint8Array } {
    if (blobs.length === 0) {
      throw new Refusal('unknown-incident', `this relay does not hold incident ${incident}; a writer's hello must carry its genesis`, {
        fatal: true,
      });
    }
    const bytes = blobs[0];
    let decoded: DecodedOp | undefined;
    try {
      decoded = decodeOp(bytes);
      const h = decoded.header;
      if (h.type !== 'genesis') throw new OpError('malformed', `the hello carries a ${h.type} at seq ${h.seq}, not the incident's genesis`);
      if (h.incidentId !== incident) throw new OpError('wrong-incident', `the hello's genesis belongs to incident ${h.incidentId}, not ${incident}`);
      if (!equalBytes(h.devicePublicKey!, writeAuthority)) {
        throw new OpError('bad-certificate', "the hello's genesis is not by the write authority the hello names");
      }
      admitOp(c, decoded, opHash(c, bytes), { head: undefined, heldHashAt: () => undefined, writeAuthority: undefined });
    } catch (error) {
      if (error instanceof OpError) {
        throw new Refusal('op-rejected', `the hello's genesis is refused (${error.code}): ${error.message}`, {
          details: [error.code, decoded?.header.deviceId ?? '', String(decoded?.header.seq ?? '')],
          fatal: true,
        });
      }
      throw error;
    }
    const h = decoded.header;
    return {
      op: { device: h.deviceId, seq: h.seq, hash: opHash(c, bytes), envelope: bytes, publicKey: h.devicePublicKey!, flags: flagsOf(decoded) },
      readAuthority: h.readAuthorityPublicKey!,
    };
  }

  function headsHave(incident: string): Heads {
    const have: Heads = {};
    for (const head of headsOf(db, incident)) have[head.device] = { seq: head.seq, head: toBase64(head.hash) };
    return have;
  }

  // ——— Push ———

  function push(conn: Conn, session: Session, page: number, blobs: readonly Uint8Array[]): void {
    if (session.role !== 'writer') throw new Refusal('read-only', 'a reader cannot push ops', { page });
    charge(conn, Math.max(FRAME_COST, blobs.length), page);
    const admitted = admitPage(session, page, blobs);
    const record = incidentRecord(db, session.incident)!;
    const adding = admitted.ops.reduce((n, op) => n + op.envelope.length, 0);
    if (record.bytesUsed + adding > limits.incidentBytes) {
      throw new Refusal(
        'quota',
        `incident ${session.incident} would hold ${record.bytesUsed + adding} bytes here, over this relay's quota of ${limits.incidentBytes}`,
        { page },
      );
    }
    const relaySeqs = admitted.ops.length ? storeOps(db, session.incident, admitted.ops, now()) : [];
    const heads: Record<string, number> = {};
    for (const device of admitted.devices) heads[device] = deviceHead(db, session.incident, device)?.seq ?? 0;
    send(conn, 'ack', { page, stored: admitted.ops.length, heads });
    if (relaySeqs.length) {
      fanOut(
        conn,
        session.incident,
        admitted.ops.map((op, i) => ({ relaySeq: relaySeqs[i], seq: op.seq, envelope: op.envelope })),
      );
    }
  }

  /** Runs admitOp over the page, each op against the store plus the page's ops before it. */
  function admitPage(session: Session, page: number, blobs: readonly Uint8Array[]): { ops: AdmittedOp[]; devices: Set<string> } {
    const { incident } = session;
    const pageHeads = new Map<string, HeldHead>();
    const pageOps = new Map<string, { hash: Uint8Array; envelope: Uint8Array }>();
    const ops: AdmittedOp[] = [];
    const devices = new Set<string>();
    for (const bytes of blobs) {
      let decoded: DecodedOp;
      try {
        decoded = decodeOp(bytes);
      } catch (error) {
        if (error instanceof OpError) throw opRejected(error, page, '', '');
        throw error;
      }
      const h = decoded.header;
      if (h.incidentId !== incident) {
        throw opRejected(new OpError('wrong-incident', `op ${h.deviceId}/${h.seq} belongs to incident ${h.incidentId}, not ${incident}`), page, h.deviceId, String(h.seq));
      }
      const hash = opHash(c, bytes);
      const stored = pageHeads.has(h.deviceId) ? undefined : deviceHead(db, incident, h.deviceId);
      const heldAt = (seq: number) => pageOps.get(`${h.deviceId}/${seq}`) ?? heldOp(db, incident, h.deviceId, seq);
      let devicePublicKey: Uint8Array;
      try {
        const admission = admitOp(c, decoded, hash, {
          head: pageHeads.get(h.deviceId) ?? stored,
          heldHashAt: (seq) => heldAt(seq)?.hash,
          writeAuthority: session.writeAuthority,
        });
        devices.add(h.deviceId);
        if (admission.kind === 'duplicate') continue;
        devicePublicKey = admission.devicePublicKey;
      } catch (error) {
        if (error instanceof ChainError && error.conflict.kind === 'gap') {
          throw new Refusal('gap', error.message, { page, details: [h.deviceId, String(error.conflict.expectedSeq)] });
        }
        if (error instanceof ChainError && error.conflict.kind === 'equivocation') {
          const held = heldAt(h.seq);
          if (held) {
            recordEquivocation(
              db,
              { incident, device: h.deviceId, seq: h.seq, heldHash: held.hash, heldEnvelope: held.envelope, offeredHash: hash, offeredEnvelope: bytes },
              now(),
            );
          }
          const { heldHash, offeredHash } = error.conflict;
          throw new Refusal('equivocation', error.message, { page, details: [h.deviceId, String(h.seq), heldHash, offeredHash] });
        }
        if (error instanceof OpError) throw opRejected(error, page, h.deviceId, String(h.seq));
        throw error;
      }
      pageHeads.set(h.deviceId, { publicKey: devicePublicKey, seq: h.seq, hash });
      pageOps.set(`${h.deviceId}/${h.seq}`, { hash, envelope: bytes });
      ops.push({ device: h.deviceId, seq: h.seq, hash, envelope: bytes, publicKey: devicePublicKey, flags: flagsOf(decoded) });
    }
    return { ops, devices };
  }

  const opRejected = (error: OpError, page: number, device: string, seq: string) =>
    new Refusal('op-rejected', `op refused (${error.code}): ${error.message}`, { page, details: [error.code, device, seq] });

  const flagsOf = (decoded: DecodedOp) => (decoded.header.hlc.ms > now() + HLC_AHEAD_FLAG_MS ? FLAG_HLC_AHEAD : 0);

  /** Sends newly committed ops to the incident's other live connections. */
  function fanOut(from: Conn, incident: string, ops: readonly StoredEnvelope[]): void {
    // Every live receiver gets the same bytes: encoded once, whatever the number of receivers.
    let frames: Uint8Array[] | null = null;
    for (const other of rooms.get(incident) ?? []) {
      if (other === from || !other.live) continue;
      if (other.transport.bufferedAmount > limits.sendHighWaterBytes) {
        // Too far behind to buffer more: it gets the rest as pages once its buffer drains.
        void stream(other, other.sentRelaySeq, false);
        continue;
      }
      frames ??= opsFrames(ops, false);
      sendFrames(other, frames);
      other.sentRelaySeq = ops[ops.length - 1].relaySeq;
    }
  }

  // ——— Catch-up and need ———

  function catchUp(conn: Conn, after: number): void {
    if (!conn.holdsCatchUpSlot) {
      if (catchUpsRunning >= limits.concurrentCatchUps) {
        const retryAfterMs = limits.catchUpRetryMs + Math.floor(Math.random() * limits.catchUpRetryJitterMs);
        return sendError(conn, new Refusal('rate-limited', `${catchUpsRunning} catch-ups are running; retry in ${retryAfterMs} ms`, { retryAfterMs }));
      }
      catchUpsRunning++;
      conn.holdsCatchUpSlot = true;
    }
    void stream(conn, after, true);
  }

  function releaseCatchUpSlot(conn: Conn): void {
    if (!conn.holdsCatchUpSlot) return;
    conn.holdsCatchUpSlot = false;
    catchUpsRunning--;
  }

  /**
   * Streams the incident's ops after `after` in pages, yielding to the transport between pages;
   * at the head, `caught-up` (when asked for) and live. A newer stream of the connection stops it.
   */
  async function stream(conn: Conn, after: number, announce: boolean): Promise<void> {
    const generation = ++conn.streamGeneration;
    const current = () => conn.open && conn.streamGeneration === generation;
    conn.live = false;
    const incident = conn.session!.incident;
    let cursor = after;
    try {
      for (;;) {
        await conn.transport.drained();
        if (!current()) return;
        const rows = opsAfter(db, incident, cursor, MAX_PAGE_OPS + 1);
        const end = pageEnd(rows, 0);
        const more = end < rows.length;
        if (end > 0) {
          sendOps(conn, rows.slice(0, end), more);
          cursor = rows[end - 1].relaySeq;
          conn.sentRelaySeq = Math.max(conn.sentRelaySeq, cursor);
        }
        if (!more) {
          if (announce) send(conn, 'caught-up', { headRelaySeq: headRelaySeq(db, incident) });
          conn.live = true;
          return;
        }
      }
    } catch (error) {
      fail(conn, error);
    } finally {
      if (conn.streamGeneration === generation) releaseCatchUpSlot(conn);
    }
  }

  function need(conn: Conn, session: Session, h: FrameHeader<'need'>): void {
    conn.needQueue = conn.needQueue.then(() => answerNeed(conn, session.incident, h));
  }

  async function answerNeed(conn: Conn, incident: string, h: FrameHeader<'need'>): Promise<void> {
    let from = Math.max(1, h.fromSeq);
    try {
      for (;;) {
        await conn.transport.drained();
        if (!conn.open) return;
        const rows = from > h.toSeq ? [] : opsOfDevice(db, incident, h.device, from, h.toSeq, MAX_PAGE_OPS + 1);
        const end = pageEnd(rows, 0);
        const more = end < rows.length;
        if (end === 0) return send(conn, 'ops', { relaySeqs: [], more: false });
        sendOps(conn, rows.slice(0, end), more);
        if (!more) return;
        from = rows[end - 1].seq + 1;
      }
    } catch (error) {
      fail(conn, error);
    }
  }

  // ——— Presence ———

  function presence(conn: Conn, session: Session, blobs: readonly Uint8Array[]): void {
    if (session.role !== 'writer' || !session.device) throw new Refusal('read-only', 'presence is for writers: a reader has no device identity here');
    if (blobs.length !== 1) return badFrame(conn, new ProtocolError('bad-frame', `a presence frame carries one sealed blob, not ${blobs.length}`));
    charge(conn, FRAME_COST);
    for (const other of rooms.get(session.incident) ?? []) {
      if (other !== conn) send(other, 'presence', { from: session.device }, blobs);
    }
  }

  return {
    relayId,
    epoch,
    connect(transport: Transport): RelayConnection {
      const conn: Conn = {
        transport,
        nonce: c.randomBytes(NONCE_BYTES),
        bucket: new TokenBucket(limits.opsPerSecond, limits.burstOps, now),
        open: true,
        live: false,
        sentRelaySeq: 0,
        streamGeneration: 0,
        holdsCatchUpSlot: false,
        needQueue: Promise.resolve(),
        badFrames: 0,
      };
      everyone.add(conn);
      send(conn, 'challenge', { protocol: PROTOCOL_VERSION, relayId, epoch, nonce: toBase64(conn.nonce), relayTime: now() });
      return {
        receive: (bytes) => receive(conn, bytes),
        closed: () => forget(conn),
        get authenticated() {
          return conn.session !== undefined;
        },
      };
    },
    closeAll() {
      for (const conn of [...everyone]) close(conn, CLOSE_CODES['going-away'], 'relay shutting down');
    },
  };
}

/** Where a page starting at `start` ends: at most MAX_PAGE_OPS ops, within one frame's bytes. */
function pageEnd(ops: readonly { envelope: Uint8Array }[], start: number): number {
  let bytes = 0;
  let end = start;
  while (end < ops.length && end - start < MAX_PAGE_OPS) {
    const size = BLOB_LENGTH_BYTES + ops[end].envelope.length;
    if (end > start && bytes + size > MAX_FRAME_BYTES - OPS_FRAME_RESERVE_BYTES) break;
    bytes += size;
    end++;
  }
  return end;
}
