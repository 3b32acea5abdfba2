/**
 * A simulated network between real SyncClients (through electron/core/sync/relay-socket.ts) and
 * real relays (electron/relay/relay.ts behind its Transport interface, on a real relay store), run
 * on the fake clock by a seeded PRNG.
 *
 * What it does to traffic is what a network can do to WebSocket connections, no more:
 * - A connection is two FIFO channels. Each frame gets its own random latency (a few ms, sometimes
 *   seconds), and never overtakes the frame before it (TCP is ordered).
 * - A partition holds every frame on the paths it cuts (TCP retransmits: they arrive, in order,
 *   once it heals) and makes new connections time out; a peer's heartbeat may give up first.
 * - A reset, a crash or a terminate cuts a connection: a random prefix of what each side had
 *   already sent still arrives, the rest is lost, and each side learns of the cut when its close
 *   arrives. What was sent to a side that is gone is dropped.
 * - Across connections anything goes: the frames of different clients interleave at the relay in
 *   any order, an old connection's last frames can land after its successor's hello, an ack can
 *   be lost so the same ops are pushed again, and several members upload the same ops.
 * Reordering, duplication or loss inside one live connection is not simulated: WebSocket rules it
 * out, and the protocol (shared/sync/protocol.ts) relies on it.
 *
 * It also keeps the record the properties need: every op any relay acknowledged (read from the ack
 * frames the relays send, whether or not they arrive) and what the relays logged as their own failures.
 */
import { bytesToHex } from '../../../shared/sync/bytes';
import { decodeFrame, FRAME_TYPES } from '../../../shared/sync/protocol';
import { nodeCrypto } from '../../../electron/crypto';
import type { OpenRelaySocket, RelaySocket, RelaySocketEvents } from '../../../electron/core/sync/relay-socket';
import { createRelay, type Relay, type RelayConnection, type Transport } from '../../../electron/relay/relay';
import { heldOp, openRelayStore, type RelayDb } from '../../../electron/relay/store';
import type { Rng } from './determinism';

/** WebSocket close codes a network produces itself. */
const ABNORMAL_CLOSURE = 1006;
const NORMAL_CLOSURE = 1000;
/** How long a refused connection takes to fail. */
const REFUSED_MAX_MS = 20;

type ToClient = { kind: 'open' } | { kind: 'frame'; bytes: Uint8Array } | { kind: 'close'; code: number };
type ToRelay = { kind: 'frame'; bytes: Uint8Array } | { kind: 'close' };

/** One direction of a connection: FIFO, each item delivered after its own latency, held while blocked. */
class Channel<T extends { kind: string }> {
  private queue: { item: T; readyAt: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastAt = 0;
  private dead = false;

  constructor(
    private readonly net: SimNetwork,
    private readonly blocked: () => boolean,
    private readonly deliver: (item: T) => void,
  ) {
    net.channels.add(this);
  }

  get length(): number {
    return this.queue.length;
  }

  push(item: T): void {
    if (this.dead) return;
    this.queue.push({ item, readyAt: Date.now() + this.net.latency() });
    this.pump();
  }

  /** Schedules the head of the queue, unless one is scheduled or the path is cut. */
  pump(): void {
    if (this.timer || this.dead || this.queue.length === 0 || this.blocked()) return;
    const at = Math.max(Date.now(), this.queue[0].readyAt, this.lastAt);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.dead || this.blocked()) return;
      // The head changed under the timer (a cut replaced it by a close that travels slower): wait for it.
      if (this.queue[0].readyAt > Date.now()) return this.pump();
      const { item } = this.queue.shift()!;
      this.lastAt = Date.now();
      if (item.kind === 'frame') this.net.traffic.delivered++;
      // A close is the last thing a channel carries.
      if (item.kind === 'close') this.kill();
      this.deliver(item);
      this.pump();
    }, at - Date.now());
  }

  /** Only the first `keep` items still arrive (they were on the wire); the rest are lost. */
  truncate(keep: number): void {
    this.net.traffic.lost += this.queue.slice(keep).filter((q) => q.item.kind === 'frame').length;
    this.queue.length = Math.min(this.queue.length, keep);
  }

  kill(): void {
    this.net.traffic.lost += this.queue.filter((q) => q.item.kind === 'frame').length;
    this.dead = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.net.channels.delete(this);
  }
}

/** A relay process on a simulated host: its address, its clock, its data folder and its connections. */
export class RelayHost {
  relay: Relay | null = null;
  db: RelayDb | null = null;
  readonly connections = new Set<SimConnection>();
  /** Every epoch this address has served, oldest first. */
  readonly epochs: string[] = [];

  constructor(
    private readonly net: SimNetwork,
    readonly address: string,
    /** The host's clock minus the true time. */
    public skewMs: number,
    public dataDir: string,
  ) {}

  get up(): boolean {
    return this.relay !== null;
  }

  readonly now = (): number => Date.now() + this.skewMs;

