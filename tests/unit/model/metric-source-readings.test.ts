/**
 * Reading a source's answer as pure functions: the Prometheus text exposition format, a Prometheus
 * instant query answer, a health check's JSON by path, and a CSV of samples. Every bad answer is a
 * reason, never a made-up value.
 */
import { parseSampleCsv } from '../../../shared/model/csv-samples';
import { readHealthAnswer } from '../../../shared/model/health-answer';
import { readJsonPath } from '../../../shared/model/json-path';
import { parseExposition, selectExpositionValue } from '../../../shared/model/prometheus-exposition';
import { readQueryAnswer } from '../../../shared/model/prometheus-query-answer';

const EXPOSITION = `# HELP http_errors_ratio Share of failed requests.
# TYPE http_errors_ratio gauge
http_errors_ratio{job="api",path="/pay"} 0.06
http_errors_ratio{job="api",path="/login"} 0.002 1700000000000
http_latency_seconds{quantile="0.99",note="a \\"quoted\\" \\\\ value"} 12.5
up 1
weird NaN
`;

describe('Prometheus text exposition', () => {
  it('reads names, labels (with escapes), values and ignores comments and timestamps', () => {
    const parsed = parseExposition(EXPOSITION);
    expect(parsed.ok && parsed.samples).toEqual([
      { name: 'http_errors_ratio', labels: { job: 'api', path: '/pay' }, value: 0.06 },
      { name: 'http_errors_ratio', labels: { job: 'api', path: '/login' }, value: 0.002 },
      { name: 'http_latency_seconds', labels: { quantile: '0.99', note: 'a "quoted" \\ value' }, value: 12.5 },
      { name: 'up', labels: {}, value: 1 },
      { name: 'weird', labels: {}, value: NaN },
    ]);
  });

  it('selects the one series a selector names, and says why when none, several or a non-number', () => {
    expect(selectExpositionValue(EXPOSITION, 'http_errors_ratio{path="/pay"}')).toEqual({ ok: true, value: 0.06 });
    expect(selectExpositionValue(EXPOSITION, 'up')).toEqual({ ok: true, value: 1 });
    expect(selectExpositionValue(EXPOSITION, 'http_errors_ratio')).toEqual({ ok: false, reason: '2 series match http_errors_ratio: name their labels to pick one' });
    expect(selectExpositionValue(EXPOSITION, 'missing_total')).toEqual({ ok: false, reason: 'no series missing_total in the answer' });
    expect(selectExpositionValue(EXPOSITION, 'weird')).toEqual({ ok: false, reason: 'weird is NaN, not a reading' });
  });

  it('refuses a body that is not the format, naming the line', () => {
    expect(selectExpositionValue('<html>oops</html>', 'up')).toEqual({ ok: false, reason: 'not the Prometheus text format (line 1: not a metric sample)' });
    expect(selectExpositionValue('up 1\nup{job="x} 2', 'up')).toEqual({ ok: false, reason: "not the Prometheus text format (line 2: label job's value is not closed)" });
    expect(selectExpositionValue('up one', 'up')).toEqual({ ok: false, reason: 'not the Prometheus text format (line 1: up\'s value "one" is not a number)' });
  });
});

describe('Prometheus instant query answer', () => {
  const vector = (...values: string[]) =>
    JSON.stringify({ status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1700000000.5, v] })) } });

  it('reads one series or a scalar', () => {
    expect(readQueryAnswer(vector('0.06'))).toEqual({ ok: true, value: 0.06 });
    expect(readQueryAnswer(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1700000000, '12'] } }))).toEqual({ ok: true, value: 12 });
  });

  it('gives the reason for an error status, no series, several, NaN or another shape', () => {
    expect(readQueryAnswer(JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:5: parse error: unclosed left parenthesis' }))).toEqual({
      ok: false,
      reason: 'Prometheus error (bad_data): 1:5: parse error: unclosed left parenthesis',
    });
    expect(readQueryAnswer(vector())).toEqual({ ok: false, reason: 'the query returned no series' });
    expect(readQueryAnswer(vector('1', '2'))).toEqual({ ok: false, reason: 'the query returned 2 series: aggregate them (sum, max) to one' });
    expect(readQueryAnswer(vector('NaN'))).toEqual({ ok: false, reason: 'the query answered NaN, not a reading' });
    expect(readQueryAnswer('<html>')).toEqual({ ok: false, reason: 'the answer is not JSON' });
    expect(readQueryAnswer('{"status":"success","data":{}}')).toEqual({ ok: false, reason: 'the answer is not a Prometheus query answer' });
  });
});

