/**
 * The post-mortem as plain data, computed once from an IncidentReport and rendered by markdown.ts
 * and html.ts alike, so both formats always say the same thing. Every clock is judged at the
 * report's generatedAt. Text here is raw user text: each renderer escapes it for its own format.
 */
import { formatDuration } from '../model/incident-clock';
import { milestoneAt } from '../model/milestone-times';
import { MILESTONE_TITLES } from '../model/milestone-titles';
import type { MilestoneValue, PhaseVisit } from '../model/incident';
import { phaseTimeline, type PhaseTimelineEntry } from '../model/phase-window';
import { responseTimes, type ResponseTimes } from '../model/response-times';
import { thresholdRulesByMetric, type SeverityRule } from '../model/threshold-alerts';
import { validationTimers, type ValidationTimer } from '../model/validation-timers';
import type { ChecklistPhaseView, SampleView, TaskView, TimelineEntryView } from '../model/views';
import { MILESTONES, type Severity } from '../playbook/schema';
import type { IncidentReport } from './incident-report';

/** Checklist items whose notes are the post-mortem's lessons learned (the seed's Post-Incident phase). */
export const LESSONS_ITEM_ID = 'lessons-learned';
export const ROOT_CAUSE_ITEM_ID = 'root-cause';

export interface TimelineRow {
  id: string;
  at: number;
  kind: string;
  by: string;
  starred: boolean;
  /** The entry's text; empty when redacted (see `marks`). */
  text: string;
  /** What became of it or what it does, in words: "amended by …", "retracted: …", "[redacted by …]". */
  marks: string[];
  redacted: boolean;
}

export interface MetricSummary {
  metric: string;
  title: string;
  unit: string;
  count: number;
  min: number;
  max: number;
  last: number;
  from: number;
  to: number;
  thresholds: SeverityRule[];
  /** Every sample of this metric (the HTML chart downsamples them). */
  samples: SampleView[];
}

export interface Handover {
  at: number;
  /** The system entry's sentence ("Ana assigned Incident Commander to Bea"). */
  text: string;
  commander: boolean;
}

export interface PostMortem {
  id: string;
  title: string;
  drill: boolean;
  final: boolean;
  generatedAt: number;
  facts: Array<[string, string]>;
  summary: string;
  rootCause: string;
  rootCauseNotes: string[];
  lessons: string[];
  impact: Array<[string, string]>;
  severityHistory: Array<{ at: number; severity: Severity }>;
  milestones: Array<{ title: string; value: MilestoneValue | undefined }>;
  phases: Array<PhaseTimelineEntry & { againstWindow: string }>;
  roles: Array<{ title: string; holder: string | null; contact: string }>;
  handovers: Handover[];
  validation: ValidationTimer[];
  timeline: TimelineRow[];
  checklist: ChecklistPhaseView[];
  tasks: TaskView[];
  actionItems: TaskView[];
  /** Action items done: the seed's "process improvements implemented". */
  improvementsImplemented: number;
  metrics: MetricSummary[];
  responseTimes: ResponseTimes;
}

const byId = (entries: readonly TimelineEntryView[]) => new Map(entries.map((e) => [e.id, e]));

function marksOf(entry: TimelineEntryView, entries: ReadonlyMap<string, TimelineEntryView>, at: (ms: number) => string): string[] {
  const marks: string[] = [];
  const target = entry.refersTo ? entries.get(entry.refersTo) : undefined;
  const targetWhen = target ? ` (entry of ${at(target.occurredAt)} by ${target.by})` : '';
  if (entry.relation === 'supersedes') marks.push(`amends an earlier entry${targetWhen}`);
  if (entry.relation === 'retracts') marks.push(`retracts an earlier entry${targetWhen}`);
  if (entry.relation === 'redacts') marks.push(`redacts an earlier entry${targetWhen}`);
  const supersededBy = entry.supersededBy ? entries.get(entry.supersededBy) : undefined;
  if (supersededBy) marks.push(`amended by ${supersededBy.by} at ${at(supersededBy.recordedAt.ms)}`);
  const retractedBy = entry.retractedBy ? entries.get(entry.retractedBy) : undefined;
  if (retractedBy) marks.push(`retracted by ${retractedBy.by} at ${at(retractedBy.recordedAt.ms)}: ${retractedBy.text}`);
  const redactedBy = entry.redactedBy ? entries.get(entry.redactedBy) : undefined;
  if (entry.redactedBy) {
    marks.push(redactedBy ? `[redacted by ${redactedBy.by} at ${at(redactedBy.recordedAt.ms)}: ${redactedBy.text}]` : '[redacted]');
  }
  return marks;
}

function metricSummaries(report: IncidentReport): MetricSummary[] {
  const { playbook } = report.incident;
  const rules = thresholdRulesByMetric(playbook);
  const byMetric = new Map<string, SampleView[]>();
  for (const sample of report.samples) {
    const series = byMetric.get(sample.metric);
    if (series) series.push(sample);
    else byMetric.set(sample.metric, [sample]);
  }
  return [...byMetric.entries()].map(([metric, samples]) => {
    const definition = playbook.metrics.find((m) => m.id === metric);
    // A loop, not Math.min(...values): a long incident's samples would overflow the call stack.
    let min = Infinity;
    let max = -Infinity;
    for (const s of samples) {
      min = Math.min(min, s.value);
      max = Math.max(max, s.value);
    }
    return {
      metric,
      title: definition?.title ?? metric,
      unit: definition?.unit ?? '',
      count: samples.length,
      min,
      max,
      last: samples[samples.length - 1].value,
      from: samples[0].t,
      to: samples[samples.length - 1].t,
      thresholds: rules.get(metric) ?? [],
      samples,
    };
  });
}

