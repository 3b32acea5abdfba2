import fc from 'fast-check';
import { downsampleMinMax, type TimePoint } from '../../../shared/model/downsample';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 100);

const T0 = Date.UTC(2026, 10, 29, 14);
const SAMPLE_EVERY_MS = 10_000;

/** A flat 0.5 % error rate, one sample every 10 s. */
const flatSeries = (count: number, value = 0.5): TimePoint[] => Array.from({ length: count }, (_, i) => ({ t: T0 + i * SAMPLE_EVERY_MS, value }));

describe('downsampleMinMax: every spike, dip and crossing survives', () => {
  it('draws 100,000 samples as about two points per bucket', () => {
    const buckets = 300;
    const wavy = flatSeries(100_000).map((p, i) => ({ ...p, value: Math.sin(i / 50) }));
    const drawn = downsampleMinMax(wavy, buckets);
    expect(drawn.length).toBeLessThanOrEqual(2 * buckets + 2);
    expect(drawn.length).toBeGreaterThanOrEqual(2 * buckets - 2);
  });

  it('keeps one isolated spike and one isolated dip among 100,000 samples', () => {
    const series = flatSeries(100_000);
    series[31_337] = { ...series[31_337], value: 60 };
    series[77_777] = { ...series[77_777], value: -3 };
    const drawn = downsampleMinMax(series, 200);
    expect(drawn).toContain(series[31_337]);
    expect(drawn).toContain(series[77_777]);
  });

  it('keeps a single sample that crosses the P1 threshold (> 5 %)', () => {
    const series = flatSeries(50_000, 4.9);
    series[12_345] = { ...series[12_345], value: 5.2 };
    expect(downsampleMinMax(series, 100).some((p) => p.value > 5)).toBe(true);
  });

  it('keeps the first and last point, and returns short series whole', () => {
    const series = flatSeries(10_000).map((p, i) => ({ ...p, value: i % 7 }));
    const drawn = downsampleMinMax(series, 50);
    expect(drawn[0]).toBe(series[0]);
    expect(drawn[drawn.length - 1]).toBe(series[series.length - 1]);
    const short = flatSeries(12);
    expect(downsampleMinMax(short, 5)).toEqual(short);
    expect(downsampleMinMax([], 5)).toEqual([]);
  });

  it('copes with every sample at the same instant', () => {
    const series = Array.from({ length: 1_000 }, (_, i) => ({ t: T0, value: i % 13 }));
    const drawn = downsampleMinMax(series, 10);
    expect(drawn.length).toBeLessThanOrEqual(4);
    expect(Math.min(...drawn.map((p) => p.value))).toBe(0);
    expect(Math.max(...drawn.map((p) => p.value))).toBe(12);
  });
});

const pointsArb = fc
  .array(fc.record({ dt: fc.integer({ min: 0, max: 60_000 }), value: fc.double({ min: -1_000, max: 1_000, noNaN: true }) }), { maxLength: 2_000 })
  .map((steps) => {
    let t = T0;
    return steps.map(({ dt, value }) => ({ t: (t += dt), value }));
  });
const bucketsArb = fc.integer({ min: 1, max: 200 });

// fast-check prints the seed and path of a failing run; SITREP_PROPERTY_SEED replays it.
describe('downsampleMinMax properties', () => {
  it('output is at most 2 × buckets + 2 points, a subsequence of the input', () => {
    fc.assert(
      fc.property(pointsArb, bucketsArb, (points, buckets) => {
        const drawn = downsampleMinMax(points, buckets);
        expect(drawn.length).toBeLessThanOrEqual(2 * buckets + 2);
        let at = 0;
        for (const p of drawn) {
          while (at < points.length && points[at] !== p) at++;
          expect(at).toBeLessThan(points.length);
          at++;
        }
      }),
      { seed, numRuns },
    );
  });

  it('every threshold crossing survives: a threshold is crossed by the drawn line iff by the samples', () => {
    fc.assert(
      fc.property(pointsArb, bucketsArb, fc.double({ min: -1_000, max: 1_000, noNaN: true }), (points, buckets, threshold) => {
        const drawn = downsampleMinMax(points, buckets);
        expect(drawn.some((p) => p.value > threshold)).toBe(points.some((p) => p.value > threshold));
        expect(drawn.some((p) => p.value < threshold)).toBe(points.some((p) => p.value < threshold));
      }),
      { seed, numRuns },
    );
  });
});
