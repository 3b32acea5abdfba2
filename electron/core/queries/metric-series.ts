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
  const metrics = prepared(db, 'SELECT DISTINCT metric FROM samples WHERE incident = ? ORDER BY metric').pluck().all(args.incidentId) as string[];
  const inRange = prepared(db, 'SELECT t, value FROM samples WHERE incident = ? AND metric = ? AND t >= ? ORDER BY t, value');
  const series: MetricSeriesView[] = metrics.flatMap((metric) => {
    const points = inRange.all(args.incidentId, metric, from ?? 0) as Array<{ t: number; value: number }>;
    return points.length ? [{ metric, total: points.length, points: downsampleMinMax(points, args.buckets) }] : [];
  });
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
