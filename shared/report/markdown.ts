/**
 * The Markdown post-mortem (issue #6): summary, impact, severity history, phase durations against
 * their windows, roster and handovers, validation items, the full timeline with its corrections,
 * checklists, tasks and action items, metrics, response times, root cause and lessons learned.
 * User text goes through markdown-text.ts; our own structure is the only markup.
 */
import { formatMetricValue, thresholdLabel } from '../model/threshold-alerts';
import type { IncidentReport } from './incident-report';
import { mdBlock, mdCell, mdInline } from './markdown-text';
import { DRILL_NOTICE, durationOrDash, postMortem, VALIDATION_STATE_WORDS, type PostMortem } from './post-mortem';
import { utcReadable } from './report-time';

const table = (head: string[], rows: string[][]): string[] => [
  `| ${head.join(' | ')} |`,
  `| ${head.map(() => '---').join(' | ')} |`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
];

const at = utcReadable;
const orNone = (lines: string[], none: string): string[] => (lines.length ? lines : [`_${none}_`]);

function textSection(title: string, texts: string[], none: string): string[] {
  const present = texts.filter((t) => t.trim());
  return [`## ${title}`, '', ...(present.length ? present.flatMap((t) => [mdBlock(t), '']) : [`_${none}_`, ''])];
}

function timelineLines(pm: PostMortem): string[] {
  return pm.timeline.map((row) => {
    const star = row.starred ? '★ ' : '';
    const text = row.redacted ? '' : ` ${mdBlock(row.text, '  ')}`;
    const marks = row.marks.map((m) => `  \n  _${mdInline(m)}_`).join('');
    return `- ${star}**${at(row.at)}** · ${mdInline(row.kind)} · ${mdInline(row.by)}:${text}${marks}`;
  });
}

