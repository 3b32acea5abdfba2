/**
 * Flagging a data breach: one op sets the flag with "aware at" (the regulatory clock's start) and
 * records what data and how many users are affected, so no replica ever sees the flag without them.
 * The breach steps and HIPAA items follow from the flag (shared/model/response-steps).
 */
import type { ApiParsedArgs } from '../../../shared/api';
import type { FieldWrite } from '../../../shared/model/op-payload';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';
import { fieldWrite } from './field-writes';
import { invalid } from './invalid';

export function flagBreach(ctx: CoreContext, a: ApiParsedArgs<'incidents.flagBreach'>): void {
  declarationOf(ctx.db, a.incidentId);
  if (a.awareAt > ctx.now()) throw invalid('awareAt', 'must not be in the future: when did the organisation become aware?');
  const write = (field: string, value: unknown): FieldWrite => fieldWrite(ctx.db, a.incidentId, 'incident', a.incidentId, field, value);
  const writes = [write('breach', { flagged: true, awareAt: a.awareAt })];
  if (a.data.trim()) writes.push(write('impact.data', a.data.trim()));
  if (a.users.trim()) writes.push(write('impact.users', a.users.trim()));
  ctx.writeOp(a.incidentId, { kind: 'fields.set', writes });
}
