/**
 * Two cores fed the same ops, one of them the poller of a real /metrics endpoint: they hold one
 * series (no sample twice, none missing) and show identical alerts, threshold and outage alike.
 */
import { createCore, type Core } from '../../../electron/core/core';
import { opsOf, shareIncident } from '../../support/cores';
import { startHttpServer, type TestHttpServer } from '../../support/metric-servers';
import { tempDir } from '../../support/temp-dir';

const WAIT = { timeout: 20_000, interval: 100 };
const SUSTAIN_MS = 2_000;

let poller: Core;
let replica: Core;
let app: TestHttpServer;

beforeAll(async () => {
  app = await startHttpServer({ status: 200, contentType: 'text/plain', body: 'app_error_ratio 0.07\n' });
  poller = createCore({ dataDir: tempDir(), metrics: { batchMs: 300 } });
  replica = createCore({ dataDir: tempDir(), metrics: { batchMs: 300 } });
});

afterAll(async () => {
  poller.close();
  replica.close();
  await app.close();
});

it('holds one series and shows the same alerts on both replicas', async () => {
  const { incidentId } = poller.call('incidents.declare', { title: 'Payments erroring', severity: 'P3' });
  const { id } = poller.call('sources.save', {
    incidentId,
    config: { name: 'App /metrics', kind: 'prometheus-scrape', address: `${app.origin}/metrics`, selector: 'app_error_ratio', metric: 'error-rate', scale: 100, sustainMs: SUSTAIN_MS, intervalMs: 1_000 },
  });
  shareIncident(poller, replica, incidentId);
  poller.call('sources.setPolling', { incidentId, sourceId: id, polling: true });

  // 7 % error rate held past the 2 s sustain window: P1.
  await vi.waitFor(() => expect(poller.call('alerts.list', { incidentId })).toMatchObject([{ kind: 'threshold', suggestedSeverity: 'P1', metric: 'error-rate' }]), WAIT);
  app.answer = { status: 500, body: 'boom' };
  await vi.waitFor(() => expect(poller.call('alerts.list', { incidentId }).map((a) => a.kind)).toContain('source-down'), WAIT);
  poller.call('sources.setPolling', { incidentId, sourceId: id, polling: false });

  // The replica only ever takes in ops, some twice over.
  const ops = opsOf(poller, incidentId);
  replica.ingest(ops.slice(0, Math.floor(ops.length / 2)));
  replica.ingest(ops);
  expect(replica.call('samples.list', { incidentId })).toEqual(poller.call('samples.list', { incidentId }));
  expect(replica.call('samples.list', { incidentId }).every((s) => s.device === poller.deviceId && Math.abs(s.value - 7) < 1e-9)).toBe(true);
  expect(replica.call('alerts.list', { incidentId })).toEqual(poller.call('alerts.list', { incidentId }));
  expect(replica.call('sources.list', { incidentId })[0].status).toEqual(poller.call('sources.list', { incidentId })[0].status);
  expect(replica.call('alerts.list', { incidentId }).find((a) => a.kind === 'source-down')).toMatchObject({ reason: 'answered HTTP 500', suggestedSeverity: 'P2' });
});
