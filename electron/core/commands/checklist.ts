/** Commands on phase checklist items: tick, untick, assign, note. Items are keyed `phase/item`. */
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';
import { fieldWrite } from './field-writes';
import { assignablePerson } from './roster';

function requireItem(ctx: CoreContext, incident: string, itemId: string): void {
  const [phaseId, id] = itemId.split('/');
  const phase = declarationOf(ctx.db, incident).playbook.phases.find((p) => p.id === phaseId);
  if (!phase?.checklist.some((c) => c.id === id)) {
    throw new SitrepError('not-found', `itemId: no checklist item "${itemId}" in this incident's playbook (items are "phase/item")`);
  }
}

function writeItem(ctx: CoreContext, incident: string, itemId: string, field: string, value: unknown): void {
  requireItem(ctx, incident, itemId);
  ctx.writeOp(incident, { kind: 'fields.set', writes: [fieldWrite(ctx.db, incident, 'checklist', itemId, field, value)] });
}

export const tickItem = (ctx: CoreContext, a: ApiParsedArgs<'checklist.tick'>) => writeItem(ctx, a.incidentId, a.itemId, 'status', 'done');
export const untickItem = (ctx: CoreContext, a: ApiParsedArgs<'checklist.untick'>) => writeItem(ctx, a.incidentId, a.itemId, 'status', 'open');
export const noteItem = (ctx: CoreContext, a: ApiParsedArgs<'checklist.note'>) => writeItem(ctx, a.incidentId, a.itemId, 'note', a.note);

export function assignItem(ctx: CoreContext, a: ApiParsedArgs<'checklist.assign'>): void {
  requireItem(ctx, a.incidentId, a.itemId);
  if (a.personId !== null) assignablePerson(ctx, a.incidentId, a.personId);
  writeItem(ctx, a.incidentId, a.itemId, 'assignee', a.personId);
}
