/**
 * The charts' data, downsampled here in the core (DESIGN.md §8): per metric with samples in the
 * range, at most about two points per bucket, each bucket's lowest and highest, so every spike,
 * dip and threshold crossing survives and the renderer never holds 100,000 samples. With the
 * points come the severity and phase changes in the range, as chart markers.
 */
import type { ApiParsedArgs } from '../../../shared/api';
import { downsampleMinMax } from '../../../shared/model/downsample';
import type { ChartMarker, MetricSeriesView, MetricSeriesPage } from '../../../shared/model/views';
import { prepared, type Db } from '../store/database';
import { declarationOf } from './incidents';

export function metricSeries(db: Db, args: ApiParsedArgs<'metrics.series'>, now: number): MetricSeriesPage {
  declarationOf(db, args.incidentId);
  const from = args.rangeMs === null ? null : now - args.rangeMs;
  const rows = prepared(
    db,
    `SELECT metric, t, value FROM samples WHERE incident = ? AND t >= coalesce(?, t) ORDER BY metric, t, value`,
  ).all(args.incidentId, from) as Array<{ metric: string; t: number; value: number }>;
  const byMetric = new Map<string, Array<{ t: number; value: number }>>();
  for (const r of rows) {
    const points = byMetric.get(r.metric);
    if (points) points.push({ t: r.t, value: r.value });
    else byMetric.set(r.metric, [{ t: r.t, value: r.value }]);
  }
  const series: MetricSeriesView[] = [...byMetric].map(([metric, points]) => ({ metric, total: points.length, points: downsampleMinMax(points, args.buckets) }));
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
