/**
 * Rule: the procedure's steps an incident must track (issue #8), derived from its replicated state
 * alone, so every replica lists the same steps with the same ids and only the progress of each
 * (done / skipped, by whom, when) travels as field writes.
 *
 * - On declaring, the declared severity's automated actions and its notification policy become
 *   steps; on each escalation (a severity more severe than the one before it in the history) the
 *   new severity's do too. A severity reached twice adds its steps once, at the first time.
 * - Once a data breach is flagged, the playbook's breach steps and HIPAA items become steps,
 *   triggered at "aware at".
 * - Sitrep sends nothing itself: every step is a prompt for what a person does by hand, then marks
 *   done or skips with a reason.
 * - A notification step (other than "log for next business day") done means the primary team was
 *   notified: the earliest such done write sets the team-notified milestone's default.
 */
import { SEVERITIES, type Playbook, type Severity } from '../playbook/schema';
import type { IncidentState } from './incident';

export const STEP_GROUPS = ['action', 'notification', 'breach', 'hipaa'] as const;
export type StepGroup = (typeof STEP_GROUPS)[number];

export const STEP_STATES = ['open', 'done', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

export interface RequiredStep {
  /** `action:P0/alert-primary-team`, `notification:P0`, `breach:legal-notification`, `hipaa:encryption`. */
  id: string;
  group: StepGroup;
  /** The severity whose declaration or escalation added it; null for breach and HIPAA steps. */
  severity: Severity | null;
  title: string;
  description: string;
  /** When the step became required (declared, escalated, or breach aware-at). */
  triggeredAt: number;
  /** What a person does by hand, since no step is sent by Sitrep. */
  prompt: string;
  /** Done, it marks the primary team notified. */
  notifiesTeam: boolean;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

const TIMING_TITLES = {
  immediate: 'Notify the primary response team now',
  'business-hours': 'Notify the primary response team during business hours',
  'next-business-day': 'Log it for the next business day',
} as const;

const NOTIFY_PROMPT = 'Call or message each primary-team role holder yourself: numbers are in the team directory.';
const ACTION_PROMPT = 'Do this by hand (or confirm your tooling did), then mark it done or skip it with a reason.';
const BREACH_PROMPT = 'Part of the data-breach procedure: do it, then mark it done or skip it with a reason.';

/** Every step of a severity, in the playbook's order: its actions, then its notification policy. */
function severitySteps(playbook: Playbook, severity: Severity, at: number): RequiredStep[] {
  const definition = playbook.severities.find((s) => s.id === severity);
  if (!definition) return [];
  const actions = definition.automatedActions.map<RequiredStep>((a) => ({
    id: `action:${severity}/${a.id}`,
    group: 'action',
    severity,
    title: a.title,
    description: a.description,
    triggeredAt: at,
    prompt: ACTION_PROMPT,
    notifiesTeam: false,
  }));
  const { timing, description } = definition.notification;
  const notification: RequiredStep = {
    id: `notification:${severity}`,
    group: 'notification',
    severity,
    title: TIMING_TITLES[timing],
    description,
    triggeredAt: at,
    prompt: timing === 'next-business-day' ? 'Write it down for the team to pick up on the next business day.' : NOTIFY_PROMPT,
    notifiesTeam: timing !== 'next-business-day',
  };
  return [...actions, notification];
}

function breachSteps(playbook: Playbook, at: number): RequiredStep[] {
  const of = (group: 'breach' | 'hipaa', items: Playbook['breach']['steps']) =>
    items.map<RequiredStep>((s) => ({
      id: `${group}:${s.id}`,
      group,
      severity: null,
      title: s.title,
      description: s.description,
      triggeredAt: at,
      prompt: BREACH_PROMPT,
      notifiesTeam: false,
    }));
  return [...of('breach', playbook.breach.steps), ...of('hipaa', playbook.breach.hipaa)];
}

/** The severities whose steps apply, each with when it first applied: the declared one, then each escalation. */
export function triggeringSeverities(incident: IncidentState): Array<{ severity: Severity; at: number }> {
  const triggers: Array<{ severity: Severity; at: number }> = [];
  incident.severityHistory.forEach((change, i) => {
    const previous = incident.severityHistory[i - 1];
    const escalation = previous === undefined || rank(change.severity) < rank(previous.severity);
    if (escalation && !triggers.some((t) => t.severity === change.severity)) triggers.push({ severity: change.severity, at: change.at });
  });
  return triggers;
}

/** The steps the incident must track now, oldest trigger first, each group in the playbook's order. */
export function requiredSteps(incident: IncidentState): RequiredStep[] {
  const steps = triggeringSeverities(incident).flatMap((t) => severitySteps(incident.playbook, t.severity, t.at));
  const { flagged, awareAt } = incident.breach;
  if (flagged) steps.push(...breachSteps(incident.playbook, awareAt ?? incident.declaredAt));
  return steps;
}

/** The definition behind a step id, whether or not the incident requires it now (for timeline sentences). */
export function stepDefinition(playbook: Playbook, id: string): RequiredStep | undefined {
  const [group, rest = ''] = id.split(/:(.*)/s);
  if (group === 'breach' || group === 'hipaa') return breachSteps(playbook, 0).find((s) => s.id === id);
  const severity = rest.split('/')[0] as Severity;
  if ((group === 'action' || group === 'notification') && SEVERITIES.includes(severity)) {
    return severitySteps(playbook, severity, 0).find((s) => s.id === id);
  }
  return undefined;
}

/** Whether marking this step done notifies the primary team (sets the team-notified milestone). */
export const notifiesTeam = (playbook: Playbook, id: string): boolean => stepDefinition(playbook, id)?.notifiesTeam === true;
