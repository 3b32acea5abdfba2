/**
 * The Prometheus text exposition format (version 0.0.4), as a `/metrics` endpoint answers:
 *
 *   # HELP http_errors_ratio Share of requests that failed.
 *   # TYPE http_errors_ratio gauge
 *   http_errors_ratio{job="api",path="/pay"} 0.06 1700000000000
 *
 * One sample per line: a metric name, optional `{label="value",…}` (values escape `\\`, `\"` and
 * `\n`), a float (`NaN`, `+Inf`, `-Inf` allowed) and an optional timestamp. `#` lines and blank
 * lines carry no sample. A line that is none of these makes the whole body refused, with its line
 * number: a half-read body is not a reading.
 */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export type ExpositionParse = { ok: true; samples: ExpositionSample[] } | { ok: false; reason: string };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseFloatToken(token: string): number | null {
  if (token === 'NaN') return NaN;
  if (token === '+Inf' || token === 'Inf') return Infinity;
  if (token === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(token)) return null;
  return Number(token);
}

/** Parses `{a="b",c="d"}` at the start of `text`; returns the labels and what follows. */
function parseLabels(text: string): { labels: Record<string, string>; rest: string } | { error: string } {
  const labels: Record<string, string> = {};
  let rest = text.slice(1).trimStart();
  while (!rest.startsWith('}')) {
    const name = LABEL_NAME.exec(rest)?.[0];
    if (!name) return { error: 'a label name was expected' };
    rest = rest.slice(name.length).trimStart();
    if (!rest.startsWith('="')) return { error: `label ${name} has no ="value"` };
    rest = rest.slice(2);
    let value = '';
    for (;;) {
      if (rest === '') return { error: `label ${name}'s value is not closed` };
      const c = rest[0];
      if (c === '"') break;
      if (c === '\\') {
        const escaped = rest[1];
        value += escaped === 'n' ? '\n' : escaped;
        rest = rest.slice(2);
      } else {
        value += c;
        rest = rest.slice(1);
      }
    }
    labels[name] = value;
    rest = rest.slice(1).trimStart();
    if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
    else if (!rest.startsWith('}')) return { error: 'a "," or "}" was expected after a label' };
  }
  return { labels, rest: rest.slice(1) };
}

export function parseExposition(body: string): ExpositionParse {
  const samples: ExpositionSample[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const refuse = (why: string): ExpositionParse => ({ ok: false, reason: `line ${i + 1}: ${why}` });
    const name = NAME.exec(line)?.[0];
    if (!name) return refuse('not a metric sample');
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      const parsed = parseLabels(rest);
      if ('error' in parsed) return refuse(parsed.error);
      labels = parsed.labels;
      rest = parsed.rest;
    }
    const tokens = rest.trim().split(/\s+/);
    if (tokens.length < 1 || tokens.length > 2 || tokens[0] === '') return refuse(`${name} has no value`);
    const value = parseFloatToken(tokens[0]);
    if (value === null) return refuse(`${name}'s value "${tokens[0]}" is not a number`);
    if (tokens.length === 2 && !/^-?\d+$/.test(tokens[1])) return refuse(`${name}'s timestamp "${tokens[1]}" is not whole milliseconds`);
    samples.push({ name, labels, value });
  }
  return { ok: true, samples };
}

export interface SeriesSelector {
  name: string;
  labels: Record<string, string>;
}

/** `http_errors_ratio{job="api"}` → name and the labels a series must carry. */
export function parseSeriesSelector(selector: string): SeriesSelector | { error: string } {
  const text = selector.trim();
  const name = NAME.exec(text)?.[0];
  if (!name) return { error: `"${selector}" does not start with a metric name` };
  const rest = text.slice(name.length).trim();
  if (rest === '') return { name, labels: {} };
  if (!rest.startsWith('{')) return { error: `"${selector}": labels go in {label="value"}` };
  const parsed = parseLabels(rest);
  if ('error' in parsed) return { error: `"${selector}": ${parsed.error}` };
  if (parsed.rest.trim() !== '') return { error: `"${selector}": nothing may follow the labels` };
  return { name, labels: parsed.labels };
}

/** The one value the selector names in a scraped body, or why there is none. */
export function selectExpositionValue(body: string, selector: string): { ok: true; value: number } | { ok: false; reason: string } {
  const wanted = parseSeriesSelector(selector);
  if ('error' in wanted) return { ok: false, reason: wanted.error };
  const parsed = parseExposition(body);
  if (!parsed.ok) return { ok: false, reason: `not the Prometheus text format (${parsed.reason})` };
  const matching = parsed.samples.filter((s) => s.name === wanted.name && Object.entries(wanted.labels).every(([k, v]) => s.labels[k] === v));
  if (matching.length === 0) return { ok: false, reason: `no series ${selector.trim()} in the answer` };
  if (matching.length > 1) return { ok: false, reason: `${matching.length} series match ${selector.trim()}: name their labels to pick one` };
  const { value } = matching[0];
  if (!Number.isFinite(value)) return { ok: false, reason: `${selector.trim()} is ${value}, not a reading` };
  return { ok: true, value };
}
