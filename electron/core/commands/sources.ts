/** Adding, changing or removing a metric source: one replicated field write each (no credential ever). */
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedArgs } from '../../../shared/api';
import type { SourceConfig } from '../../../shared/model/metric-source';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';
import { sourceView, type LocalSourceState } from '../queries/sources';
import { fieldWrite } from './field-writes';
import { invalid } from './invalid';

export function saveSource(ctx: CoreContext, args: ApiParsedArgs<'sources.save'>, local: LocalSourceState): string {
  const metrics = declarationOf(ctx.db, args.incidentId).playbook.metrics;
  if (!metrics.some((m) => m.id === args.config.metric)) {
    throw invalid('config.metric', `no metric "${args.config.metric}" in this incident's playbook (${metrics.map((m) => m.id).join(', ')})`);
  }
  if (args.sourceId) sourceView(ctx.db, args.incidentId, args.sourceId, local);
  const id = args.sourceId ?? uuidv7({ msecs: ctx.now() });
  const config: SourceConfig = { ...args.config, pollerDevice: args.config.pollerDevice ?? ctx.keys.deviceId };
  ctx.writeOp(args.incidentId, { kind: 'fields.set', writes: [fieldWrite(ctx.db, args.incidentId, 'source', id, 'config', config)] });
  return id;
}

/**
 * Taking a source off the incident: one replicated write of its `removed` field. Its poller stops
 * on the poller device, its samples stay in the history and the charts, the timeline says so.
 */
export function removeSource(ctx: CoreContext, args: ApiParsedArgs<'sources.remove'>, local: LocalSourceState): void {
  sourceView(ctx.db, args.incidentId, args.sourceId, local);
  ctx.writeOp(args.incidentId, { kind: 'fields.set', writes: [fieldWrite(ctx.db, args.incidentId, 'source', args.sourceId, 'removed', true)] });
}
