/** The charts' series, downsampled in the core: spikes and dips survive, ranges cut, markers for severity and phase changes. */
import { downsampleMinMax } from '../../../shared/model/downsample';
import { MINUTE, withIncident } from '../../support/api-expect';
import { T0 } from '../../support/cores';

const ROWS = 20_000;

describe('metrics.series', () => {
  it('keeps a bucket\'s one-sample spike and its one-sample dip among 20,000 samples', () => {
    const fx = withIncident();
    const spikeAt = 7_777;
    const dipAt = 12_345;
    const rows = Array.from({ length: ROWS }, (_, i) => `${T0 - ROWS * 1_000 + i * 1_000},error-rate,${i === spikeAt ? 42 : i === dipAt ? 0 : 0.5 + (i % 7) / 100}`);
    fx.call('samples.importCsv', { incidentId: fx.incidentId, text: rows.join('\n') });
    const page = fx.call('metrics.series', { incidentId: fx.incidentId, buckets: 50 });
    const [series] = page.series;
    expect(series.metric).toBe('error-rate');
    expect(series.total).toBe(ROWS);
    expect(series.points.length).toBeLessThanOrEqual(2 * 50 + 2);
    expect(series.points).toContainEqual({ t: T0 - ROWS * 1_000 + spikeAt * 1_000, value: 42 });
    expect(series.points).toContainEqual({ t: T0 - ROWS * 1_000 + dipAt * 1_000, value: 0 });
    expect(series.points.map((p) => p.t)).toEqual([...series.points.map((p) => p.t)].sort((a, b) => a - b));
  });

  it.each([1, 7, 50, 300])('draws with %i buckets exactly what downsampleMinMax keeps of every sample', (buckets) => {
    const fx = withIncident();
    let seed = buckets;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    let t = T0 - 10 * 60 * MINUTE;
    const rows = Array.from({ length: 5_000 }, () => `${(t += 1 + Math.floor(next() * 5_000))},error-rate,${Math.floor(next() * 40) / 4}`);
    fx.call('samples.importCsv', { incidentId: fx.incidentId, text: rows.join('\n') });
    const every = fx.call('samples.list', { incidentId: fx.incidentId, metric: 'error-rate' }).map(({ t, value }) => ({ t, value }));
    const [series] = fx.call('metrics.series', { incidentId: fx.incidentId, buckets }).series;
    expect(series.total).toBe(5_000);
    expect(series.points).toEqual(downsampleMinMax(every, buckets));
  });

  it('cuts to the range asked for, ending now', () => {
    const fx = withIncident();
    const text = [90, 30, 10, 1].map((m) => `${T0 - m * MINUTE},response-time,${m}`).join('\n');
    fx.call('samples.importCsv', { incidentId: fx.incidentId, text });
    const values = (rangeMs: number | null) => fx.call('metrics.series', { incidentId: fx.incidentId, rangeMs }).series[0].points.map((p) => p.value);
    expect(values(15 * MINUTE)).toEqual([10, 1]);
    expect(values(60 * MINUTE)).toEqual([30, 10, 1]);
    expect(values(null)).toEqual([90, 30, 10, 1]);
  });

  it('marks severity and phase changes', () => {
    const fx = withIncident();
    fx.clock.advance(5 * MINUTE);
    fx.call('incidents.setField', { incidentId: fx.incidentId, field: 'severity', value: 'P0' });
    fx.clock.advance(MINUTE);
    fx.call('incidents.advancePhase', { incidentId: fx.incidentId });
    const { markers } = fx.call('metrics.series', { incidentId: fx.incidentId, rangeMs: 15 * MINUTE });
    expect(markers).toEqual([
      { t: T0 + 5 * MINUTE, kind: 'severity', value: 'P0' },
      { t: T0 + 6 * MINUTE, kind: 'phase', value: expect.any(String) },
    ]);
  });
});
