/**
 * Metric source configuration: part of the incident (replicated through ops), one named poller,
 * polling turned on only locally on that device, credentials only in that device's local file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CREDENTIALS_FILE } from '../../../electron/core/metrics/credential-store';
import { callRaw, expectRefused, withIncident } from '../../support/api-expect';
import { opsOf, shareIncident, testCore } from '../../support/cores';
import { opPayloads } from '../../support/metric-servers';

const QUERY_SOURCE = {
  name: 'API error ratio',
  kind: 'prometheus-query',
  address: 'http://127.0.0.1:9',
  selector: 'sum(rate(http_errors_total[1m])) / sum(rate(http_requests_total[1m]))',
  metric: 'error-rate',
  scale: 100,
  sustainMs: 30_000,
  intervalMs: 5_000,
} as const;

describe('metric source configuration', () => {
  it('is saved with its defaults, this device as its poller, and listed', () => {
    const fx = withIncident();
    const saved = fx.call('sources.save', { incidentId: fx.incidentId, config: { name: 'Health', kind: 'http-health', address: 'http://127.0.0.1:9/health', metric: 'response-time' } });
    expect(saved.config).toEqual({
      name: 'Health',
      kind: 'http-health',
      address: 'http://127.0.0.1:9/health',
      intervalMs: 10_000,
      selector: '',
      metric: 'response-time',
      scale: 1,
      sustainMs: 0,
      pollerDevice: fx.core.deviceId,
      downSeverity: 'P2',
    });
    expect(saved.status).toEqual({ state: 'unknown', at: null, reason: null, downSince: null });
    expect(saved.pollingHere).toBe(false);
    expect(saved.pollerIsHere).toBe(true);
    expect(fx.call('sources.list', { incidentId: fx.incidentId })).toEqual([saved]);
  });

  it('refuses an interval below one second, an unknown metric, and a query without its expression', () => {
    const fx = withIncident();
    expectRefused(fx.core, () => callRaw(fx.core, 'sources.save', { incidentId: fx.incidentId, config: { ...QUERY_SOURCE, intervalMs: 999 } }), 'invalid-argument', 'config.intervalMs: must be at least 1 s');
    expectRefused(fx.core, () => callRaw(fx.core, 'sources.save', { incidentId: fx.incidentId, config: { ...QUERY_SOURCE, metric: 'happiness' } }), 'invalid-argument', /^config\.metric: no metric "happiness"/);
    expectRefused(fx.core, () => callRaw(fx.core, 'sources.save', { incidentId: fx.incidentId, config: { ...QUERY_SOURCE, selector: '' } }), 'invalid-argument', 'config.selector: a PromQL expression is required');
    expectRefused(fx.core, () => callRaw(fx.core, 'sources.save', { incidentId: fx.incidentId, config: { ...QUERY_SOURCE, address: 'prometheus:9090' } }), 'invalid-argument', 'config.address: must be an http:// or https:// address');
    expect(fx.call('sources.list', { incidentId: fx.incidentId })).toEqual([]);
  });

  it('is replicated: a second device holds the same configuration and the timeline says who added it', () => {
    const fx = withIncident({ name: 'Ana' });
    const saved = fx.call('sources.save', { incidentId: fx.incidentId, config: QUERY_SOURCE });
    const other = testCore({ name: 'Ben' });
    shareIncident(fx.core, other.core, fx.incidentId);
    const there = other.core.call('sources.list', { incidentId: fx.incidentId });
    expect(there.map((s) => ({ id: s.id, config: s.config }))).toEqual([{ id: saved.id, config: saved.config }]);
    expect(fx.timeline({ kinds: ['system'] }).map((e) => e.text)).toContain('Ana added metric source "API error ratio"');

    const edited = fx.call('sources.save', { incidentId: fx.incidentId, sourceId: saved.id, config: { ...QUERY_SOURCE, scale: 1, sustainMs: 0 } });
    other.core.ingest(opsOf(fx.core, fx.incidentId));
    expect(other.core.call('sources.list', { incidentId: fx.incidentId })[0].config).toEqual(edited.config);
  });

  it('turns polling on only on its poller device, and only there', () => {
    const fx = withIncident();
    const saved = fx.call('sources.save', { incidentId: fx.incidentId, config: QUERY_SOURCE });
    const other = testCore();
    shareIncident(fx.core, other.core, fx.incidentId);
    expectRefused(other.core, () => other.core.call('sources.setPolling', { incidentId: fx.incidentId, sourceId: saved.id, polling: true }), 'invalid-argument', 'sourceId: polled by another device');
    const opsBefore = opPayloads(fx.core, fx.incidentId).length;
    expect(fx.call('sources.setPolling', { incidentId: fx.incidentId, sourceId: saved.id, polling: true }).pollingHere).toBe(true);
    expect(other.core.call('sources.list', { incidentId: fx.incidentId })[0].pollingHere).toBe(false);
    // A local choice: no op was written for it.
    expect(opPayloads(fx.core, fx.incidentId).filter((p) => p.kind !== 'samples.add')).toHaveLength(opsBefore);
    expect(fx.call('sources.setPolling', { incidentId: fx.incidentId, sourceId: saved.id, polling: false }).pollingHere).toBe(false);
  });

  it('keeps credentials in the device\'s local file only: no op, no table, no view holds them', () => {
    const fx = withIncident();
    const saved = fx.call('sources.save', { incidentId: fx.incidentId, config: QUERY_SOURCE });
    const token = 'tok-8c1f2e7d-very-secret';
    const password = 'pw-41d9-also-secret';
    expect(fx.call('sources.setCredentials', { incidentId: fx.incidentId, sourceId: saved.id, credentials: { kind: 'bearer', token } }).credentials).toBe('bearer');
    const second = fx.call('sources.save', { incidentId: fx.incidentId, config: { ...QUERY_SOURCE, name: 'Second' } });
    fx.call('sources.setCredentials', { incidentId: fx.incidentId, sourceId: second.id, credentials: { kind: 'basic', username: 'ops', password } });

    const file = path.join(fx.core.dataDir, CREDENTIALS_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toContain(token);

    const payloads = JSON.stringify(opPayloads(fx.core, fx.incidentId));
    expect(payloads).toContain('API error ratio');
    for (const secret of [token, password]) {
      expect(payloads).not.toContain(secret);
      expect(JSON.stringify(fx.call('sources.list', { incidentId: fx.incidentId }))).not.toContain(secret);
      expect(everyStoredText(fx.core)).not.toContain(secret);
      expect(fs.readFileSync(path.join(fx.core.dataDir, 'sitrep.db')).includes(Buffer.from(secret))).toBe(false);
    }
    fx.call('sources.setCredentials', { incidentId: fx.incidentId, sourceId: saved.id, credentials: { kind: 'none' } });
    expect(fs.readFileSync(file, 'utf8')).not.toContain(token);
  });
});

/** Every text cell of every table of the store. */
function everyStoredText(core: ReturnType<typeof testCore>['core']): string {
  const tables = core.context.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'timeline_search%'").all() as Array<{ name: string }>;
  return tables.map(({ name }) => JSON.stringify(core.context.db.prepare(`SELECT * FROM "${name}"`).all(), (_k, v: unknown) => (v instanceof Uint8Array ? '' : v))).join('\n');
}