  start(): void {
    if (this.relay) return;
    this.db = openRelayStore(this.dataDir, this.now);
    this.relay = createRelay({ db: this.db, crypto: nodeCrypto, now: this.now, log: (line) => this.net.relayLog.push(`${this.address}: ${line}`) });
    if (this.epochs[this.epochs.length - 1] !== this.relay.epoch) this.epochs.push(this.relay.epoch);
  }

  /** The process dies: connections are cut (a prefix of what it sent still arrives), the store is closed as a crash leaves it. */
  crash(): void {
    if (!this.relay) return;
    for (const conn of [...this.connections]) conn.relayDied();
    this.connections.clear();
    this.relay = null;
    this.db!.close();
    this.db = null;
  }
}

/** One client connection: the client's RelaySocket on one end, the relay's Transport on the other. */
class SimConnection {
  /** The client's side. */
  private state: 'connecting' | 'open' | 'closing' | 'closed' = 'connecting';
  private relaySide: RelayConnection | null = null;
  /** The relay's side is closed (or never opened): nothing more reaches it or leaves it. */
  private relayGone = true;
  private readonly up: Channel<ToRelay>;
  private readonly down: Channel<ToClient>;
  readonly socket: RelaySocket;
  private readonly transport: Transport;

  constructor(
    private readonly net: SimNetwork,
    readonly replica: string,
    private readonly host: RelayHost | undefined,
    private readonly on: RelaySocketEvents,
  ) {
    const cut = () => this.host !== undefined && net.partitioned(replica, this.host);
    this.up = new Channel<ToRelay>(net, cut, (item) => this.toRelay(item));
    this.down = new Channel<ToClient>(net, cut, (item) => this.toClient(item));
    const isOpen = () => this.state === 'open';
    this.socket = {
      get isOpen() {
        return isOpen();
      },
      send: (frame) => {
        if (this.state === 'open') this.up.push({ kind: 'frame', bytes: frame });
      },
      close: () => {
        if (this.state === 'connecting') return this.terminate();
        if (this.state !== 'open') return;
        this.state = 'closing';
        this.up.push({ kind: 'close' });
      },
      terminate: () => this.terminate(),
    };
    this.transport = {
      send: (frame) => {
        if (this.relayGone) return;
        this.net.sentByRelay(this.host!, frame);
        this.down.push({ kind: 'frame', bytes: frame });
      },
      close: (code) => {
        if (this.relayGone) return;
        this.forgetRelaySide();
        this.up.kill();
        this.down.push({ kind: 'close', code });
      },
      bufferedAmount: 0,
      drained: () => Promise.resolve(),
    };
  }

  dial(handshakeTimeoutMs: number): void {
    const fail = (afterMs: number, message: string) =>
      setTimeout(() => {
        if (this.state === 'closed') return;
        this.state = 'closed';
        this.up.kill();
        this.down.kill();
        this.on.error(new Error(message));
        this.on.close(ABNORMAL_CLOSURE);
      }, afterMs);
    const host = this.host;
    if (!host?.up) return void fail(1 + this.net.rng.int(REFUSED_MAX_MS), 'connect ECONNREFUSED');
    if (this.net.partitioned(this.replica, host)) return void fail(handshakeTimeoutMs, 'Opening handshake has timed out');
    setTimeout(() => {
      if (this.state !== 'connecting') return;
      if (!host.up) return void fail(0, 'connect ECONNREFUSED');
      if (this.net.partitioned(this.replica, host)) return void fail(handshakeTimeoutMs, 'Opening handshake has timed out');
      host.connections.add(this);
      this.relayGone = false;
      // 'open' goes down the channel first, so the relay's challenge cannot overtake it.
      this.down.push({ kind: 'open' });
      this.relaySide = host.relay!.connect(this.transport);
    }, this.net.latency());
  }

  /** The client drops the connection: a prefix of what it sent still reaches the relay, then the cut. */
  private terminate(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.down.kill();
    if (this.relayGone) this.up.kill();
    else {
      this.up.truncate(this.net.rng.int(this.up.length + 1));
      this.up.push({ kind: 'close' });
    }
    // ws reports its own terminate as a close, later.
    setTimeout(() => this.on.close(ABNORMAL_CLOSURE), 0);
  }

  /** A network fault cuts the connection under both sides. */
  reset(): void {
    if (this.state === 'closed') return;
    if (!this.relayGone) {
      this.up.truncate(this.net.rng.int(this.up.length + 1));
      this.up.push({ kind: 'close' });
    }
    this.down.truncate(this.net.rng.int(this.down.length + 1));
    this.down.push({ kind: 'close', code: ABNORMAL_CLOSURE });
  }

  /** The relay process died under this connection. */
  relayDied(): void {
    if (this.relayGone) return;
    this.relayGone = true;
    this.relaySide = null;
    this.up.kill();
    this.down.truncate(this.net.rng.int(this.down.length + 1));
    this.down.push({ kind: 'close', code: ABNORMAL_CLOSURE });
  }

