/**
 * relay.ts without sockets: fake transports whose send buffer and draining the test controls, on a
 * real relay store, to check the bounds that need a slow client to show (the catch-up semaphore,
 * dropping a lagging connection from live fan-out to pages); and the server's heartbeats on real
 * sockets (a silent connection is cut, one that answers pings stays).
 */
import { nodeCrypto as c } from '../../../electron/crypto';
import { createRelay, DEFAULT_LIMITS, type Relay, type RelayConnection, type Transport } from '../../../electron/relay/relay';
import { closeRelayStore, openRelayStore, type RelayDb } from '../../../electron/relay/store';
import { decodeFrame, encodeFrame, fromBase64, helloMessage, PROTOCOL_VERSION, toBase64, type Frame } from '../../../shared/sync/protocol';
import { RelayTestClient } from '../../support/relay-client';
import { relayIncident, type RelayIncident } from '../../support/relay-incident';
import { testRelay } from '../../support/relays';
import { tempDir } from '../../support/temp-dir';

class FakeTransport implements Transport {
  readonly frames: Frame[] = [];
  closedWith: { code: number; reason: string } | undefined;
  bufferedAmount = 0;
  private gate: Promise<void> = Promise.resolve();
  private open: (() => void) | undefined;

  send(bytes: Uint8Array): void {
    this.frames.push(decodeFrame(bytes));
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason };
  }
  drained(): Promise<void> {
    return this.gate;
  }
  /** From now on the transport does not drain until release(). */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open?.();
    this.gate = Promise.resolve();
  }
  ofType<T extends Frame['type']>(type: T): Extract<Frame, { type: T }>[] {
    return this.frames.filter((f) => f.type === type) as Extract<Frame, { type: T }>[];
  }
}

let db: RelayDb;
let incident: RelayIncident;

beforeAll(() => {
  db = openRelayStore(tempDir('sitrep-relay-logic-'));
  incident = relayIncident({ entries: 30 });
});
afterAll(() => closeRelayStore(db));

function connect(relay: Relay, as: 'writer' | 'reader'): { transport: FakeTransport; connection: RelayConnection } {
  const transport = new FakeTransport();
  const connection = relay.connect(transport);
  const challenge = transport.ofType('challenge')[0].header;
  const key = as === 'writer' ? incident.deviceKey : incident.keys.readAuthority;
  const frame = encodeFrame(
    'hello',
    {
      protocol: PROTOCOL_VERSION,
      incident: incident.incidentId,
      writeAuthority: toBase64(incident.keys.writeAuthority.publicKey),
      as,
      key: toBase64(key.publicKey),
      signature: toBase64(key.sign(helloMessage(fromBase64(challenge.nonce), incident.incidentId, key.publicKey))),
      ...(as === 'writer' && { certificate: toBase64(incident.certificate) }),
      cursor: null,
      have: {},
    },
    as === 'writer' ? [incident.genesis] : [],
  );
  connection.receive(frame);
  expect(transport.ofType('welcome')).toHaveLength(1);
  return { transport, connection };
}

const push = (connection: RelayConnection, page: number, ops: Uint8Array[]) => connection.receive(encodeFrame('push', { page }, ops));

test('catch-ups beyond the relay-wide limit are told to retry later, with jitter; a finished one frees its slot', async () => {
  const relay = createRelay({ db, crypto: c, limits: { concurrentCatchUps: 1 } });
  const writer = connect(relay, 'writer');
  push(writer.connection, 1, incident.chain.slice(0, 10));
  expect(writer.transport.ofType('ack')[0].header.stored).toBe(10);

  const slow = connect(relay, 'reader');
  slow.transport.hold();
  slow.connection.receive(encodeFrame('catch-up', { after: 0 }));
  const refused = connect(relay, 'reader');
  refused.connection.receive(encodeFrame('catch-up', { after: 0 }));
  const error = refused.transport.ofType('error')[0].header;
  expect(error.code).toBe('rate-limited');
  expect(error.retryAfterMs).toBeGreaterThanOrEqual(DEFAULT_LIMITS.catchUpRetryMs);
  expect(error.retryAfterMs).toBeLessThan(DEFAULT_LIMITS.catchUpRetryMs + DEFAULT_LIMITS.catchUpRetryJitterMs);
  expect(refused.transport.ofType('ops')).toEqual([]);

  slow.transport.release();
  await vi.waitFor(() => expect(slow.transport.ofType('caught-up')).toHaveLength(1));
  refused.connection.receive(encodeFrame('catch-up', { after: 0 }));
  await vi.waitFor(() => expect(refused.transport.ofType('caught-up')).toHaveLength(1));
  expect(refused.transport.ofType('ops').flatMap((f) => f.blobs)).toEqual([incident.genesis, ...incident.chain.slice(0, 10)]);

  // A connection that closes mid-catch-up frees its slot too.
  const leaving = connect(relay, 'reader');
  leaving.transport.hold();
  leaving.connection.receive(encodeFrame('catch-up', { after: 0 }));
  leaving.connection.closed();
  const next = connect(relay, 'reader');
  next.connection.receive(encodeFrame('catch-up', { after: 0 }));
  await vi.waitFor(() => expect(next.transport.ofType('caught-up')).toHaveLength(1));
});

