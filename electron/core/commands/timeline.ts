/** Commands on the timeline: add, amend, retract, redact, star, and marking a communication sent. */
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import type { EntryKind } from '../../../shared/model/op-payload';
import type { TimelineEntryView } from '../../../shared/model/views';
import type { CoreContext } from '../core-context';
import { declarationOf, incidentState } from '../queries/incidents';
import { timelineEntry } from '../queries/timeline';
import { fieldWrite } from './field-writes';
import { invalid } from './invalid';

function addEntry(
  ctx: CoreContext,
  incident: string,
  entry: {
    kind: EntryKind;
    text: string;
    occurredAt?: number;
    template?: string;
    alert?: string;
    supersedes?: string;
    retracts?: string;
    redacts?: string;
  },
): TimelineEntryView {
  const id = uuidv7({ msecs: ctx.now() });
  ctx.writeOp(incident, { kind: 'entry.add', entry: { ...entry, id, occurredAt: entry.occurredAt ?? ctx.now() } });
  return timelineEntry(ctx.db, incident, id);
}

/** The entry a correction points at: it must be a person's entry, not a system one or a correction. */
function correctable(ctx: CoreContext, incident: string, entryId: string, action: string): TimelineEntryView {
  const target = timelineEntry(ctx.db, incident, entryId);
  if (target.source === 'system') throw invalid('entryId', `system entries are derived from changes and cannot be ${action}`);
  if (target.relation === 'retracts' || target.relation === 'redacts') throw invalid('entryId', `a ${target.kind} cannot be ${action}`);
  if (target.redactedBy) throw invalid('entryId', `the entry is redacted and cannot be ${action}`);
  return target;
}

export function addTimelineEntry(ctx: CoreContext, args: ApiParsedArgs<'timeline.add'>): TimelineEntryView {
  declarationOf(ctx.db, args.incidentId);
  if (args.kind === 'retraction' || args.kind === 'redaction') {
    throw invalid('kind', `use timeline.${args.kind === 'retraction' ? 'retract' : 'redact'} to ${args.kind === 'retraction' ? 'retract' : 'redact'} an entry`);
  }
  return addEntry(ctx, args.incidentId, { kind: args.kind, text: args.text, occurredAt: args.occurredAt });
}

export function amendTimelineEntry(ctx: CoreContext, args: ApiParsedArgs<'timeline.amend'>): TimelineEntryView {
  const target = correctable(ctx, args.incidentId, args.entryId, 'amended');
  if (target.retractedBy) throw invalid('entryId', 'a retracted entry cannot be amended');
  return addEntry(ctx, args.incidentId, {
    kind: target.kind as EntryKind,
    text: args.text,
    occurredAt: target.occurredAt,
    template: target.template ?? undefined,
    supersedes: args.entryId,
  });
}

export function retractTimelineEntry(ctx: CoreContext, args: ApiParsedArgs<'timeline.retract'>): TimelineEntryView {
  const target = correctable(ctx, args.incidentId, args.entryId, 'retracted');
  if (target.retractedBy) throw invalid('entryId', 'the entry is already retracted');
  return addEntry(ctx, args.incidentId, { kind: 'retraction', text: args.reason, retracts: args.entryId });
}

export function redactTimelineEntry(ctx: CoreContext, args: ApiParsedArgs<'timeline.redact'>): TimelineEntryView {
  correctable(ctx, args.incidentId, args.entryId, 'redacted');
  return addEntry(ctx, args.incidentId, { kind: 'redaction', text: args.reason, redacts: args.entryId });
}

export function starTimelineEntry(ctx: CoreContext, args: ApiParsedArgs<'timeline.star'>): TimelineEntryView {
  const target = timelineEntry(ctx.db, args.incidentId, args.entryId);
  if (target.source === 'system') throw invalid('entryId', 'system entries cannot be starred; star the entry that explains the change');
  if (target.starred !== args.starred) {
    ctx.writeOp(args.incidentId, { kind: 'fields.set', writes: [fieldWrite(ctx.db, args.incidentId, 'entry', args.entryId, 'starred', args.starred)] });
  }
  return timelineEntry(ctx.db, args.incidentId, args.entryId);
}

export function markCommunicationSent(ctx: CoreContext, args: ApiParsedArgs<'comms.markSent'>): TimelineEntryView {
  const template = declarationOf(ctx.db, args.incidentId).playbook.communicationTemplates.find((t) => t.id === args.templateId);
  if (!template) throw new SitrepError('not-found', `no communication template "${args.templateId}" in this incident's playbook`);
  return addEntry(ctx, args.incidentId, { kind: 'communication', text: args.text, template: template.id });
}

/**
 * The commander's decision on a metric alert: the decision goes on the timeline (keyed by the alert,
 * so it is not raised again) and, when accepted, the severity changes to the suggested one.
 */
export function decideAlert(ctx: CoreContext, args: ApiParsedArgs<'alerts.decide'>): TimelineEntryView {
  const current = incidentState(ctx.db, args.incidentId);
  const accepted = args.decision === 'accept';
  const entry = addEntry(ctx, args.incidentId, {
    kind: 'metric-alert',
    text: `${accepted ? 'Accepted' : 'Dismissed'} alert: ${args.summary}${accepted && current.severity !== args.suggestedSeverity ? ` — severity ${current.severity} → ${args.suggestedSeverity}` : ''}`,
    alert: args.alertKey,
  });
  if (accepted && current.severity !== args.suggestedSeverity) {
    ctx.writeOp(args.incidentId, {
      kind: 'fields.set',
      writes: [fieldWrite(ctx.db, args.incidentId, 'incident', args.incidentId, 'severity', args.suggestedSeverity)],
      reason: `metric alert: ${args.summary}`,
    });
  }
  return entry;
}
