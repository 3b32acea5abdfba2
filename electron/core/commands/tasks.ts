/** Commands on tasks and action items: add, and update (title, owner, due time, state). */
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedArgs } from '../../../shared/api';
import type { FieldWrite } from '../../../shared/model/op-payload';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';
import { taskView } from '../queries/tasks';
import { fieldWrite } from './field-writes';
import { invalid } from './invalid';
import { assignablePerson } from './roster';

export function addTask(ctx: CoreContext, args: ApiParsedArgs<'tasks.add'>): string {
  declarationOf(ctx.db, args.incidentId);
  if (args.ownerId !== null) assignablePerson(ctx, args.incidentId, args.ownerId, 'ownerId');
  const id = uuidv7({ msecs: ctx.now() });
  const write = (field: string, value: unknown): FieldWrite => ({ entity: { type: 'task', id }, field, value, pred: [] });
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: [write('title', args.title), write('type', args.type), write('owner', args.ownerId), write('dueAt', args.dueAt), write('state', 'open')],
  });
  return id;
}

export function updateTask(ctx: CoreContext, args: ApiParsedArgs<'tasks.update'>): void {
  taskView(ctx.db, args.incidentId, args.taskId);
  if (args.ownerId) assignablePerson(ctx, args.incidentId, args.ownerId, 'ownerId');
  const changes: Array<[string, unknown]> = [];
  if (args.title !== undefined) changes.push(['title', args.title]);
  if (args.ownerId !== undefined) changes.push(['owner', args.ownerId]);
  if (args.dueAt !== undefined) changes.push(['dueAt', args.dueAt]);
  if (args.state !== undefined) changes.push(['state', args.state]);
  if (changes.length === 0) throw invalid('(root)', 'nothing to change: give title, ownerId, dueAt or state');
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: changes.map(([field, value]) => fieldWrite(ctx.db, args.incidentId, 'task', args.taskId, field, value)),
  });
}