describe('health check answer', () => {
  const body = JSON.stringify({ status: 'ok', checks: { database: { status: 'down', latencyMs: 840 }, cache: { status: 'ok' } }, items: [{ ms: 3 }] });

  it('reads a JSON path as jq would', () => {
    expect(readJsonPath(JSON.parse(body), 'checks.database.status')).toEqual({ found: true, value: 'down' });
    expect(readJsonPath(JSON.parse(body), '.items[0].ms')).toEqual({ found: true, value: 3 });
    expect(readJsonPath(JSON.parse(body), 'checks.queue.status')).toEqual({ found: false, missing: 'checks.queue' });
  });

  it('is up with the response time in seconds, a number at the path, or a healthy verdict; down otherwise, with why', () => {
    expect(readHealthAnswer(200, '', 250, '')).toEqual({ ok: true, value: 0.25 });
    expect(readHealthAnswer(200, body, 250, 'checks.cache.status')).toEqual({ ok: true, value: 0.25 });
    expect(readHealthAnswer(200, body, 250, 'checks.database.latencyMs')).toEqual({ ok: true, value: 840 });
    expect(readHealthAnswer(200, body, 250, 'checks.database.status')).toEqual({ ok: false, reason: 'checks.database.status is "down"' });
    expect(readHealthAnswer(503, body, 250, '')).toEqual({ ok: false, reason: 'answered HTTP 503' });
    expect(readHealthAnswer(200, 'OK', 250, 'status')).toEqual({ ok: false, reason: 'the answer is not JSON' });
    expect(readHealthAnswer(200, body, 250, 'checks.queue.status')).toEqual({ ok: false, reason: 'no checks.queue in the answer' });
  });
});

describe('CSV of samples', () => {
  const metrics = ['error-rate', 'response-time'];

  it('reads rows with or without a header, times in ms or ISO 8601 with a zone', () => {
    expect(parseSampleCsv('time,metric,value\n1764424800000,error-rate,6.5\n\n"2026-11-29T14:01:00Z",response-time,12\n', metrics)).toEqual({
      ok: true,
      samples: [
        { metric: 'error-rate', t: 1764424800000, value: 6.5 },
        { metric: 'response-time', t: Date.UTC(2026, 10, 29, 14, 1), value: 12 },
      ],
    });
  });

  it('refuses the file at its first bad row, by line number and reason', () => {
    const good = '1764424800000,error-rate,6.5';
    expect(parseSampleCsv(`${good}\n${good}\n2026-11-29 14:02,error-rate,7`, metrics)).toEqual({
      ok: false,
      line: 3,
      reason: 'time "2026-11-29 14:02" is neither UTC milliseconds nor an ISO 8601 time with its zone',
    });
    expect(parseSampleCsv(`time,metric,value\n${good}\n1764424800000,happiness,1`, metrics)).toEqual({ ok: false, line: 3, reason: 'metric "happiness" is not in this incident\'s playbook' });
    expect(parseSampleCsv(`${good}\n1764424800000,error-rate,high`, metrics)).toEqual({ ok: false, line: 2, reason: 'value "high" is not a number' });
    expect(parseSampleCsv(`${good}\n1764424800000,error-rate`, metrics)).toEqual({ ok: false, line: 2, reason: 'expected 3 columns (time, metric, value), found 2' });
    expect(parseSampleCsv('time,metric,value\n', metrics)).toEqual({ ok: false, line: 1, reason: 'no samples in the file' });
  });
});
