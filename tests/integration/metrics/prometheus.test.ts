/**
 * Instant queries against a real Prometheus (Debian's package), one instance for this file on a
 * free port with a temporary storage path, scraping the test's own /metrics endpoint every second.
 * A good query is a scaled reading; a bad PromQL expression is a down poll with Prometheus's error.
 */
import fs from 'node:fs';
import { createCore, type Core } from '../../../electron/core/core';
import { PROMETHEUS, startHttpServer, startPrometheus, type TestHttpServer, type TestPrometheus } from '../../support/metric-servers';
import { tempDir } from '../../support/temp-dir';

const BATCH_MS = 300;
const WAIT = { timeout: 30_000, interval: 200 };
const EXPOSITION = '# TYPE app_error_ratio gauge\napp_error_ratio 0.07\n# TYPE app_latency_seconds gauge\napp_latency_seconds{quantile="0.99"} 12.5\n';

const available = fs.existsSync(PROMETHEUS);
if (!available && process.env.CI === 'true') throw new Error(`${PROMETHEUS} is missing: .ci/run installs Debian's prometheus package`);

describe.skipIf(!available)('prometheus-query sources against a real Prometheus', () => {
  let app: TestHttpServer;
  let prometheus: TestPrometheus;
  let core: Core;
  let incidentId: string;

  beforeAll(async () => {
    app = await startHttpServer({ status: 200, contentType: 'text/plain; version=0.0.4', body: EXPOSITION });
    prometheus = await startPrometheus(`127.0.0.1:${app.port}`, 'app_error_ratio');
    core = createCore({ dataDir: tempDir(), metrics: { batchMs: BATCH_MS } });
    incidentId = core.call('incidents.declare', { title: 'Checkout failing', severity: 'P3' }).incidentId;
  }, 90_000);

  afterAll(async () => {
    core?.close();
    await prometheus?.stop();
    await app?.close();
  });

  const query = (name: string, expression: string, metric: string, scale = 1) => {
    const { id } = core.call('sources.save', { incidentId, config: { name, kind: 'prometheus-query', address: prometheus.origin, selector: expression, metric, scale, intervalMs: 1_000 } });
    core.call('sources.setPolling', { incidentId, sourceId: id, polling: true });
    return id;
  };
  const samplesOf = (id: string) => core.call('samples.list', { incidentId }).filter((s) => s.source === id);
  const statusOf = (id: string) => core.call('sources.list', { incidentId }).find((s) => s.id === id)!.status;

  it('answers an error-ratio query, scaled to percent, and a p99 latency query in seconds', async () => {
    const errors = query('Error ratio', 'max(app_error_ratio)', 'error-rate', 100);
    const latency = query('p99 latency', 'app_latency_seconds{quantile="0.99"}', 'response-time');
    await vi.waitFor(() => {
      expect(samplesOf(errors).length).toBeGreaterThan(0);
      expect(samplesOf(latency).length).toBeGreaterThan(0);
    }, WAIT);
    expect(samplesOf(errors)[0].value).toBeCloseTo(7, 9);
    expect(samplesOf(latency)[0].value).toBe(12.5);
    expect(statusOf(errors).state).toBe('up');
  });

  it('records a query Prometheus refuses (bad PromQL) as down with Prometheus\'s own error, and no sample', async () => {
    const broken = query('Broken', 'sum(rate(app_error_ratio[1m]', 'error-rate', 100);
    await vi.waitFor(() => expect(statusOf(broken).state).toBe('down'), WAIT);
    expect(statusOf(broken).reason).toMatch(/^Prometheus error \(bad_data\): .*parse error/);
    expect(samplesOf(broken)).toEqual([]);
  });

  it('records a query with no series as down, saying so', async () => {
    const empty = query('Nothing', 'app_missing_metric', 'error-rate');
    await vi.waitFor(() => expect(statusOf(empty)).toMatchObject({ state: 'down', reason: 'the query returned no series' }), WAIT);
  });
});
