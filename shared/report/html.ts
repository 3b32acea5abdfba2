/**
 * The HTML post-mortem: the same sections as the Markdown (both render post-mortem.ts), with the
 * metric charts drawn in as inline SVG. Self-contained and inert: one file, no script, no external
 * resource, a Content-Security-Policy that forbids both, and every piece of text escaped. The PDF
 * is this page printed.
 */
import { formatMetricValue, thresholdLabel } from '../model/threshold-alerts';
import { escapeHtml as e } from './html-text';
import type { IncidentReport } from './incident-report';
import { metricChartSvg } from './metric-chart-svg';
import { DRILL_NOTICE, durationOrDash, postMortem, VALIDATION_STATE_WORDS, type PostMortem } from './post-mortem';
import { utcReadable as at } from './report-time';

/** No script, no fetch, no frame; inline styles and SVG only. */
export const EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;color:#111;max-width:60rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
.drill{border:3px solid #b71c1c;color:#b71c1c;font-weight:700;padding:.5rem 1rem;font-size:1.2rem}
.missed{color:#b71c1c;font-weight:700}.met{color:#1b5e20}
.entry{margin:.3rem 0;padding:.3rem .5rem;border-left:3px solid #ddd}.entry.starred{border-left-color:#f9a825}
.entry .text{white-space:pre-wrap}.mark{font-style:italic;color:#555}.redacted .text{display:none}
figure{margin:1rem 0}figcaption{font-weight:600}
@media print{h2{break-after:avoid}.entry,figure,tr{break-inside:avoid}}
`.trim();

const table = (head: string[], rows: string[][]): string =>
  `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>` +
  rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('') +
  '</tbody></table>';

const para = (text: string, none: string): string => (text.trim() ? `<p class="text" style="white-space:pre-wrap">${e(text)}</p>` : `<p><em>${e(none)}</em></p>`);
const orNone = (html: string, none: string): string => html || `<p><em>${e(none)}</em></p>`;

function timelineHtml(pm: PostMortem): string {
  return pm.timeline
    .map((row) => {
      const classes = ['entry', row.starred ? 'starred' : '', row.redacted ? 'redacted' : ''].filter(Boolean).join(' ');
      const marks = row.marks.map((m) => `<div class="mark">${e(m)}</div>`).join('');
      return (
        `<div class="${classes}"><div>${row.starred ? '<span aria-label="starred">★</span> ' : ''}<strong>${e(at(row.at))}</strong> · ${e(row.kind)} · ${e(row.by)}</div>` +
        (row.redacted ? '' : `<div class="text">${e(row.text)}</div>`) +
        marks +
        '</div>'
      );
    })
    .join('\n');
}

function taskRow(t: PostMortem['tasks'][number]): string[] {
  return [e(t.title), e(t.state), e(t.owner?.name ?? '—'), e(t.dueAt === null ? '—' : at(t.dueAt))];
}

export function renderHtml(report: IncidentReport): string {
  const pm = postMortem(report, at);
  const title = `${pm.drill ? 'DRILL: ' : ''}Post-mortem: ${pm.title}`;
  const body = [
    `<h1>${e(title)}</h1>`,
    pm.drill ? `<p class="drill">${e(DRILL_NOTICE)}</p>` : '',
    `<p>Generated ${e(at(pm.generatedAt))} by Sitrep. Post-mortem <strong>${pm.final ? 'final' : 'draft'}</strong>.</p>`,
    table(['Fact', 'Value'], pm.facts.map(([k, v]) => [e(k), e(v)])),
    '<h2>Summary</h2>',
    para(pm.summary, 'No summary recorded.'),
    '<h2>Impact</h2>',
    table(['Area', 'Impact'], pm.impact.map(([k, v]) => [e(k), e(v || '—')])),
    '<h2>Severity history</h2>',
    orNone(pm.severityHistory.length ? `<ul>${pm.severityHistory.map((s) => `<li>${e(at(s.at))}: ${e(s.severity)}</li>`).join('')}</ul>` : '', 'No severity recorded.'),
    '<h2>Milestones</h2>',
    table(
      ['Milestone', 'At (UTC)', 'Source'],
      pm.milestones.map((m) => [e(m.title), e(m.value ? at(m.value.at) : '—'), e(m.value ? (m.value.source === 'edited' ? (m.value.reason ? `edited: ${m.value.reason}` : 'edited') : 'default') : '—')]),
    ),
    '<h2>Response times</h2>',
    table(
      ['Measure', 'Time'],
      [
        ['Time to detect (detected − impact started)', durationOrDash(pm.responseTimes.timeToDetectMs)],
        ['Time to acknowledge (acknowledged − detected)', durationOrDash(pm.responseTimes.timeToAcknowledgeMs)],
        ['Time to resolve (resolved − detected)', durationOrDash(pm.responseTimes.timeToResolveMs)],
      ].map((r) => r.map(e)),
    ),
    '<h2>Phases against their windows</h2>',
    table(
      ['Phase', 'State', 'Window (UTC)', 'Entered', 'Visits', 'Time spent', 'Against its window'],
      pm.phases.map((p) =>
        [p.title, p.state, `${at(p.windowStartAt)} – ${at(p.windowEndAt)}`, p.firstEnteredAt === null ? '—' : at(p.firstEnteredAt), String(p.visits), p.visits ? durationOrDash(p.timeSpentMs) : '—', p.againstWindow].map(e),
      ),
    ),
    '<h2>Validation</h2>',
    table(
      ['Item', 'Result', 'Deadline (UTC)', 'Ended at'],
      pm.validation.map((v) => [
        e(v.title),
        `<span class="${v.state === 'missed' ? 'missed' : v.state === 'met' ? 'met' : ''}">${e(VALIDATION_STATE_WORDS[v.state])}</span>`,
        e(v.deadline === undefined ? '—' : at(v.deadline)),
        e(v.endAt === undefined ? '—' : at(v.endAt)),
      ]),
    ),
    '<h2>Roster</h2>',
    table(['Role', 'Held by', 'Contact'], pm.roles.map((r) => [e(r.title), e(r.holder ?? '—'), e(r.contact || '—')])),
    '<h3>Handovers</h3>',
    orNone(pm.handovers.length ? `<ul>${pm.handovers.map((h) => `<li>${e(at(h.at))}${h.commander ? ' (command)' : ''}: ${e(h.text)}</li>`).join('')}</ul>` : '', 'No role changes.'),
    '<h2>Timeline</h2>',
    `<p>${pm.timeline.length} entries, times UTC; ★ marks a starred entry.</p>`,
    orNone(timelineHtml(pm), 'No entries.'),
    '<h2>Checklists</h2>',
    ...pm.checklist.map(
      (phase) =>
        `<h3>${e(phase.title)}${phase.current ? ' (current)' : ''}</h3><ul>` +
        phase.items
          .map(
            (item) =>
              `<li>${item.status === 'done' ? '☑' : '☐'} ${e(item.title)} (${e(item.section)})` +
              (item.statusBy && item.statusAt !== null ? ` — done by ${e(item.statusBy)} at ${e(at(item.statusAt))}` : '') +
              (item.assignee ? ` — assigned to ${e(item.assignee.name)}` : '') +
              (item.note ? `<div class="text" style="white-space:pre-wrap">Note: ${e(item.note)}</div>` : '') +
              '</li>',
          )
          .join('') +
        '</ul>',
    ),
    '<h2>Tasks</h2>',
    pm.tasks.length ? table(['Task', 'State', 'Owner', 'Due'], pm.tasks.map(taskRow)) : '<p><em>No tasks.</em></p>',
    '<h2>Metrics</h2>',
    pm.metrics.length
      ? table(
          ['Metric', 'Samples', 'Min', 'Max', 'Last', 'Thresholds'],
          pm.metrics.map((m) =>
            [m.title, String(m.count), formatMetricValue(m.min, m.unit), formatMetricValue(m.max, m.unit), formatMetricValue(m.last, m.unit), m.thresholds.map((t) => thresholdLabel(t.severity, t.rule)).join('; ') || '—'].map(e),
          ),
        ) + pm.metrics.map((m) => `<figure><figcaption>${e(m.title)}</figcaption>${metricChartSvg(m)}</figure>`).join('')
      : '<p><em>No metric samples.</em></p>',
    '<h2>Root cause</h2>',
    [pm.rootCause, ...pm.rootCauseNotes].some((t) => t.trim())
      ? [pm.rootCause, ...pm.rootCauseNotes].filter((t) => t.trim()).map((t) => para(t, '')).join('')
      : para('', 'Not recorded yet: set the incident’s root cause, or note it on the checklist item “Root Cause”.'),
    '<h2>Lessons learned</h2>',
    pm.lessons.length ? pm.lessons.map((t) => para(t, '')).join('') : para('', 'Not recorded yet: note them on the Post-Incident checklist item “Lessons Learned”.'),
    '<h2>Action items</h2>',
    `<p>${pm.improvementsImplemented} of ${pm.actionItems.length} action items done (process improvements implemented).</p>`,
    pm.actionItems.length ? table(['Action item', 'State', 'Owner', 'Due'], pm.actionItems.map(taskRow)) : '<p><em>No action items.</em></p>',
  ]
    .filter(Boolean)
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${e(EXPORT_CSP)}">`,
    `<title>${e(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
