/**
 * The charts' data, downsampled here in the core (DESIGN.md §8): per metric with samples in the
 * range, at most about two points per bucket, each bucket's lowest and highest, so every spike,
 * dip and threshold crossing survives and the renderer never holds 100,000 samples. With the
 * points come the severity and phase changes in the range, as chart markers.
 *
 * Invariant: the points equal shared/model/downsample's downsampleMinMax over the range's samples in
 * (t, value) order (the same buckets, from bucketStarts; min and max the earliest on ties; the first
 * and last sample), but SQLite finds them on the samples_by_time index: a series of 100,000
 * samples costs a few hundred small index reads, never 100,000 rows brought into JavaScript.
 */
import type { ApiParsedArgs } from '../../../shared/api';
import { bucketStarts, type TimePoint } from '../../../shared/model/downsample';
import type { ChartMarker, MetricSeriesView, MetricSeriesPage } from '../../../shared/model/views';
import { prepared, type Db } from '../store/database';
import { declarationOf } from './incidents';

const SERIES = 'FROM samples WHERE incident = ? AND metric = ?';
/** Between two times, both included (stored times are whole milliseconds). */
const SLICE = `${SERIES} AND t >= ? AND t <= ?`;

/** One metric's samples from `from` on, as downsampleMinMax would draw them. */
function downsampledSeries(db: Db, incident: string, metric: string, from: number, buckets: number): MetricSeriesView | null {
  // A short series is drawn whole: reading one more row than the limit tells whether it is.
  const whole = 2 * buckets + 2;
  const head = prepared(db, `SELECT t, value ${SERIES} AND t >= ? ORDER BY t, value LIMIT ?`).all(incident, metric, from, whole + 1) as TimePoint[];
  if (head.length === 0) return null;
  if (head.length <= whole) return { metric, total: head.length, points: head };

  const first = head[0];
  const last = prepared(db, `SELECT t, value ${SERIES} AND t >= ? ORDER BY t DESC, value DESC LIMIT 1`).get(incident, metric, from) as TimePoint;
  const starts = bucketStarts(first.t, last.t, buckets);
  const extremes = prepared(db, `SELECT COUNT(*) AS n, MIN(value) AS low, MAX(value) AS high ${SLICE}`);
  const earliestAt = prepared(db, `SELECT t ${SLICE} AND value = ? ORDER BY t LIMIT 1`).pluck();

  const kept = new Map<string, TimePoint>();
  const keep = (p: TimePoint) => kept.set(`${p.t}:${p.value}`, p);
  keep(first);
  keep(last);
  let total = 0;
  starts.forEach((start, b) => {
    const end = b + 1 < starts.length ? starts[b + 1] - 1 : last.t;
    if (end < start) return;
    const { n, low, high } = extremes.get(incident, metric, start, end) as { n: number; low: number | null; high: number | null };
    if (n === 0 || low === null || high === null) return;
    total += n;
    keep({ t: earliestAt.get(incident, metric, start, end, low) as number, value: low });
    keep({ t: earliestAt.get(incident, metric, start, end, high) as number, value: high });
  });
  const points = [...kept.values()].sort((a, b) => a.t - b.t || a.value - b.value);
  return { metric, total, points };
}

/** The incident's metrics, in order: one index seek per metric rather than a scan of every sample. */
function sampledMetrics(db: Db, incident: string): string[] {
  const next = prepared(db, 'SELECT MIN(metric) FROM samples WHERE incident = ? AND metric > ?').pluck();
  const metrics: string[] = [];
  for (let metric = next.get(incident, '') as string | null; metric !== null; metric = next.get(incident, metric) as string | null) metrics.push(metric);
  return metrics;
}

export function metricSeries(db: Db, args: ApiParsedArgs<'metrics.series'>, now: number): MetricSeriesPage {
  declarationOf(db, args.incidentId);
  const from = args.rangeMs === null ? null : now - args.rangeMs;
  const series = sampledMetrics(db, args.incidentId).flatMap((metric) => downsampledSeries(db, args.incidentId, metric, from ?? 0, args.buckets) ?? []);
  const markers = prepared(
    db,
    `SELECT field, value, at FROM field_writes WHERE incident = ? AND entity_type = 'incident' AND field IN ('severity', 'phase')
       AND at >= coalesce(?, at) ORDER BY at, device, seq`,
  ).all(args.incidentId, from) as Array<{ field: 'severity' | 'phase'; value: string; at: number }>;
  return {
    from,
    to: now,
    series,
    markers: markers.map((m): ChartMarker => ({ t: m.at, kind: m.field, value: JSON.parse(m.value) as string })),
  };
}
