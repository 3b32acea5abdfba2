/** Adding a metric sample by hand (the "manual" source). */
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { MANUAL_SOURCE } from '../../../shared/model/metric-source';
import type { SampleView } from '../../../shared/model/views';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';


export function addSample(ctx: CoreContext, args: ApiParsedArgs<'samples.add'>): SampleView {
  const metrics = declarationOf(ctx.db, args.incidentId).playbook.metrics;
  if (!metrics.some((m) => m.id === args.metric)) {
    throw new SitrepError('not-found', `metric: no metric "${args.metric}" in this incident's playbook (${metrics.map((m) => m.id).join(', ')})`);
  }
  const t = args.t ?? ctx.now();
  const stored = ctx.writeOp(args.incidentId, { kind: 'samples.add', source: MANUAL_SOURCE, samples: [{ metric: args.metric, t, value: args.value }] });
  return { metric: args.metric, source: MANUAL_SOURCE, t, value: args.value, device: stored.device };
}
