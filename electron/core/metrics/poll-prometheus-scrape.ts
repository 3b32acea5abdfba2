/** Polling a `/metrics` endpoint: the series the selector names, from the text exposition format. */
import type { SourceConfig } from '../../../shared/model/metric-source';
import { selectExpositionValue } from '../../../shared/model/prometheus-exposition';
import type { SourceCredentials } from '../../../shared/model/source-credentials';
import { httpGet } from './http-get';
import type { PollReading } from './poll-reading';

const EXPOSITION_ACCEPT = 'text/plain;version=0.0.4;q=1, */*;q=0.1';

export async function pollPrometheusScrape(config: SourceConfig, credentials: SourceCredentials, timeoutMs: number): Promise<PollReading> {
  const answer = await httpGet(config.address, credentials, timeoutMs, EXPOSITION_ACCEPT);
  if (!answer.ok) return answer;
  if (answer.status !== 200) return { ok: false, reason: `answered HTTP ${answer.status}` };
  return selectExpositionValue(answer.body, config.selector);
}
