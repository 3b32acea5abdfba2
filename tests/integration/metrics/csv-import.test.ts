/** CSV import of samples through the api: all rows stored, or none, with the bad line named. */
import { callRaw, expectRefused, opCount, withIncident } from '../../support/api-expect';

const T = Date.UTC(2026, 10, 29, 14, 0);

describe('samples.importCsv', () => {
  it('stores every row as a sample of the csv source', () => {
    const fx = withIncident();
    const text = `time,metric,value\n${T},error-rate,0.5\n2026-11-29T14:01:00Z,error-rate,6\n${T + 120_000},response-time,12.5\n`;
    expect(fx.call('samples.importCsv', { incidentId: fx.incidentId, text })).toEqual({ imported: 3, source: 'csv' });
    expect(fx.call('samples.list', { incidentId: fx.incidentId }).map(({ metric, t, value, source }) => ({ metric, t, value, source }))).toEqual([
      { metric: 'error-rate', t: T, value: 0.5, source: 'csv' },
      { metric: 'error-rate', t: T + 60_000, value: 6, source: 'csv' },
      { metric: 'response-time', t: T + 120_000, value: 12.5, source: 'csv' },
    ]);
  });

  it('refuses a file with one bad row, naming its line and why, and stores nothing of it', () => {
    const fx = withIncident();
    const before = opCount(fx.core);
    const text = `time,metric,value\n${T},error-rate,0.5\n${T + 1},error-rate,6\n${T + 2},error-rate,six\n${T + 3},error-rate,7\n`;
    const error = expectRefused(fx.core, () => fx.call('samples.importCsv', { incidentId: fx.incidentId, text }), 'invalid-argument', 'text line 4: value "six" is not a number');
    expect(error.message).toContain('line 4');
    expect(opCount(fx.core)).toBe(before);
    expect(fx.call('samples.list', { incidentId: fx.incidentId })).toEqual([]);
  });

  it('imports into a configured CSV source, and refuses a source of another kind', () => {
    const fx = withIncident();
    const csv = fx.call('sources.save', { incidentId: fx.incidentId, config: { name: 'Load test export', kind: 'csv', metric: 'error-rate', sustainMs: 60_000 } });
    const health = fx.call('sources.save', { incidentId: fx.incidentId, config: { name: 'Health', kind: 'http-health', address: 'http://127.0.0.1:9/', metric: 'response-time' } });
    expect(fx.call('samples.importCsv', { incidentId: fx.incidentId, sourceId: csv.id, text: `${T},error-rate,3` }).source).toBe(csv.id);
    expectRefused(fx.core, () => callRaw(fx.core, 'samples.importCsv', { incidentId: fx.incidentId, sourceId: health.id, text: `${T},error-rate,3` }), 'invalid-argument', 'sourceId: "Health" is a http-health source, not a CSV one');
  });

  it('takes a large export as several ops in one transaction', () => {
    const fx = withIncident();
    const rows = Array.from({ length: 25_000 }, (_, i) => `${T + i * 1_000},throughput,${i % 500}`);
    expect(fx.call('samples.importCsv', { incidentId: fx.incidentId, text: rows.join('\n') }).imported).toBe(25_000);
    expect(fx.call('samples.list', { incidentId: fx.incidentId, metric: 'throughput' })).toHaveLength(25_000);
  });
});
