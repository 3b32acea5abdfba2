/** Commands on the roster: people (with or without devices) and role assignments, command handover. */
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import type { FieldWrite } from '../../../shared/model/op-payload';
import { roleKey } from '../../../shared/playbook/schema';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';
import { listPeople } from '../queries/roster';
import { currentValue, fieldWrite } from './field-writes';
import { invalid } from './invalid';

/** A person a role or item can be given to: on the roster and not removed. */
export function assignablePerson(ctx: CoreContext, incident: string, personId: string, path = 'personId'): void {
  const person = listPeople(ctx.db, incident).find((p) => p.id === personId);
  if (!person) throw new SitrepError('not-found', `${path}: no person ${personId} on this incident's roster`);
  if (person.removed) throw invalid(path, `${person.name} was removed from the roster`);
}

export function addPerson(ctx: CoreContext, args: ApiParsedArgs<'roster.addPerson'>): string {
  declarationOf(ctx.db, args.incidentId);
  const id = uuidv7({ msecs: ctx.now() });
  const write = (field: string, value: unknown): FieldWrite => ({ entity: { type: 'person', id }, field, value, pred: [] });
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: [write('name', args.name), write('contact', args.contact), write('deviceIds', args.deviceIds), write('removed', false)],
  });
  return id;
}

export function updatePerson(ctx: CoreContext, args: ApiParsedArgs<'roster.updatePerson'>): void {
  if (currentValue(ctx.db, args.incidentId, 'person', args.personId, 'name') === undefined) {
    declarationOf(ctx.db, args.incidentId);
    throw new SitrepError('not-found', `personId: no person ${args.personId} on this incident's roster`);
  }
  const changes = (['name', 'contact', 'deviceIds', 'removed'] as const).filter((f) => args[f] !== undefined);
  if (changes.length === 0) throw invalid('(root)', 'nothing to change: give name, contact, deviceIds or removed');
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: changes.map((f) => fieldWrite(ctx.db, args.incidentId, 'person', args.personId, f, args[f])),
  });
}

function roleWrite(ctx: CoreContext, incident: string, roleId: string, personId: string | null, reason?: string): void {
  const role = declarationOf(ctx.db, incident).playbook.roles.find((r) => r.id === roleId);
  if (!role) throw new SitrepError('not-found', `roleId: no role "${roleId}" in this incident's playbook`);
  if (personId !== null) assignablePerson(ctx, incident, personId);
  ctx.writeOp(incident, { kind: 'fields.set', writes: [fieldWrite(ctx.db, incident, 'role', roleKey(roleId), 'holder', personId)], reason });
}

export function assignRole(ctx: CoreContext, args: ApiParsedArgs<'roster.assign'>): void {
  roleWrite(ctx, args.incidentId, args.roleId, args.personId);
}

export function handOverCommand(ctx: CoreContext, args: ApiParsedArgs<'roster.handOverCommand'>): void {
  const commander = declarationOf(ctx.db, args.incidentId).playbook.roles.find((r) => r.commander);
  if (!commander) throw new SitrepError('internal', 'the pinned playbook has no commander role');
  if (currentValue(ctx.db, args.incidentId, 'role', roleKey(commander.id), 'holder') === args.personId) {
    throw invalid('personId', 'this person already holds command');
  }
  roleWrite(ctx, args.incidentId, commander.id, args.personId, args.note?.trim() || undefined);
}
