/** Commands on procedure steps: mark one done, skip it with a reason, or reopen it. */
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import type { StepProgress } from '../../../shared/model/fields';
import type { ResponseStepView } from '../../../shared/model/views';
import type { CoreContext } from '../core-context';
import { listSteps } from '../queries/steps';
import { fieldWrite } from './field-writes';
import { invalid } from './invalid';

function requiredStep(ctx: CoreContext, incident: string, stepId: string): ResponseStepView {
  const steps = listSteps(ctx.db, incident);
  const step = steps.find((s) => s.id === stepId);
  if (!step) throw new SitrepError('not-found', `stepId: no step "${stepId}" is required in this incident (${steps.map((s) => s.id).join(', ') || 'none'})`);
  return step;
}

function writeProgress(ctx: CoreContext, incident: string, stepId: string, progress: StepProgress, reason?: string): void {
  ctx.writeOp(incident, { kind: 'fields.set', writes: [fieldWrite(ctx.db, incident, 'step', stepId, 'progress', progress)], reason });
}

export function markStepDone(ctx: CoreContext, a: ApiParsedArgs<'steps.done'>): void {
  const step = requiredStep(ctx, a.incidentId, a.stepId);
  if (step.state === 'done') throw invalid('stepId', `"${step.title}" is already done`);
  writeProgress(ctx, a.incidentId, a.stepId, { state: 'done', note: a.note });
}

export function skipStep(ctx: CoreContext, a: ApiParsedArgs<'steps.skip'>): void {
  const step = requiredStep(ctx, a.incidentId, a.stepId);
  if (step.state === 'skipped') throw invalid('stepId', `"${step.title}" is already skipped`);
  writeProgress(ctx, a.incidentId, a.stepId, { state: 'skipped', note: a.reason }, a.reason);
}

export function reopenStep(ctx: CoreContext, a: ApiParsedArgs<'steps.reopen'>): void {
  const step = requiredStep(ctx, a.incidentId, a.stepId);
  if (step.state === 'open') throw invalid('stepId', `"${step.title}" is already open`);
  writeProgress(ctx, a.incidentId, a.stepId, { state: 'open', note: '' });
}
