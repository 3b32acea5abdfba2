/**
 * Metric samples from a CSV file: one row per sample, `time,metric,value`, an optional header row
 * naming those columns. Time is UTC milliseconds or an ISO 8601 time with its zone
 * (`2026-11-29T14:02:00Z`); metric is a playbook metric id; value a number in the metric's unit.
 *
 * Invariant: all or nothing. The first bad row refuses the whole file, naming its line (1-based,
 * as an editor counts) and what is wrong, so nothing of a half-good file is stored.
 */
import type { MetricSample } from './threshold-alerts';

export type CsvSamples = { ok: true; samples: MetricSample[] } | { ok: false; line: number; reason: string };

const COLUMNS = ['time', 'metric', 'value'];
/** ISO 8601 with an explicit zone: a time without one would mean a different instant on each device. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

const unquote = (cell: string): string => {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1).replace(/""/g, '"') : trimmed;
};

function parseTime(cell: string): number | null {
  if (/^\d+$/.test(cell)) return Number(cell);
  if (!ISO_WITH_ZONE.test(cell)) return null;
  const t = Date.parse(cell);
  return Number.isFinite(t) && t >= 0 ? t : null;
}

export function parseSampleCsv(text: string, knownMetrics: readonly string[]): CsvSamples {
  const metrics = new Set(knownMetrics);
  const samples: MetricSample[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i].trim() === '') continue;
    const cells = lines[i].split(',').map(unquote);
    if (samples.length === 0 && cells.map((c) => c.toLowerCase()).join(',') === COLUMNS.join(',')) continue;
    if (cells.length !== COLUMNS.length) return { ok: false, line, reason: `expected 3 columns (time, metric, value), found ${cells.length}` };
    const [timeCell, metric, valueCell] = cells;
    const t = parseTime(timeCell);
    if (t === null) return { ok: false, line, reason: `time "${timeCell}" is neither UTC milliseconds nor an ISO 8601 time with its zone` };
    if (!metrics.has(metric)) return { ok: false, line, reason: `metric "${metric}" is not in this incident's playbook` };
    const value = valueCell === '' ? NaN : Number(valueCell);
    if (!Number.isFinite(value)) return { ok: false, line, reason: `value "${valueCell}" is not a number` };
    samples.push({ metric, t, value });
  }
  if (samples.length === 0) return { ok: false, line: 1, reason: 'no samples in the file' };
  return { ok: true, samples };
}
