/**
 * Pollers against real HTTP servers on 127.0.0.1: a health endpoint that goes down and comes back,
 * a /metrics endpoint, an unreachable address and one that never answers. Every failed poll is a
 * down data point with its reason, never a sample; readings are scaled into the metric's unit and
 * batched into one op per source.
 */
import { createCore, type Core } from '../../../electron/core/core';
import type { ApiArgs } from '../../../shared/api';
import type { SourceView } from '../../../shared/model/views';
import { freePort, opPayloads, startHttpServer, type TestHttpServer } from '../../support/metric-servers';
import { tempDir } from '../../support/temp-dir';

/** Short batches so a test sees ops within a second; the shipped default is 10 s. */
const BATCH_MS = 300;
const WAIT = { timeout: 20_000, interval: 100 };
const HEALTHY = JSON.stringify({ status: 'ok', checks: { database: { status: 'ok' } } });

let core: Core;
let incidentId: string;
const servers: TestHttpServer[] = [];

beforeAll(() => {
  core = createCore({ dataDir: tempDir(), metrics: { batchMs: BATCH_MS } });
  incidentId = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P3' }).incidentId;
});

afterAll(async () => {
  core.close();
  await Promise.all(servers.map((s) => s.close()));
});

async function server(answer: Parameters<typeof startHttpServer>[0]): Promise<TestHttpServer> {
  const started = await startHttpServer(answer);
  servers.push(started);
  return started;
}

function pollSource(config: ApiArgs<'sources.save'>['config']): string {
  const { id } = core.call('sources.save', { incidentId, config: { intervalMs: 1_000, ...config } });
  core.call('sources.setPolling', { incidentId, sourceId: id, polling: true });
  return id;
}

const source = (id: string): SourceView => core.call('sources.list', { incidentId }).find((s) => s.id === id)!;
const samplesOf = (id: string) => core.call('samples.list', { incidentId }).filter((s) => s.source === id);
const pollsOf = (id: string) => opPayloads(core, incidentId).flatMap((p) => (p.kind === 'samples.add' && p.source === id ? (p.polls ?? []) : []));

async function statusBecomes(id: string, expected: Partial<SourceView['status']>): Promise<void> {
  await vi.waitFor(() => expect(source(id).status).toMatchObject(expected), WAIT);
}