/** When the last visit to a phase ended (the next phase entered), or null while it is current or never entered. */
function leftAt(history: readonly PhaseVisit[], phaseId: string): number | null {
  const visits = [...history].sort((a, b) => a.at - b.at);
  const last = visits.map((v) => v.phase).lastIndexOf(phaseId);
  return last >= 0 && last + 1 < visits.length ? visits[last + 1].at : null;
}

/** How the phase did against its window: left in time, left late, still running over. */
function againstWindow(phase: PhaseTimelineEntry, left: number | null, now: number): string {
  if (phase.visits === 0) return phase.state === 'done' ? 'skipped' : 'not reached';
  const end = left ?? now;
  const late = end - phase.windowEndAt;
  if (phase.state === 'current') return late > 0 ? `current, ${formatDuration(late)} past its window` : 'current, within its window';
  return late > 0 ? `left ${formatDuration(late)} after its window` : 'left within its window';
}

const notesOf = (checklist: readonly ChecklistPhaseView[], itemId: string): string[] =>
  checklist.flatMap((phase) => phase.items.filter((i) => i.id.endsWith(`/${itemId}`) && i.note.trim()).map((i) => i.note));

export function postMortem(report: IncidentReport, at: (ms: number) => string): PostMortem {
  const { incident, generatedAt } = report;
  const entries = byId(report.timeline);
  const commanderKeys = new Set(report.roster.roles.filter((r) => r.commander).map((r) => r.roleKey));
  const actionItems = report.tasks.filter((t) => t.type === 'action-item');
  // Phase clocks stop once the incident is resolved: the post-mortem judges the response, not the wait after it.
  const phasesStopAt = Math.min(generatedAt, milestoneAt(incident, 'resolved') ?? generatedAt);
  const phaseTitle = incident.playbook.phases.find((p) => p.id === incident.phase)?.title ?? incident.phase;
  return {
    id: incident.id,
    title: incident.title,
    drill: incident.drill,
    final: incident.postMortemFinal,
    generatedAt,
    facts: [
      ['Incident', incident.id],
      ['Severity', incident.severity],
      ['Status', incident.status],
      ['Category', incident.category || '—'],
      ['Current phase', phaseTitle],
      ['Affected systems', incident.affectedSystems.join(', ') || '—'],
      ['Declared', at(incident.declaredAt)],
      ['Breach', incident.breach.flagged ? `yes, aware at ${incident.breach.awareAt === null ? '—' : at(incident.breach.awareAt)}` : 'no'],
      ['Post-mortem', incident.postMortemFinal ? 'final' : 'draft'],
      ...(report.concurrentlyChanged.length ? [['Changed concurrently', report.concurrentlyChanged.join(', ')] as [string, string]] : []),
    ],
    summary: incident.summary,
    rootCause: incident.rootCause,
    rootCauseNotes: notesOf(report.checklist, ROOT_CAUSE_ITEM_ID),
    lessons: notesOf(report.checklist, LESSONS_ITEM_ID),
    impact: [
      ['Users', incident.impact.users],
      ['Data', incident.impact.data],
      ['Business', incident.impact.business],
      ['Compliance', incident.impact.compliance],
    ],
    severityHistory: incident.severityHistory.map((s) => ({ at: s.at, severity: s.severity })),
    milestones: MILESTONES.map((m) => ({ title: MILESTONE_TITLES[m], value: incident.milestones[m] })),
    phases: phaseTimeline(incident, phasesStopAt).map((p) => ({ ...p, againstWindow: againstWindow(p, leftAt(incident.phaseHistory, p.phaseId), phasesStopAt) })),
    roles: report.roster.roles.map((r) => ({ title: r.title, holder: r.holder?.name ?? null, contact: r.holder?.contact ?? '' })),
    handovers: report.timeline
      .filter((e) => e.change?.entityType === 'role' && e.change.field === 'holder')
      .map((e) => ({ at: e.occurredAt, text: e.text, commander: commanderKeys.has(e.change?.entityId ?? '') })),
    validation: validationTimers(incident, generatedAt),
    timeline: report.timeline.map((e) => ({
      id: e.id,
      at: e.occurredAt,
      kind: e.kind,
      by: e.by,
      starred: e.starred,
      text: e.redactedBy ? '' : e.text,
      marks: marksOf(e, entries, at),
      redacted: e.redactedBy !== null,
    })),
    checklist: report.checklist,
    tasks: report.tasks.filter((t) => t.type === 'task'),
    actionItems,
    improvementsImplemented: actionItems.filter((t) => t.state === 'done').length,
    metrics: metricSummaries(report),
    responseTimes: responseTimes(incident),
  };
}

/** "1h 02m", or "—" while a milestone is missing. */
export const durationOrDash = (ms: number | null | undefined): string => (ms === null || ms === undefined ? '—' : formatDuration(ms));

export const VALIDATION_STATE_WORDS: Record<ValidationTimer['state'], string> = {
  met: 'met',
  missed: 'MISSED',
  running: 'running',
  'not-started': 'not started',
  'not-applicable': 'not applicable',
  'no-limit': 'no limit (no RTO for the affected systems)',
};

export const DRILL_NOTICE = 'DRILL — this incident was an exercise; it is kept out of response metrics.';
