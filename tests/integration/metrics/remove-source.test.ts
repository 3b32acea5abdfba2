/**
 * Taking a metric source off an incident, and moving it to another poller device: replicated writes
 * that stop the poller where it runs (a real endpoint on 127.0.0.1 stops getting hits), keep the
 * source's samples in the history and the charts, and put the removal on the timeline.
 */
import { createCore, type Core } from '../../../electron/core/core';
import { SitrepError } from '../../../shared/errors';
import { fakeClock, opsOf, shareIncident } from '../../support/cores';
import { startHttpServer, type TestHttpServer } from '../../support/metric-servers';
import { tempDir } from '../../support/temp-dir';

const BATCH_MS = 300;
const INTERVAL_MS = 1_000;
const WAIT = { timeout: 20_000, interval: 100 };
/** Long enough for several polls, had the poller kept running. */
const QUIET_MS = 3 * INTERVAL_MS;
const HEALTHY = JSON.stringify({ status: 'ok' });

const clock = fakeClock();
const cores: Core[] = [];
const servers: TestHttpServer[] = [];

afterAll(async () => {
  for (const core of cores) core.close();
  await Promise.all(servers.map((s) => s.close()));
});

function console_(name: string): Core {
  const core = createCore({ dataDir: tempDir(), now: clock.now, metrics: { batchMs: BATCH_MS } });
  core.call('device.setName', { name });
  cores.push(core);
  return core;
}

async function healthEndpoint(): Promise<TestHttpServer> {
  const server = await startHttpServer({ status: 200, body: HEALTHY });
  servers.push(server);
  return server;
}

const hits = (server: TestHttpServer) => server.authorizations.length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the endpoint is polled `more` times again, the clock moving a second per look so samples have their own times. */
async function polledAgain(server: TestHttpServer, more: number): Promise<void> {
  const from = hits(server);
  await vi.waitFor(() => {
    clock.advance(INTERVAL_MS);
    expect(hits(server)).toBeGreaterThanOrEqual(from + more);
  }, WAIT);
}

/** Hits after a poll that may be in flight has landed, then none for a while. */
async function expectNoMorePolls(server: TestHttpServer): Promise<void> {
  await sleep(INTERVAL_MS);
  const settled = hits(server);
  await sleep(QUIET_MS);
  expect(hits(server)).toBe(settled);
}

describe('sources.remove', () => {
  it('removed on a peer: the poller device stops polling, the samples stay, the timeline says so', async () => {
    const poller = console_('Ana');
    const peer = console_('Ben');
    const { incidentId } = poller.call('incidents.declare', { title: 'Checkout failing', severity: 'P2' });
    const health = await healthEndpoint();
    const source = poller.call('sources.save', {
      incidentId,
      config: { name: 'API health', kind: 'http-health', address: `${health.origin}/health`, metric: 'response-time', intervalMs: INTERVAL_MS },
    });
    poller.call('sources.setPolling', { incidentId, sourceId: source.id, polling: true });
    await polledAgain(health, 3);
    await vi.waitFor(() => expect(poller.call('samples.list', { incidentId }).filter((s) => s.source === source.id).length).toBeGreaterThan(1), WAIT);

    shareIncident(poller, peer, incidentId);
    expect(peer.call('sources.list', { incidentId }).map((s) => s.id)).toEqual([source.id]);
    expect(peer.call('sources.remove', { incidentId, sourceId: source.id })).toEqual([]);
    poller.ingest(opsOf(peer, incidentId));

    await expectNoMorePolls(health);
    // The poller wrote what it held when it stopped; the peer takes that in too.
    peer.ingest(opsOf(poller, incidentId));
    for (const core of [poller, peer]) {
      expect(core.call('sources.list', { incidentId })).toEqual([]);
      const kept = core.call('samples.list', { incidentId }).filter((s) => s.source === source.id);
      expect(kept.length).toBeGreaterThan(1);
      expect(core.call('metrics.series', { incidentId }).series.find((s) => s.metric === 'response-time')?.total).toBe(kept.length);
      expect(core.call('timeline.list', { incidentId }).entries.map((e) => e.text)).toContain('Ben removed metric source "API health" (its samples stay)');
    }
    // Gone for good: nothing more can be done to it.
    expect(() => poller.call('sources.setPolling', { incidentId, sourceId: source.id, polling: true })).toThrow(SitrepError);
    expect(() => peer.call('sources.remove', { incidentId, sourceId: source.id })).toThrow(/no metric source/);
  });

  it('a removed source that was down raises no outage alert', async () => {
    const core = console_('Cleo');
    const { incidentId } = core.call('incidents.declare', { title: 'Status page down', severity: 'P3' });
    const health = await healthEndpoint();
    health.answer = { status: 503, body: 'down' };
    const source = core.call('sources.save', {
      incidentId,
      config: { name: 'Status page', kind: 'http-health', address: `${health.origin}/`, metric: 'response-time', intervalMs: INTERVAL_MS },
    });
    core.call('sources.setPolling', { incidentId, sourceId: source.id, polling: true });
    await vi.waitFor(() => {
      clock.advance(INTERVAL_MS);
      expect(core.call('alerts.list', { incidentId }).some((a) => a.kind === 'source-down')).toBe(true);
    }, WAIT);
    core.call('sources.remove', { incidentId, sourceId: source.id });
    await expectNoMorePolls(health);
    expect(core.call('alerts.list', { incidentId }).filter((a) => a.kind === 'source-down')).toEqual([]);
  });
});

describe('moving a source to another poller device (sources.save with pollerDevice)', () => {
  it('the old poller stops, the new one polls once it turns polling on there', async () => {
    const first = console_('Dana');
    const second = console_('Eli');
    const { incidentId } = first.call('incidents.declare', { title: 'Latency', severity: 'P3' });
    const health = await healthEndpoint();
    const saved = first.call('sources.save', {
      incidentId,
      config: { name: 'Edge health', kind: 'http-health', address: `${health.origin}/health`, metric: 'response-time', intervalMs: INTERVAL_MS },
    });
    first.call('sources.setPolling', { incidentId, sourceId: saved.id, polling: true });
    await polledAgain(health, 2);
    shareIncident(first, second, incidentId);

    const { config } = first.call('sources.list', { incidentId })[0];
    first.call('sources.save', { incidentId, sourceId: saved.id, config: { ...config, pollerDevice: second.deviceId } });
    await expectNoMorePolls(health);
    second.ingest(opsOf(first, incidentId));
    const moved = second.call('sources.list', { incidentId })[0];
    expect(moved).toMatchObject({ pollerIsHere: true, pollingHere: false });
    expect(() => first.call('sources.setPolling', { incidentId, sourceId: saved.id, polling: true })).toThrow(/polled by device/);

    second.call('sources.setPolling', { incidentId, sourceId: saved.id, polling: true });
    await polledAgain(health, 2);
  });
});
