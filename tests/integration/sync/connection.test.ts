/**
 * The connection itself: the clock offset measured against the relay (DESIGN.md §5 "Clocks"),
 * heartbeats that find a silent relay dead and reconnect, and catch-up progress in sync.status.
 */
import net from 'node:net';
import { incidentOps } from '../../../electron/core/op-log';
import { decodeOp } from '../../../shared/sync/op-envelope';
import { SKEW_LIMIT_MS } from '../../../electron/core/sync/sync-manager';
import { converged, openCore, relayAddress, startTestRelay, status, waitFor } from './sync-harness';

const TEN_MINUTES = 10 * 60_000;
/** The measured offset is the relay's time at the midpoint of a round trip on loopback. */
const MEASURE_TOLERANCE_MS = 2_000;

/** A TCP hop to the relay that can go silent (no close, no data), as a dead network path does. */
async function silenceableHop(port: number) {
  const pairs = new Set<{ silent: boolean; client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    const pair = { silent: false, client, upstream };
    pairs.add(pair);
    client.on('data', (d) => pair.silent || upstream.write(d));
    upstream.on('data', (d) => pair.silent || client.write(d));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => {
    for (const pair of pairs) pair.client.destroy();
    server.close();
  });
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    silenceCurrent: () => pairs.forEach((pair) => (pair.silent = true)),
    open: () => [...pairs].filter((pair) => !pair.silent).length,
  };
}

describe('the relay connection', () => {
  it('measures the clock offset, stamps HLCs on the relay clock, and others mark a device ten minutes off', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Clock drift', severity: 'P3' });
    const { writeLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    const fast = openCore(undefined, 'Fast', { now: () => Date.now() + TEN_MINUTES });
    fast.call('incidents.join', { link: writeLink!, name: 'Fast' });

    const measured = await waitFor(() => status(fast, incidentId).clockOffsetMs, "Fast's clock offset");
    expect(Math.abs(measured - TEN_MINUTES)).toBeLessThan(MEASURE_TOLERANCE_MS);
    await waitFor(() => status(ana, incidentId).clockOffsetMs !== null, "Ana's clock offset");
    expect(Math.abs(status(ana, incidentId).clockOffsetMs!)).toBeLessThan(MEASURE_TOLERANCE_MS);

    await fast.invoke('timeline.add', { incidentId, text: 'stamped on the relay clock' });
    const header = incidentOps(fast.context.db, incidentId).map((b) => decodeOp(b).header).filter((h) => h.deviceId === fast.deviceId).at(-1)!;
    expect(Math.abs(header.hlc.ms - Date.now())).toBeLessThan(MEASURE_TOLERANCE_MS + 5_000);
    expect(Math.abs(header.clockOffsetMs + TEN_MINUTES)).toBeLessThan(MEASURE_TOLERANCE_MS);

    await converged(incidentId, ana, fast);
    await waitFor(() => status(ana, incidentId).skewedDevices.includes(fast.deviceId), 'Ana to mark Fast as more than a minute off');
    expect(status(ana, incidentId).skewedDevices).not.toContain(ana.deviceId);
    expect(SKEW_LIMIT_MS).toBe(60_000);
  });

  it('finds a silent relay dead by its heartbeats and reconnects', async () => {
    const relay = await startTestRelay();
    const hop = await silenceableHop(relay.port);
    const ana = openCore(undefined, 'Ana', { sync: { heartbeatMs: 200, deadAfterMs: 1_000 } });
    const { incidentId } = ana.call('incidents.declare', { title: 'Flaky link', severity: 'P3' });
    ana.call('incidents.share', { incidentId, relay: hop.address });
    await waitFor(() => status(ana, incidentId).state === 'live', 'Ana live through the hop');

    hop.silenceCurrent();
    ana.call('timeline.add', { incidentId, text: 'sent into the void' });
    await waitFor(() => status(ana, incidentId).lastError?.code === 'timeout', 'the heartbeat to find the relay dead');
    await waitFor(() => status(ana, incidentId).state === 'live' && hop.open() > 0, 'a new connection');
    await waitFor(() => status(ana, incidentId).pendingOps === 0, 'the op to reach the relay after all');
  });

  it('reports catch-up progress as ops received of those the relay announced', async () => {
    const relay = await startTestRelay();
    const ana = openCore(undefined, 'Ana');
    const { incidentId } = ana.call('incidents.declare', { title: 'Backlog', severity: 'P3' });
    const { readLink } = ana.call('incidents.share', { incidentId, relay: relayAddress(relay) });
    for (let i = 0; i < 700; i++) ana.call('timeline.add', { incidentId, text: `entry ${i}` });
    await waitFor(() => status(ana, incidentId).pendingOps === 0, 'the backlog on the relay');

    const bea = openCore(undefined, 'Bea');
    const progress: { received: number; total: number }[] = [];
    bea.subscribe((event) => {
      if (event.type !== 'sync-changed' || event.incidentId !== incidentId) return;
      const catchingUp = status(bea, incidentId).catchingUp;
      if (catchingUp) progress.push(catchingUp);
    });
    bea.call('incidents.join', { link: readLink, name: 'Bea' });
    await converged(incidentId, ana, bea);
    await waitFor(() => status(bea, incidentId).state === 'live', 'Bea live');
    expect(progress.some((p) => p.received > 0 && p.received < p.total)).toBe(true);
    for (const p of progress) expect(p.received).toBeLessThanOrEqual(p.total);
  });
});