describe('metric pollers against real servers', () => {
  it('follows a health endpoint that goes down and comes back; no value is made up while it is down', async () => {
    const health = await server({ status: 200, body: HEALTHY });
    const id = pollSource({ name: 'API health', kind: 'http-health', address: `${health.origin}/health`, selector: 'checks.database.status', metric: 'response-time' });
    await statusBecomes(id, { state: 'up' });

    health.answer = { status: 503, body: 'maintenance' };
    await statusBecomes(id, { state: 'down', reason: 'answered HTTP 503' });
    const downSince = source(id).status.downSince!;
    health.answer = { status: 200, body: JSON.stringify({ checks: { database: { status: 'degraded' } } }) };
    await statusBecomes(id, { state: 'down', reason: 'checks.database.status is "degraded"', downSince });
    health.answer = null;
    await statusBecomes(id, { state: 'down', reason: 'connection closed before an answer', downSince });

    health.answer = { status: 200, body: HEALTHY };
    await statusBecomes(id, { state: 'up', downSince: null });
    core.call('sources.setPolling', { incidentId, sourceId: id, polling: false });

    // Every sample is one up poll's response time in seconds; down polls carry a reason and no sample.
    const polls = pollsOf(id);
    const samples = samplesOf(id);
    expect(samples).toHaveLength(polls.filter((p) => p.up).length);
    expect(samples.every((s) => s.metric === 'response-time' && s.value >= 0 && s.value < 5)).toBe(true);
    expect(polls.filter((p) => !p.up).every((p) => typeof p.reason === 'string' && p.reason.length > 0)).toBe(true);
    expect(new Set(samples.map((s) => s.t)).size).toBe(samples.length);
  });

  it('batches a source\'s polls into one op per batch window, and writes what it holds when polling stops', async () => {
    const batching = createCore({ dataDir: tempDir(), metrics: { batchMs: 60_000 } });
    try {
      const health = await server({ status: 200, body: HEALTHY });
      const incident = batching.call('incidents.declare', { title: 'Batching', severity: 'P3' }).incidentId;
      const { id } = batching.call('sources.save', { incidentId: incident, config: { name: 'Health', kind: 'http-health', address: `${health.origin}/health`, metric: 'response-time', intervalMs: 1_000 } });
      batching.call('sources.setPolling', { incidentId: incident, sourceId: id, polling: true });
      await vi.waitFor(() => expect(health.authorizations.length).toBeGreaterThanOrEqual(3), WAIT);
      expect(batching.call('samples.list', { incidentId: incident })).toEqual([]);
      batching.call('sources.setPolling', { incidentId: incident, sourceId: id, polling: false });
      const ops = opPayloads(batching, incident).filter((p) => p.kind === 'samples.add');
      expect(ops).toHaveLength(1);
      expect(ops[0].kind === 'samples.add' && ops[0].polls!.length).toBeGreaterThanOrEqual(3);
      expect(batching.call('samples.list', { incidentId: incident }).length).toBe(ops[0].kind === 'samples.add' ? ops[0].samples.length : -1);
    } finally {
      batching.close();
    }
  });

  it('scales a /metrics reading into the metric\'s unit (a ratio of 0.06 is 6 %) and refuses a body of the wrong format', async () => {
    const metrics = await server({ status: 200, contentType: 'text/plain; version=0.0.4', body: 'http_errors_ratio{job="api"} 0.06\nhttp_errors_ratio{job="web"} 0.5\n' });
    const id = pollSource({ name: 'API /metrics', kind: 'prometheus-scrape', address: `${metrics.origin}/metrics`, selector: 'http_errors_ratio{job="api"}', metric: 'error-rate', scale: 100 });
    await vi.waitFor(() => expect(samplesOf(id).length).toBeGreaterThan(0), WAIT);
    expect(samplesOf(id)[0]).toMatchObject({ metric: 'error-rate', value: 6, device: core.deviceId });

    metrics.answer = { status: 200, contentType: 'text/html', body: '<html><body>Login</body></html>' };
    await statusBecomes(id, { state: 'down', reason: 'not the Prometheus text format (line 1: not a metric sample)' });
    core.call('sources.setPolling', { incidentId, sourceId: id, polling: false });
  });

  it('counts an unreachable address and a source that never answers as down, with their reasons', async () => {
    const refused = pollSource({ name: 'Nobody home', kind: 'http-health', address: `http://127.0.0.1:${await freePort()}/health`, metric: 'response-time' });
    const slow = await server({ status: 200, body: HEALTHY, delayMs: 5_000 });
    const silent = pollSource({ name: 'Slow', kind: 'http-health', address: `${slow.origin}/health`, metric: 'response-time' });
    await statusBecomes(refused, { state: 'down', reason: 'connection refused' });
    await statusBecomes(silent, { state: 'down', reason: 'no answer within 1 s' });
    for (const id of [refused, silent]) {
      core.call('sources.setPolling', { incidentId, sourceId: id, polling: false });
      expect(samplesOf(id)).toEqual([]);
    }
  });

  it('presents the local credentials to the source, and nowhere else', async () => {
    const guarded = await server({ status: 200, body: HEALTHY });
    const { id } = core.call('sources.save', { incidentId, config: { name: 'Guarded', kind: 'http-health', address: `${guarded.origin}/health`, metric: 'response-time', intervalMs: 1_000 } });
    core.call('sources.setCredentials', { incidentId, sourceId: id, credentials: { kind: 'basic', username: 'ops', password: 'hunter2' } });
    core.call('sources.setPolling', { incidentId, sourceId: id, polling: true });
    await vi.waitFor(() => expect(guarded.authorizations).toContain(`Basic ${Buffer.from('ops:hunter2').toString('base64')}`), WAIT);
    core.call('sources.setPolling', { incidentId, sourceId: id, polling: false });
    expect(JSON.stringify(opPayloads(core, incidentId))).not.toContain('hunter2');
  });
});
