import { useId, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { downsampleMinMax, type TimePoint } from '../../shared/model/downsample';
import { formatMetricValue, thresholdLabel } from '../../shared/model/threshold-alerts';
import type { Severity, ThresholdRule } from '../../shared/playbook/schema';
import { utcClock } from '../format/time';

export interface ChartThreshold {
  severity: Severity;
  rule: ThresholdRule;
  colour: string;
}

export interface ChartedMetric {
  title: string;
  unit: string;
}

const CHART_HEIGHT_PX = 180;
/** The width drawn before the container is measured (and in tests, where nothing is). */
const CHART_INITIAL_WIDTH_PX = 360;
/** Buckets across the chart: two points each is about one per pixel of a right-column chart. */
const CHART_BUCKETS = 300;
/** A few typed-in samples are drawn as dots; a poller's thousands as a line. */
const DOTS_UP_TO = 60;
const AXIS_FONT_PX = 11;
/** Room for a tick like "1000" and the unit label beside it. */
const Y_AXIS_WIDTH_PX = 48;
const CHART_MARGIN = { top: 8, right: 12, bottom: 4, left: 4 };
const LINE_WIDTH_PX = 2;
const THRESHOLD_DASH = '6 3';
const GRID_DASH = '3 3';
/** The colours of line, axes and grid come from metrics.css, so they follow the theme; an inline style can read the variables. */
const TOOLTIP_STYLE = { background: 'var(--panel-raised)', border: '1px solid var(--border)', color: 'var(--text)' };
/** The time axis before the first sample: an hour from the incident's detection, so threshold lines still show. */
const EMPTY_WINDOW_MS = 60 * 60_000;

/**
 * One metric over time, with the playbook's threshold per severity as a labelled line in that
 * severity's colour, so the commander sees at once which line the samples cross. The time axis is
 * UTC; samples are downsampled by min/max per bucket, so no spike or crossing is smoothed away.
 */
export function MetricChart({
  metric,
  samples,
  thresholds,
  detectedAt,
}: {
  metric: ChartedMetric;
  /** This metric's samples in time order. */
  samples: readonly TimePoint[];
  thresholds: readonly ChartThreshold[];
  detectedAt: number;
}) {
  const captionId = useId();
  const drawn = useMemo(() => downsampleMinMax(samples, CHART_BUCKETS), [samples]);
  const latest = samples.length ? samples[samples.length - 1] : null;
  const unit = metric.unit;

  return (
    <figure className="metric-chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="metric-chart-caption">
        <span className="metric-chart-title">
          {metric.title}
          {unit && <span className="muted"> ({unit})</span>}
        </span>
        <span className="metric-chart-latest">
          {latest ? (
            <>
              {formatMetricValue(latest.value, unit)} <span className="muted">at {utcClock(latest.t)}</span>
            </>
          ) : (
            <span className="muted">no samples yet</span>
          )}
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={CHART_HEIGHT_PX} initialDimension={{ width: CHART_INITIAL_WIDTH_PX, height: CHART_HEIGHT_PX }}>
        <LineChart data={drawn} margin={CHART_MARGIN} title={`${metric.title} over time`}>
          <CartesianGrid strokeDasharray={GRID_DASH} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={latest ? ['dataMin', 'dataMax'] : [detectedAt, detectedAt + EMPTY_WINDOW_MS]}
            // Without it an axis with no data has no domain, and recharts drops the threshold lines.
            allowDataOverflow
            tickFormatter={(t: number) => utcClock(t)}
            fontSize={AXIS_FONT_PX}
          />
          <YAxis
            fontSize={AXIS_FONT_PX}
            width={Y_AXIS_WIDTH_PX}
            label={unit ? { value: unit, angle: -90, position: 'insideLeft', fontSize: AXIS_FONT_PX, className: 'metric-axis-label' } : undefined}
          />
          <Tooltip
            labelFormatter={(t) => utcClock(Number(t))}
            formatter={(value) => [formatMetricValue(Number(value), unit), metric.title]}
            contentStyle={TOOLTIP_STYLE}
            isAnimationActive={false}
          />
          {thresholds.map(({ severity, rule, colour }) => (
            <ReferenceLine
              key={`${severity}:${rule.comparator}:${rule.value}`}
              y={rule.value}
              stroke={colour}
              strokeDasharray={THRESHOLD_DASH}
              ifOverflow="extendDomain"
              label={{ value: thresholdLabel(severity, rule), fill: colour, position: 'insideTopRight', fontSize: AXIS_FONT_PX, className: 'metric-threshold-label' }}
            />
          ))}
          <Line
            type="linear"
            dataKey="value"
            name={metric.title}
            strokeWidth={LINE_WIDTH_PX}
            dot={drawn.length <= DOTS_UP_TO}
            // A line that re-animates on every new sample draws the eye for no reason in a war room.
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
