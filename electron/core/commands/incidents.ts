/** Commands on an incident's own fields: declare, set a field, set a milestone, advance the phase, close. */
import { v7 as uuidv7 } from 'uuid';
import { SETTABLE_INCIDENT_FIELDS, type ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { formatIssuePath } from '../../../shared/playbook/parse-playbook';
import { createWriteSecret, writerKeys } from '../../../shared/sync/incident-keys';
import type { CoreContext } from '../core-context';
import { appendGenesis } from '../op-log';
import { declarationOf, incidentState } from '../queries/incidents';
import { fieldWrite } from './field-writes';
import { invalid } from './invalid';
import { activePlaybook } from './playbook';

export function declareIncident(ctx: CoreContext, args: ApiParsedArgs<'incidents.declare'>): { incidentId: string } {
  const now = ctx.now();
  const detectedAt = args.detectedAt ?? now;
  if (args.impactStartedAt !== null && args.impactStartedAt > detectedAt) {
    throw invalid('impactStartedAt', 'must not be after the detection time');
  }
  const incidentId = uuidv7({ msecs: now });
  const writeSecret = createWriteSecret(ctx.crypto);
  // The secret is on disk before the incident exists, so no incident is ever without its key.
  ctx.keys.putIncidentSecret(incidentId, 'write', writeSecret);
  appendGenesis(ctx, incidentId, writerKeys(ctx.crypto, writeSecret));
  ctx.writeOp(incidentId, {
    kind: 'incident.declare',
    title: args.title,
    severity: args.severity,
    category: args.category,
    affectedSystems: args.affectedSystems,
    summary: args.summary,
    impactStartedAt: args.impactStartedAt,
    detectedAt,
    drill: args.drill,
    playbook: activePlaybook(ctx.db).playbook,
  });
  return { incidentId };
}

export function setIncidentField(ctx: CoreContext, args: ApiParsedArgs<'incidents.setField'>): void {
  const { incidentId, field } = args;
  declarationOf(ctx.db, incidentId);
  const parsed = SETTABLE_INCIDENT_FIELDS[field].safeParse(args.value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${formatIssuePath(['value', ...i.path])}: ${i.message}`);
    throw new SitrepError('invalid-argument', `${field}: ${issues.join('; ')}`, issues);
  }
  const value = parsed.data;
  if (field === 'breach') {
    const breach = value as { flagged: boolean; awareAt: number | null };
    if (breach.flagged && breach.awareAt === null) throw invalid('value.awareAt', 'required when the breach flag is set');
  }
  if (field === 'status' && value === 'active' && incidentState(ctx.db, incidentId).status === 'active') {
    throw invalid('value', 'the incident is already active');
  }
  ctx.writeOp(incidentId, { kind: 'fields.set', writes: [fieldWrite(ctx.db, incidentId, 'incident', incidentId, field, value)], reason: args.reason });
}

export function setMilestone(ctx: CoreContext, args: ApiParsedArgs<'incidents.setMilestone'>): void {
  const state = incidentState(ctx.db, args.incidentId);
  const current = state.milestones[args.milestone];
  if (current && !args.reason) throw invalid('reason', `required to change milestone ${args.milestone}, which is already set`);
  if (args.at === null && current?.source !== 'edited') throw invalid('at', `milestone ${args.milestone} has no edit to clear`);
  const field = `milestone.${args.milestone}`;
  const value = args.at === null ? null : { at: args.at, reason: args.reason ?? '' };
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: [fieldWrite(ctx.db, args.incidentId, 'incident', args.incidentId, field, value)],
    reason: args.reason,
  });
}

export function advancePhase(ctx: CoreContext, args: ApiParsedArgs<'incidents.advancePhase'>): void {
  const state = incidentState(ctx.db, args.incidentId);
  const phases = state.playbook.phases;
  const index = phases.findIndex((p) => p.id === state.phase);
  let target: string;
  if (args.phase !== undefined) {
    if (!phases.some((p) => p.id === args.phase)) {
      throw invalid('phase', `no phase "${args.phase}" in this incident's playbook (${phases.map((p) => p.id).join(', ')})`);
    }
    if (args.phase === state.phase) throw invalid('phase', `the incident is already in phase "${args.phase}"`);
    target = args.phase;
  } else {
    if (index === phases.length - 1) throw invalid('phase', `the incident is already in the last phase, "${state.phase}"`);
    target = phases[index + 1].id;
  }
  ctx.writeOp(args.incidentId, { kind: 'fields.set', writes: [fieldWrite(ctx.db, args.incidentId, 'incident', args.incidentId, 'phase', target)] });
}

export function closeIncident(ctx: CoreContext, args: ApiParsedArgs<'incidents.close'>): void {
  const state = incidentState(ctx.db, args.incidentId);
  if (state.status === 'closed') throw invalid('incidentId', 'the incident is already closed');
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: [fieldWrite(ctx.db, args.incidentId, 'incident', args.incidentId, 'status', 'closed')],
    reason: args.reason,
  });
}

/**
 * Marking the post-mortem final sets the post-mortem-done milestone (its first time), which ends the
 * seed's "post-mortem within 7 days" clock; it can be put back to draft, the milestone staying.
 */
export function markPostMortemFinal(ctx: CoreContext, args: ApiParsedArgs<'incidents.markPostMortemFinal'>): void {
  const state = incidentState(ctx.db, args.incidentId);
  if (state.postMortemFinal === args.final) throw invalid('final', `the post-mortem is already ${args.final ? 'final' : 'a draft'}`);
  if (args.final && state.status !== 'resolved' && state.status !== 'closed') {
    throw invalid('final', `the incident is ${state.status}: a post-mortem is made final once the incident is resolved`);
  }
  ctx.writeOp(args.incidentId, {
    kind: 'fields.set',
    writes: [fieldWrite(ctx.db, args.incidentId, 'incident', args.incidentId, 'postMortemFinal', args.final)],
  });
}
