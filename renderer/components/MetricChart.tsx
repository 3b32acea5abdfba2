import { useId } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TimePoint } from '../../shared/model/downsample';
import type { ChartMarker, SourceView } from '../../shared/model/views';
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
const MARKER_DASH = '2 4';
const MARKER_COLOUR = 'var(--muted)';

/** What a marker says on the chart: "P1", "phase: Containment". */
export interface LabelledMarker extends ChartMarker {
  label: string;
  colour?: string;
}

function SourceStatusLine({ source }: { source: SourceView }) {
  const { status, config } = source;
  if (status.state === 'unknown') return <li className="source-status unknown">{config.name}: not polled yet</li>;
  if (status.state === 'up') return <li className="source-status up">{config.name}: up at {utcClock(status.at ?? 0)}</li>;
  return (
    <li className="source-status down">
      {config.name}: down since {utcClock(status.downSince ?? status.at ?? 0)} — {status.reason}
    </li>
  );
}

/**
 * One metric over time, with the playbook's threshold per severity as a labelled line in that
 * severity's colour, so the commander sees at once which line the samples cross. The time axis is
 * UTC; samples are downsampled by min/max per bucket, so no spike or crossing is smoothed away.
 */
export function MetricChart({
  metric,
  points,
  thresholds,
  detectedAt,
  markers = [],
  sources = [],
  range = null,
}: {
  metric: ChartedMetric;
  /** This metric's points in time order, already downsampled by the core (min/max per bucket). */
  points: readonly TimePoint[];
  thresholds: readonly ChartThreshold[];
  detectedAt: number;
  /** Severity and phase changes in the range. */
  markers?: readonly LabelledMarker[];
  /** The sources that feed this metric, with their status. */
  sources?: readonly SourceView[];
  /** The time range shown; null fits the data. */
  range?: { from: number; to: number } | null;
}) {
  const captionId = useId();
  const drawn = points as TimePoint[];
  const latest = points.length ? points[points.length - 1] : null;
  const domain: [number | string, number | string] = range ? [range.from, range.to] : latest ? ['dataMin', 'dataMax'] : [detectedAt, detectedAt + EMPTY_WINDOW_MS];
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
            domain={domain}
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
          {markers.map((m) => (
            <ReferenceLine
              key={`${m.kind}:${m.t}:${m.value}`}
              x={m.t}
              stroke={m.colour ?? MARKER_COLOUR}
              strokeDasharray={MARKER_DASH}
              label={{ value: m.label, position: 'insideTopLeft', fontSize: AXIS_FONT_PX, className: `metric-marker-label ${m.kind}` }}
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
      {sources.length > 0 && (
        <ul className="metric-chart-sources" aria-label={`${metric.title} sources`}>
          {sources.map((source) => (
            <SourceStatusLine key={source.id} source={source} />
          ))}
        </ul>
      )}
    </figure>
  );
}
