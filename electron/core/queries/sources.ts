/** Reading an incident's metric sources: replicated configuration, status from polls, and what this device holds locally. */
import { SitrepError } from '../../../shared/errors';
import { sourceConfigSchema, type SourceConfig } from '../../../shared/model/metric-source';
import type { CredentialKind } from '../../../shared/model/source-credentials';
import type { SourceStatus, SourceView } from '../../../shared/model/views';
import { prepared, type Db } from '../store/database';

/** What only this device knows about a source. */
export interface LocalSourceState {
  deviceId(): string;
  polling(incident: string, source: string): boolean;
  credentialKind(incident: string, source: string): CredentialKind;
}

/**
 * Every source's configuration, by id (order: name, then id). A removed source is left out (no
 * poller, no status, not in the dialog) unless `withRemoved`: its samples still carry its sustain.
 */
export function sourceConfigs(db: Db, incident: string, options: { withRemoved?: boolean } = {}): Array<{ id: string; config: SourceConfig; removed: boolean }> {
  const rows = prepared(
    db,
    `SELECT c.entity_id AS id, c.value, coalesce(r.value, 'false') AS removed FROM field_values c
       LEFT JOIN field_values r ON r.incident = c.incident AND r.entity_type = 'source' AND r.entity_id = c.entity_id AND r.field = 'removed'
      WHERE c.incident = ? AND c.entity_type = 'source' AND c.field = 'config'`,
  ).all(incident) as Array<{ id: string; value: string; removed: string }>;
  return rows
    .flatMap((r) => {
      const removed = JSON.parse(r.removed) === true;
      if (removed && !options.withRemoved) return [];
      const parsed = sourceConfigSchema.safeParse(JSON.parse(r.value));
      return parsed.success ? [{ id: r.id, config: parsed.data, removed }] : [];
    })
    .sort((a, b) => a.config.name.localeCompare(b.config.name) || a.id.localeCompare(b.id));
}

export function sourceStatus(db: Db, incident: string, source: string): SourceStatus {
  const latest = prepared(db, 'SELECT t, up, reason FROM source_polls WHERE incident = ? AND source = ? ORDER BY t DESC, up LIMIT 1').get(incident, source) as
    | { t: number; up: number; reason: string | null }
    | undefined;
  if (!latest) return { state: 'unknown', at: null, reason: null, downSince: null };
  if (latest.up) return { state: 'up', at: latest.t, reason: null, downSince: null };
  const since = prepared(
    db,
    `SELECT min(t) AS t FROM source_polls WHERE incident = ? AND source = ? AND up = 0
       AND t > coalesce((SELECT max(t) FROM source_polls WHERE incident = ? AND source = ? AND up = 1), -1)`,
  ).get(incident, source, incident, source) as { t: number };
  return { state: 'down', at: latest.t, reason: latest.reason, downSince: since.t };
}

export function listSources(db: Db, incident: string, local: LocalSourceState): SourceView[] {
  return sourceConfigs(db, incident).map(({ id, config }) => ({
    id,
    config,
    status: sourceStatus(db, incident, id),
    pollerIsHere: config.pollerDevice === local.deviceId(),
    pollingHere: local.polling(incident, id),
    credentials: local.credentialKind(incident, id),
  }));
}

export function sourceView(db: Db, incident: string, id: string, local: LocalSourceState): SourceView {
  const source = listSources(db, incident, local).find((s) => s.id === id);
  if (!source) throw new SitrepError('not-found', `sourceId: no metric source ${id} in incident ${incident}`);
  return source;
}