test('a live connection whose send buffer is over the high-water mark drops to pages and catches up once drained', async () => {
  const relay = createRelay({ db, crypto: c, limits: { sendHighWaterBytes: 1_000 } });
  const writer = connect(relay, 'writer');
  const lagging = connect(relay, 'reader');
  lagging.connection.receive(encodeFrame('catch-up', { after: 0 }));
  await vi.waitFor(() => expect(lagging.transport.ofType('caught-up')).toHaveLength(1));
  const caughtUpAt = lagging.transport.ofType('caught-up')[0].header.headRelaySeq;
  const received = () => lagging.transport.ofType('ops').flatMap((f) => f.header.relaySeqs.map((relaySeq, i) => ({ relaySeq, op: f.blobs[i] })));
  const before = received().length;

  lagging.transport.bufferedAmount = 5_000;
  lagging.transport.hold();
  push(writer.connection, 2, incident.chain.slice(10, 15));
  push(writer.connection, 3, incident.chain.slice(15, 20));
  expect(writer.transport.ofType('ack').map((a) => a.header.stored)).toEqual([5, 5]);
  expect(received()).toHaveLength(before);

  lagging.transport.bufferedAmount = 0;
  lagging.transport.release();
  await vi.waitFor(() => expect(received()).toHaveLength(before + 10));
  const late = received().slice(before);
  expect(late.map((r) => r.op)).toEqual(incident.chain.slice(10, 20));
  expect(late[0].relaySeq).toBeGreaterThan(caughtUpAt);
  expect(late.map((r) => r.relaySeq)).toEqual([...late.map((r) => r.relaySeq)].sort((a, b) => a - b));

  // Live again: the next push arrives at once.
  push(writer.connection, 4, incident.chain.slice(20, 21));
  expect(received().map((r) => r.op).slice(-1)).toEqual([incident.chain[20]]);
});

test("a relay host clock stepped back (NTP) neither drains a connection's rate limit nor stalls it for the step", () => {
  let now = Date.UTC(2026, 10, 29, 16);
  const steppedDb = openRelayStore(tempDir('sitrep-relay-clock-'));
  try {
    const relay = createRelay({ db: steppedDb, crypto: c, now: () => now, limits: { opsPerSecond: 10, burstOps: 20 } });
    const writer = connect(relay, 'writer');
    now -= 2 * 3_600_000;
    push(writer.connection, 1, incident.chain.slice(0, 10));
    expect(writer.transport.ofType('error')).toEqual([]);
    expect(writer.transport.ofType('ack')[0].header.stored).toBe(10);
  } finally {
    closeRelayStore(steppedDb);
  }
});

test('relay-wide closeAll closes every connection as going-away', () => {
  const relay = createRelay({ db, crypto: c });
  const a = connect(relay, 'reader');
  const b = new FakeTransport();
  relay.connect(b);
  relay.closeAll();
  expect(a.transport.closedWith?.code).toBe(1001);
  expect(b.closedWith?.code).toBe(1001);
});

test('the server cuts a connection that stays silent past the dead-after time, and keeps one that answers pings', async () => {
  const relay = await testRelay({ heartbeatMs: 20, deadAfterMs: 300 });
  const alive = await RelayTestClient.connect(relay.url);
  alive.answerPings = true;
  const silent = await RelayTestClient.connect(relay.url);
  await silent.closed();
  // Still pinged, still open, well past the dead-after time it would have had without answering.
  const pingsBefore = alive.frames.filter((f) => f.type === 'ping').length;
  await alive.until(() => (alive.frames.filter((f) => f.type === 'ping').length > pingsBefore + 20 ? true : undefined), 'more pings');
  expect(alive.closedWith).toBeUndefined();
  alive.close();
});
