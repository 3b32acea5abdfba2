/** Polling an HTTP health check: up/down, status code, response time, or a JSON field (shared/model/health-answer). */
import { readHealthAnswer } from '../../../shared/model/health-answer';
import type { SourceConfig } from '../../../shared/model/metric-source';
import type { SourceCredentials } from '../../../shared/model/source-credentials';
import { httpGet } from './http-get';
import type { PollReading } from './poll-reading';

export async function pollHttpHealth(config: SourceConfig, credentials: SourceCredentials, timeoutMs: number): Promise<PollReading> {
  const answer = await httpGet(config.address, credentials, timeoutMs, 'application/json, */*');
  if (!answer.ok) return answer;
  return readHealthAnswer(answer.status, answer.body, answer.elapsedMs, config.selector);
}
