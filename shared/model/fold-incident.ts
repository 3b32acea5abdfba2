/**
 * Folds an incident's declaration and field writes into its replicated state (DESIGN.md §4).
 *
 * Invariants:
 * - A pure function of the writes given, whatever their order: the same op set gives the same
 *   state on every replica.
 * - Milestone defaults: declaring sets detected (and impact started when given); the first commander
 *   assignment sets acknowledged; the first notification step marked done sets team notified; the
 *   first communication marked sent sets that milestone; a status
 *   of mitigated or later sets mitigated, resolved or later sets resolved; marking the post-mortem
 *   final sets post-mortem done. An edited milestone (with its reason) overrides its default; an
 *   edit back to null restores the default.
 * - History lists (phase, severity) keep every write, superseded ones too: they happened.
 */
import { MILESTONES, type Milestone, type Severity } from '../playbook/schema';
import { compareWrites, resolveField, type FieldWriteRecord } from '../sync/field-merge';
import { parseFieldValue, type StepProgress } from './fields';
import { notifiesTeam } from './response-steps';
import type { IncidentState, IncidentStatus, Milestones } from './incident';
import { INCIDENT_STATUSES } from './incident';
import type { DeclarePayload } from './op-payload';

/** A field write with its author's wall-clock time. */
export interface TimedFieldWrite extends FieldWriteRecord {
  at: number;
}

export interface IncidentFacts {
  id: string;
  declare: DeclarePayload;
  declaredByDevice: string;
  /** Every write to a field of the incident entity, keyed by field name. */
  incidentWrites: ReadonlyMap<string, readonly TimedFieldWrite[]>;
  /** Every write to the commander role's holder. */
  commanderWrites: readonly TimedFieldWrite[];
  /** occurred-at of each communication marked sent and not retracted. */
  communicationsSentAt: readonly number[];
  /** Every progress write to a procedure step, by step id (absent: none). */
  stepWrites?: ReadonlyMap<string, readonly TimedFieldWrite[]>;
}

const STATUS_RANK = Object.fromEntries(INCIDENT_STATUSES.map((s, i) => [s, i])) as Record<IncidentStatus, number>;

/** The valid writes of a field, with values parsed; invalid ones are ignored on every replica alike. */
function validWrites(facts: IncidentFacts, field: string): TimedFieldWrite[] {
  const writes = facts.incidentWrites.get(field) ?? [];
  const valid: TimedFieldWrite[] = [];
  for (const w of writes) {
    const parsed = parseFieldValue('incident', field, w.value);
    if (parsed.ok) valid.push({ ...w, value: parsed.value });
  }
  return valid;
}

function current<T>(facts: IncidentFacts, field: string, fallback: T): T {
  const resolved = resolveField(validWrites(facts, field));
  return resolved ? (resolved.winner.value as T) : fallback;
}

const byTimeThenClock = (a: TimedFieldWrite, b: TimedFieldWrite): number => a.at - b.at || compareWrites(a, b);

const earliestAt = (writes: readonly TimedFieldWrite[], matches: (value: unknown) => boolean): number | undefined => {
  let min: number | undefined;
  for (const w of writes) if (matches(w.value) && (min === undefined || w.at < min)) min = w.at;
  return min;
};

/** The earliest valid "done" of a step that notifies the primary team (shared/model/response-steps). */
function teamNotifiedAt(facts: IncidentFacts): number | undefined {
  let min: number | undefined;
  for (const [stepId, writes] of facts.stepWrites ?? []) {
    if (!notifiesTeam(facts.declare.playbook, stepId)) continue;
    for (const w of writes) {
      const parsed = parseFieldValue('step', 'progress', w.value);
      if (parsed.ok && (parsed.value as StepProgress).state === 'done' && (min === undefined || w.at < min)) min = w.at;
    }
  }
  return min;
}

export function foldIncident(facts: IncidentFacts): IncidentState {
  const { declare } = facts;
  const playbook = declare.playbook;
  const status = current<IncidentStatus>(facts, 'status', 'active');
  const statusWrites = validWrites(facts, 'status');
  const atLeast = (rank: IncidentStatus) => (v: unknown) => STATUS_RANK[v as IncidentStatus] >= STATUS_RANK[rank];
  const commanderAssigned = facts.commanderWrites.filter((w) => typeof w.value === 'string');

  const defaults: Partial<Record<Milestone, number | undefined>> = {
    impactStarted: declare.impactStartedAt ?? undefined,
    detected: declare.detectedAt,
    acknowledged: earliestAt(commanderAssigned, () => true),
    teamNotified: teamNotifiedAt(facts),
    firstCommunicationSent: facts.communicationsSentAt.length ? Math.min(...facts.communicationsSentAt) : undefined,
    mitigated: earliestAt(statusWrites, atLeast('mitigated')),
    resolved: earliestAt(statusWrites, atLeast('resolved')),
    postMortemDone: earliestAt(validWrites(facts, 'postMortemFinal'), (v) => v === true),
  };
  const milestones: Milestones = {};
  for (const m of MILESTONES) {
    const edited = current<{ at: number; reason: string } | null>(facts, `milestone.${m}`, null);
    if (edited) milestones[m] = { at: edited.at, source: 'edited', reason: edited.reason };
    else if (defaults[m] !== undefined) milestones[m] = { at: defaults[m] as number, source: 'default' };
  }

  const firstPhase = playbook.phases[0].id;
  const phaseWrites = validWrites(facts, 'phase').sort(byTimeThenClock);
  const severityWrites = validWrites(facts, 'severity').sort(byTimeThenClock);

  return {
    id: facts.id,
    title: current(facts, 'title', declare.title),
    severity: current<Severity>(facts, 'severity', declare.severity),
    category: current(facts, 'category', declare.category),
    status,
    phase: current(facts, 'phase', firstPhase),
    affectedSystems: current(facts, 'affectedSystems', declare.affectedSystems),
    summary: current(facts, 'summary', declare.summary),
    rootCause: current(facts, 'rootCause', ''),
    impact: {
      users: current(facts, 'impact.users', ''),
      data: current(facts, 'impact.data', ''),
      business: current(facts, 'impact.business', ''),
      compliance: current(facts, 'impact.compliance', ''),
    },
    breach: current(facts, 'breach', { flagged: false, awareAt: null }),
    drill: declare.drill,
    milestones,
    phaseHistory: [
      { phase: firstPhase, at: declare.detectedAt },
      ...phaseWrites.map((w) => ({ phase: w.value as string, at: w.at })),
    ],
    severityHistory: [
      { severity: declare.severity, at: declare.detectedAt },
      ...severityWrites.map((w) => ({ severity: w.value as Severity, at: w.at })),
    ],
    communicationsSentAt: [...facts.communicationsSentAt].sort((a, b) => a - b),
    postMortemFinal: current(facts, 'postMortemFinal', false),
    playbook,
    declaredAt: declare.at,
    declaredByDevice: facts.declaredByDevice,
  };
}

/** The incident fields whose concurrent change the UI must flag (DESIGN.md §4). */
export function concurrentlyChangedFields(facts: IncidentFacts, fields: readonly string[]): string[] {
  return fields.filter((f) => resolveField(validWrites(facts, f))?.conflicted === true);
}
