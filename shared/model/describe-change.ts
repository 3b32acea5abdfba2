/**
 * The sentence a system timeline entry shows for one field write ("Ana changed severity P2 → P0").
 * Derived from the write itself (DESIGN.md §2.3: every change is a fact on the timeline), so it is
 * the same on every replica and needs no op of its own.
 */
import type { Playbook } from '../playbook/schema';
import { formatUtcMinute } from './incident-clock';
import { milestoneInSentence } from './milestone-titles';
import { stepDefinition } from './response-steps';
import type { FieldChange } from './views';

export interface ChangeNames {
  person(id: string): string | undefined;
  task(id: string): string | undefined;
  /** A metric source's name. */
  source(id: string): string | undefined;
}

const quote = (value: unknown): string => (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));

function phaseTitle(playbook: Playbook, id: unknown): string {
  return playbook.phases.find((p) => p.id === id)?.title ?? String(id);
}

function checklistTitle(playbook: Playbook, id: string): string {
  const [phaseId, itemId] = id.split('/');
  const item = playbook.phases.find((p) => p.id === phaseId)?.checklist.find((c) => c.id === itemId);
  return item ? `"${item.title}" (${item.section})` : `"${id}"`;
}

function roleTitle(playbook: Playbook, key: string): string {
  const role = playbook.roles.find((r) => `role:${r.id}` === key);
  return role ? `${role.title}` : key;
}

function describeIncidentField(c: FieldChange, playbook: Playbook): string {
  const from = c.previous.length === 1 ? c.previous[0] : undefined;
  const arrow = (render: (v: unknown) => string) =>
    from === undefined ? render(c.value) : `${render(from)} → ${render(c.value)}`;
  if (c.field.startsWith('milestone.')) {
    const label = milestoneInSentence(c.field.slice('milestone.'.length)) ?? c.field;
    const v = c.value as { at: number; reason: string } | null;
    return v ? `set milestone "${label}" to ${formatUtcMinute(v.at)}` : `cleared the edit of milestone "${label}"`;
  }
  switch (c.field) {
    case 'severity':
      return `changed severity ${arrow(String)}`;
    case 'status':
      return `changed status ${arrow(String)}`;
    case 'phase':
      return `moved to phase ${phaseTitle(playbook, c.value)}${from !== undefined ? ` (from ${phaseTitle(playbook, from)})` : ''}`;
    case 'title':
      return `renamed the incident ${quote(c.value)}`;
    case 'category':
      return `set the category to ${quote(c.value)}`;
    case 'affectedSystems':
      return `set the affected systems to ${(c.value as string[]).join(', ') || 'none'}`;
    case 'breach': {
      const b = c.value as { flagged: boolean; awareAt: number | null };
      return b.flagged
        ? `flagged a data breach${b.awareAt !== null ? ` (aware at ${formatUtcMinute(b.awareAt)})` : ''}`
        : 'cleared the data breach flag';
    }
    case 'postMortemFinal':
      return c.value === true ? 'marked the post-mortem final' : 'reopened the post-mortem';
    case 'summary':
      return 'updated the summary';
    case 'rootCause':
      return 'updated the root cause';
    default:
      if (c.field.startsWith('impact.')) return `updated the ${c.field.slice('impact.'.length)} impact`;
      return `changed ${c.field}`;
  }
}

export function describeChange(by: string, c: FieldChange, playbook: Playbook, names: ChangeNames): string {
  const person = (id: unknown) => (typeof id === 'string' ? (names.person(id) ?? 'someone') : 'nobody');
  let sentence: string;
  switch (c.entityType) {
    case 'incident':
      sentence = describeIncidentField(c, playbook);
      break;
    case 'role':
      sentence =
        c.value === null
          ? `unassigned ${roleTitle(playbook, c.entityId)}`
          : `assigned ${roleTitle(playbook, c.entityId)} to ${person(c.value)}`;
      break;
    case 'checklist':
      sentence =
        c.field === 'status'
          ? `${c.value === 'done' ? 'ticked' : 'unticked'} ${checklistTitle(playbook, c.entityId)}`
          : c.field === 'assignee'
            ? `assigned ${checklistTitle(playbook, c.entityId)} to ${person(c.value)}`
            : `noted on ${checklistTitle(playbook, c.entityId)}: ${String(c.value)}`;
      break;
    case 'person':
      sentence =
        c.field === 'name'
          ? c.previous.length === 0
            ? `added ${String(c.value)} to the roster`
            : `renamed ${String(c.previous[0])} to ${String(c.value)}`
          : c.field === 'removed'
            ? `${c.value ? 'removed' : 'restored'} ${person(c.entityId)} ${c.value ? 'from' : 'to'} the roster`
            : `updated ${c.field === 'deviceIds' ? 'the devices' : 'the contact'} of ${person(c.entityId)}`;
      break;
    case 'task': {
      const task = `"${names.task(c.entityId) ?? c.entityId}"`;
      sentence =
        c.field === 'title'
          ? c.previous.length === 0
            ? `added ${quote(c.value)}`
            : `renamed task ${quote(c.previous[0])} to ${quote(c.value)}`
          : c.field === 'state'
            ? `marked ${task} ${String(c.value)}`
            : c.field === 'owner'
              ? `gave ${task} to ${person(c.value)}`
              : c.field === 'dueAt'
                ? c.value === null
                  ? `cleared the due time of ${task}`
                  : `set ${task} due ${formatUtcMinute(c.value as number)}`
                : `set ${task} type to ${String(c.value)}`;
      break;
    }
    case 'source': {
      const name = (v: unknown) => quote((v as { name?: unknown } | null)?.name ?? c.entityId);
      if (c.field === 'removed') {
        const source = quote(names.source(c.entityId) ?? c.entityId);
        sentence = c.value === true ? `removed metric source ${source} (its samples stay)` : `restored metric source ${source}`;
      } else sentence = c.previous.length === 0 ? `added metric source ${name(c.value)}` : `changed metric source ${name(c.value)}`;
      break;
    }
    case 'step': {
      const step = stepDefinition(playbook, c.entityId);
      const name = step ? `"${step.title}"${step.severity ? ` (${step.severity} ${step.group})` : ` (${step.group === 'hipaa' ? 'HIPAA' : 'data breach'})`}` : `"${c.entityId}"`;
      const progress = c.value as { state: string; note: string };
      sentence =
        progress.state === 'done'
          ? `marked ${name} done${progress.note ? `: ${progress.note}` : ''}`
          : progress.state === 'skipped'
            ? `skipped ${name}`
            : `reopened ${name}`;
      break;
    }
    default:
      sentence = `changed ${c.entityType} ${c.field}`;
  }
  return `${by} ${sentence}${c.reason ? ` — reason: ${c.reason}` : ''}`;
}
