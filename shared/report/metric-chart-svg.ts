/**
 * A metric chart as a self-contained SVG string: the samples as a line (downsampled by min/max per
 * bucket, so every spike and threshold crossing survives; DESIGN.md §8), the playbook's threshold
 * lines dashed and labelled, and the time span written under it in UTC. Pure: same input, same bytes.
 */
import { downsampleMinMax } from '../model/downsample';
import { thresholdLabel } from '../model/threshold-alerts';
import { escapeHtml } from './html-text';
import type { MetricSummary } from './post-mortem';
import { utcReadable } from './report-time';

export const CHART_WIDTH = 640;
export const CHART_HEIGHT = 200;
/** One bucket per two pixels of plot width: enough to keep every visible extreme. */
const CHART_BUCKETS = 300;
const MARGIN = { left: 56, right: 110, top: 12, bottom: 28 };
const DECIMALS = 1;

const round = (n: number): string => String(Number(n.toFixed(DECIMALS)));

export function metricChartSvg(metric: MetricSummary): string {
  const points = downsampleMinMax(metric.samples, CHART_BUCKETS);
  const thresholdValues = metric.thresholds.map((t) => t.rule.value);
  let low = Math.min(metric.min, ...thresholdValues);
  let high = Math.max(metric.max, ...thresholdValues);
  if (high === low) {
    high += 1;
    low -= 1;
  }
  const plotWidth = CHART_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
  const span = metric.to - metric.from || 1;
  const x = (t: number) => MARGIN.left + ((t - metric.from) / span) * plotWidth;
  const y = (v: number) => MARGIN.top + (1 - (v - low) / (high - low)) * plotHeight;
  const line = points.map((p) => `${round(x(p.t))},${round(y(p.value))}`).join(' ');
  const label = `${metric.title} (${metric.unit})`;
  const thresholds = metric.thresholds.map((t) => {
    const ty = round(y(t.rule.value));
    return (
      `<line class="threshold" x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${ty}" y2="${ty}" stroke="#c62828" stroke-dasharray="4 3"/>` +
      `<text x="${MARGIN.left + plotWidth + 4}" y="${ty}" dominant-baseline="middle" font-size="11" fill="#c62828">${escapeHtml(thresholdLabel(t.severity, t.rule))}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(label)}" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}">`,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#999"/>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top}" text-anchor="end" dominant-baseline="hanging" font-size="11">${escapeHtml(round(high))}</text>`,
    `<text x="${MARGIN.left - 4}" y="${MARGIN.top + plotHeight}" text-anchor="end" font-size="11">${escapeHtml(round(low))}</text>`,
    ...thresholds,
    `<polyline class="samples" fill="none" stroke="#1565c0" stroke-width="1.5" points="${line}"/>`,
    `<text x="${MARGIN.left}" y="${CHART_HEIGHT - 8}" font-size="11">${escapeHtml(utcReadable(metric.from))}</text>`,
    `<text x="${MARGIN.left + plotWidth}" y="${CHART_HEIGHT - 8}" text-anchor="end" font-size="11">${escapeHtml(utcReadable(metric.to))}</text>`,
    '</svg>',
  ].join('');
}