  get live(): boolean {
    return this.state !== 'closed';
  }

  private forgetRelaySide(): void {
    this.relayGone = true;
    this.host?.connections.delete(this);
  }

  private toRelay(item: ToRelay): void {
    if (this.relayGone || !this.relaySide) return;
    if (item.kind === 'frame') return this.relaySide.receive(item.bytes);
    const side = this.relaySide;
    this.forgetRelaySide();
    this.relaySide = null;
    side.closed();
    // The closing handshake (or the RST) comes back to the client, if it still listens.
    this.down.push({ kind: 'close', code: NORMAL_CLOSURE });
  }

  private toClient(item: ToClient): void {
    switch (item.kind) {
      case 'open':
        if (this.state !== 'connecting') return;
        this.state = 'open';
        return this.on.open();
      case 'frame':
        if (this.state === 'open' || this.state === 'closing') this.on.message(item.bytes, true);
        return;
      case 'close': {
        if (this.state === 'closed') return;
        this.state = 'closed';
        // The relay's side learns of the cut through its own channel (what is queued there still arrives first).
        if (!this.relayGone) this.up.push({ kind: 'close' });
        if (item.code === ABNORMAL_CLOSURE) this.on.error(new Error('read ECONNRESET'));
        return this.on.close(item.code);
      }
    }
  }
}

export class SimNetwork {
  readonly hosts = new Map<string, RelayHost>();
  /** Every channel still carrying something, to resume after a partition heals. */
  readonly channels = new Set<{ pump(): void }>();
  private readonly connections = new Set<SimConnection>();
  /** Replicas (by name) and relay hosts (by address) cut off from everything. */
  private readonly isolated = new Set<string>();
  /** Every op a relay acknowledged holding: "device:seq" → hash (hex); a chain's head stands for its prefix. */
  readonly acknowledged = new Map<string, string>();
  /** Things that must never happen, found while running (checked after healing). */
  readonly violations: string[] = [];
  /** What relays logged as failures of their own. */
  readonly relayLog: string[] = [];
  incident: string | null = null;
  /** Frames delivered and lost (cut off with their connection), connections dialled. */
  readonly traffic = { delivered: 0, lost: 0, dialled: 0 };

  constructor(readonly rng: Rng) {}

  /** A frame's latency: usually a few ms, sometimes a congested second, rarely seconds. */
  latency(): number {
    const r = this.rng.next();
    if (r < 0.02) return 1_000 + this.rng.int(6_000);
    if (r < 0.12) return 50 + this.rng.int(700);
    return 1 + this.rng.int(40);
  }

  addHost(address: string, skewMs: number, dataDir: string): RelayHost {
    const host = new RelayHost(this, address, skewMs, dataDir);
    this.hosts.set(address, host);
    return host;
  }

  partitioned(replica: string, host: RelayHost): boolean {
    return this.isolated.has(replica) || this.isolated.has(host.address);
  }

  isolate(...names: string[]): void {
    for (const name of names) this.isolated.add(name);
  }

  isIsolated(name: string): boolean {
    return this.isolated.has(name);
  }

  /** Lifts every partition: what was held on the paths now flows, in order. */
  healPartitions(): void {
    this.isolated.clear();
    for (const channel of [...this.channels]) channel.pump();
  }

  /** Cuts every live connection of a replica. */
  reset(replica: string): void {
    for (const conn of this.connections) if (conn.replica === replica && conn.live) conn.reset();
  }

  /** How a replica's core dials relays: `host:port` of the URL names a RelayHost. */
  opener(replica: string): OpenRelaySocket {
    return (url, options, on) => {
      const address = url.replace(/^wss?:\/\//, '').replace(/\/$/, '');
      const conn = new SimConnection(this, replica, this.hosts.get(address), on);
      for (const old of this.connections) if (!old.live) this.connections.delete(old);
      this.connections.add(conn);
      this.traffic.dialled++;
      conn.dial(options.handshakeTimeoutMs);
      return conn.socket;
    };
  }

  /** Watches what relays send: each ack names the heads the relay now holds. */
  sentByRelay(host: RelayHost, frame: Uint8Array): void {
    if (frame[0] !== FRAME_TYPES.ack || !this.incident || !host.db) return;
    const ack = decodeFrame(frame);
    if (ack.type !== 'ack') return;
    for (const [device, seq] of Object.entries(ack.header.heads)) {
      if (seq < 1) continue;
      const held = heldOp(host.db, this.incident, device, seq);
      const key = `${device}:${seq}`;
      if (!held) {
        this.violations.push(`${host.address} acknowledged ${key} without holding it`);
        continue;
      }
      const hash = bytesToHex(held.hash);
      const before = this.acknowledged.get(key);
      if (before !== undefined && before !== hash) this.violations.push(`two relays acknowledged different ops at ${key}: ${before} and ${hash}`);
      this.acknowledged.set(key, hash);
    }
  }
}