export function renderMarkdown(report: IncidentReport): string {
  const pm = postMortem(report, at);
  const drill = pm.drill ? [`> **${DRILL_NOTICE}**`, ''] : [];
  const lines: string[] = [
    `# ${pm.drill ? 'DRILL: ' : ''}Post-mortem: ${mdInline(pm.title)}`,
    '',
    ...drill,
    `Generated ${at(pm.generatedAt)} by Sitrep. Post-mortem ${pm.final ? '**final**' : 'draft'}.`,
    '',
    ...table(['Fact', 'Value'], pm.facts.map(([k, v]) => [k, mdCell(v)])),
    '',
    ...textSection('Summary', [pm.summary], 'No summary recorded.'),
    '## Impact',
    '',
    ...table(['Area', 'Impact'], pm.impact.map(([k, v]) => [k, mdCell(v)])),
    '',
    '## Severity history',
    '',
    ...orNone(pm.severityHistory.map((s) => `- ${at(s.at)}: ${s.severity}`), 'No severity recorded.'),
    '',
    '## Milestones',
    '',
    ...table(
      ['Milestone', 'At (UTC)', 'Source'],
      pm.milestones.map((m) => [m.title, m.value ? at(m.value.at) : '—', m.value ? (m.value.source === 'edited' ? (m.value.reason ? `edited: ${mdInline(m.value.reason)}` : 'edited') : 'default') : '—']),
    ),
    '',
    '## Response times',
    '',
    ...table(
      ['Measure', 'Time'],
      [
        ['Time to detect (detected − impact started)', durationOrDash(pm.responseTimes.timeToDetectMs)],
        ['Time to acknowledge (acknowledged − detected)', durationOrDash(pm.responseTimes.timeToAcknowledgeMs)],
        ['Time to resolve (resolved − detected)', durationOrDash(pm.responseTimes.timeToResolveMs)],
      ],
    ),
    '',
    '## Phases against their windows',
    '',
    ...table(
      ['Phase', 'State', 'Window (UTC)', 'Entered', 'Visits', 'Time spent', 'Against its window'],
      pm.phases.map((p) => [
        mdCell(p.title),
        p.state,
        `${at(p.windowStartAt)} – ${at(p.windowEndAt)}`,
        p.firstEnteredAt === null ? '—' : at(p.firstEnteredAt),
        String(p.visits),
        p.visits ? durationOrDash(p.timeSpentMs) : '—',
        p.againstWindow,
      ]),
    ),
    '',
    '## Validation',
    '',
    ...table(
      ['Item', 'Result', 'Deadline (UTC)', 'Ended at'],
      pm.validation.map((v) => [mdCell(v.title), VALIDATION_STATE_WORDS[v.state], v.deadline === undefined ? '—' : at(v.deadline), v.endAt === undefined ? '—' : at(v.endAt)]),
    ),
    '',
    '## Roster',
    '',
    ...table(['Role', 'Held by', 'Contact'], pm.roles.map((r) => [mdCell(r.title), r.holder === null ? '—' : mdCell(r.holder), mdCell(r.contact)])),
    '',
    '### Handovers',
    '',
    ...orNone(pm.handovers.map((h) => `- ${at(h.at)}${h.commander ? ' (command)' : ''}: ${mdInline(h.text)}`), 'No role changes.'),
    '',
    '## Timeline',
    '',
    `${pm.timeline.length} entries, times UTC; ★ marks a starred entry.`,
    '',
    ...orNone(timelineLines(pm), 'No entries.'),
    '',
    '## Checklists',
    '',
    ...pm.checklist.flatMap((phase) => [
      `### ${mdInline(phase.title)}${phase.current ? ' (current)' : ''}`,
      '',
      ...phase.items.map(
        (item) =>
          `- [${item.status === 'done' ? 'x' : ' '}] ${mdInline(item.title)} (${mdInline(item.section)})` +
          (item.statusBy && item.statusAt !== null ? ` — done by ${mdInline(item.statusBy)} at ${at(item.statusAt)}` : '') +
          (item.assignee ? ` — assigned to ${mdInline(item.assignee.name)}` : '') +
          (item.note ? `  \n  Note: ${mdBlock(item.note, '  ')}` : ''),
      ),
      '',
    ]),
    '## Tasks',
    '',
    ...orNone(pm.tasks.map((t) => taskLine(t)), 'No tasks.'),
    '',
    '## Metrics',
    '',
    ...(pm.metrics.length
      ? table(
          ['Metric', 'Samples', 'Min', 'Max', 'Last', 'From – to (UTC)', 'Thresholds'],
          pm.metrics.map((m) => [
            mdCell(m.title),
            String(m.count),
            mdCell(formatMetricValue(m.min, m.unit)),
            mdCell(formatMetricValue(m.max, m.unit)),
            mdCell(formatMetricValue(m.last, m.unit)),
            `${at(m.from)} – ${at(m.to)}`,
            mdCell(m.thresholds.map((t) => thresholdLabel(t.severity, t.rule)).join('; ')),
          ]),
        )
      : ['_No metric samples._']),
    '',
    ...textSection('Root cause', [pm.rootCause, ...pm.rootCauseNotes], 'Not recorded yet: set the incident’s root cause, or note it on the checklist item “Root Cause”.'),
    ...textSection('Lessons learned', pm.lessons, 'Not recorded yet: note them on the Post-Incident checklist item “Lessons Learned”.'),
    '## Action items',
    '',
    `${pm.improvementsImplemented} of ${pm.actionItems.length} action items done (process improvements implemented).`,
    '',
    ...orNone(pm.actionItems.map((t) => taskLine(t)), 'No action items.'),
    '',
  ];
  return lines.join('\n');
}

function taskLine(t: PostMortem['tasks'][number]): string {
  const owner = t.owner ? ` — owner ${mdInline(t.owner.name)}` : '';
  const due = t.dueAt === null ? '' : ` — due ${at(t.dueAt)}`;
  return `- [${t.state === 'done' ? 'x' : ' '}] ${mdInline(t.title)} (${t.state})${owner}${due}`;
}
