/**
 * Polling a Prometheus HTTP API with an instant query: the address is the server's base
 * (`http://prometheus:9090`), the selector the PromQL expression. Prometheus answers a bad
 * expression with HTTP 400 and an error body: its error is the reason given.
 */
import type { SourceConfig } from '../../../shared/model/metric-source';
import { readQueryAnswer } from '../../../shared/model/prometheus-query-answer';
import type { SourceCredentials } from '../../../shared/model/source-credentials';
import { httpGet } from './http-get';
import type { PollReading } from './poll-reading';

const QUERY_PATH = '/api/v1/query';
/** Prometheus's own statuses for a query it could not run; the body says why. */
const ERROR_STATUSES_WITH_BODY = new Set([400, 422, 503]);

export function queryUrl(base: string, expression: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${QUERY_PATH}`;
  url.searchParams.set('query', expression);
  return url.toString();
}

export async function pollPrometheusQuery(config: SourceConfig, credentials: SourceCredentials, timeoutMs: number): Promise<PollReading> {
  const answer = await httpGet(queryUrl(config.address, config.selector), credentials, timeoutMs, 'application/json');
  if (!answer.ok) return answer;
  if (answer.status !== 200 && !ERROR_STATUSES_WITH_BODY.has(answer.status)) return { ok: false, reason: `answered HTTP ${answer.status}` };
  const read = readQueryAnswer(answer.body);
  if (read.ok && answer.status !== 200) return { ok: false, reason: `answered HTTP ${answer.status}` };
  return read;
}
