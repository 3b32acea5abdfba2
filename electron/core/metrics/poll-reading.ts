/** What one poll of a source read, before scaling: a number, or why there is none. */
import type { SourceConfig } from '../../../shared/model/metric-source';
import type { SourceCredentials } from '../../../shared/model/source-credentials';
import { pollHttpHealth } from './poll-http-health';
import { pollPrometheusQuery } from './poll-prometheus-query';
import { pollPrometheusScrape } from './poll-prometheus-scrape';

export type PollReading = { ok: true; value: number } | { ok: false; reason: string };

/** One module per polled kind; a CSV source is never polled (its samples come by import). */
export function pollSource(config: SourceConfig, credentials: SourceCredentials, timeoutMs: number): Promise<PollReading> {
  switch (config.kind) {
    case 'http-health':
      return pollHttpHealth(config, credentials, timeoutMs);
    case 'prometheus-scrape':
      return pollPrometheusScrape(config, credentials, timeoutMs);
    case 'prometheus-query':
      return pollPrometheusQuery(config, credentials, timeoutMs);
    case 'csv':
      return Promise.resolve({ ok: false, reason: 'a CSV source is imported, not polled' });
  }
}
