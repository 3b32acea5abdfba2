/**
 * The default playbook leaves out nothing of the seed procedure.
 *
 * Invariants checked:
 * - Every line of ../shared/seed/incident-response-procedures.md (title, overview, ###/#### headings,
 *   bold-headed list items, `- [ ]` checklist lines, commented and command lines of the runbook
 *   blocks, RTO lines, communication templates) has a counterpart in DEFAULT_PLAYBOOK, in the place
 *   the seed puts it (P0's criteria under P0, 2.2's mitigations in the containment phase, …).
 * - A seed line the parser below does not understand counts as missing, so a new form in the seed
 *   fails the test instead of being skipped.
 * - Removing any one item from the data makes the matcher report exactly the seed line it came from.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PLAYBOOK, playbookSchema, type Playbook, type ValidationItem } from '../../../shared/playbook';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const SEED_PATH = path.resolve(repoRoot, '../shared/seed/incident-response-procedures.md');

// ---------------------------------------------------------------------------------------------
// The seed, as lines with the headings they sit under.

type SeedKind = 'title' | 'overview' | 'heading' | 'bold' | 'check' | 'comment' | 'command' | 'template' | 'unrecognised';

interface SeedLine {
  kind: SeedKind;
  /** 1-based line in the seed file. */
  line: number;
  /** The seed text as written (for a template, the whole block). */
  raw: string;
  /** The text without list markers, e.g. "Incident detected within 5 minutes". */
  text: string;
  /** Bold head and the rest, for `- **Head**: rest` and `- **Head** rest`. */
  head?: string;
  body?: string;
  h2: string;
  h3: string;
  h4: string;
}

const BOLD_ITEM = /^(?:-|\d+\.)\s+\*\*(.+?)\*\*:?\s*(.*)$/;
const CHECK_ITEM = /^- \[[ xX]\]\s+(.+)$/;

function readSeed(markdown: string): SeedLine[] {
  const lines = markdown.split(/\r?\n/);
  const out: SeedLine[] = [];
  let h2 = '';
  let h3 = '';
  let h4 = '';
  const at = (kind: SeedKind, index: number, raw: string, text: string, extra: Partial<SeedLine> = {}): void => {
    out.push({ kind, line: index + 1, raw, text, h2, h3, h4, ...extra });
  };
  for (let i = 0; i < lines.length; i += 1) {
    const raw = lines[i].trim();
    if (raw === '') continue;
    const heading = /^(#{1,4})\s+(.+)$/.exec(raw);
    if (heading) {
      const [, hashes, title] = heading;
      if (hashes.length === 1) at('title', i, raw, title);
      if (hashes.length === 2) [h2, h3, h4] = [title, '', ''];
      if (hashes.length === 3) [h3, h4] = [title, ''];
      if (hashes.length === 4) h4 = title;
      if (hashes.length >= 3) at('heading', i, raw, title);
      continue;
    }
    if (raw.startsWith('```')) {
      const start = i;
      const block: string[] = [];
      for (i += 1; i < lines.length && !lines[i].trim().startsWith('```'); i += 1) block.push(lines[i]);
      if (h2 === 'Communication Templates') {
        at('template', start, `\`\`\` block under "${h3}"`, block.join('\n'));
      } else if (h4 !== '') {
        block.forEach((code, k) => {
          const line = code.trim();
          if (line === '') return;
          if (line.startsWith('#')) at('comment', start + 1 + k, line, line.replace(/^#\s*/, ''));
          else at('command', start + 1 + k, line, line);
        });
      } else {
        at('unrecognised', start, `\`\`\` block under "${h3 || h2}"`, block.join('\n'));
      }
      continue;
    }
    const check = CHECK_ITEM.exec(raw);
    if (check) {
      at('check', i, raw, check[1]);
      continue;
    }
    const bold = BOLD_ITEM.exec(raw);
    if (bold) {
      at('bold', i, raw, `${bold[1]}: ${bold[2]}`, { head: bold[1], body: bold[2] });
      continue;
    }
    if (h2 === 'Overview' && h3 === '') {
      at('overview', i, raw, raw);
      continue;
    }
    at('unrecognised', i, raw, raw);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The playbook, rendered back into the seed's wording for each place in the seed.

const norm = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/[\p{Extended_Pictographic}\uFE0F]/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

const headBody = (head: string, body: string): string => norm(`${head}: ${body}`);

/** Seed style for a phase window: "0-15 minutes", "1-4 hours", "1-7 days". */
const windowText = ({ startMinutes: a, endMinutes: b }: { startMinutes: number; endMinutes: number }): string => {
  if (a % 1440 === 0 && b % 1440 === 0) return `${a / 1440}-${b / 1440} days`;
  if (a % 60 === 0 && b % 60 === 0) return `${a / 60}-${b / 60} hours`;
  return `${a}-${b} minutes`;
};

const hoursText = (minutes: number): string => (minutes === 60 ? '1 hour' : `${minutes / 60} hours`);

const phaseHeading = (p: Playbook, index: number): string =>
  norm(`Phase ${index + 1}: ${p.phases[index].title} (${windowText(p.phases[index].window)})`);

/** The phase a "### Phase N: …" heading names, if the playbook has one at that index. */
const phaseOf = (p: Playbook, h3: string): Playbook['phases'][number] | undefined => {
  const n = /^Phase (\d+):/.exec(h3);
  return n ? p.phases[Number(n[1]) - 1] : undefined;
};

const severityOfHeading = (p: Playbook, heading: string): Playbook['severities'][number] | undefined =>
  p.severities.find((s) => norm(heading) === norm(`${s.label} (${s.id})`)) ??
  p.severities.find((s) => /auto-response/i.test(heading) && norm(heading).startsWith(norm(`${s.label} `)));

function headingCounterparts(p: Playbook, h3: string): Set<string> {
  const names = new Set<string>();
  const add = (name: string, present: boolean): void => {
    if (present) names.add(norm(name));
  };
  for (const s of p.severities) {
    add(`${s.label} (${s.id})`, true);
    if (s.automatedActions.length > 0 && severityOfHeading(p, h3) === s) add(h3, true);
  }
  add('Primary Response Team', p.roles.some((r) => r.team === 'primary'));
  add('Secondary Support', p.roles.some((r) => r.team === 'secondary'));
  p.phases.forEach((_, i) => names.add(phaseHeading(p, i)));
  for (const item of phaseOf(p, h3)?.checklist ?? []) add(item.section, true);
  for (const t of p.communicationTemplates) add(t.title, true);
  add('Key Metrics to Monitor', p.metrics.length > 0);
  add('Alert Thresholds', p.alertThresholds.length > 0);
  add('Critical Systems', p.recoveryObjectives.some((o) => o.critical));
  add('Non-Critical Systems', p.recoveryObjectives.some((o) => !o.critical));
  add('Data Breach Response', p.breach.steps.length > 0);
  add('HIPAA Compliance (if applicable)', p.breach.hipaa.length > 0);
  for (const r of p.resources) add(r.group, true);
  add('Incident Response Testing', p.practices.length > 0);
  add('Validation Checklist', p.validation.length > 0);
  add('Regular Reviews', p.practices.length > 0);
  add('Metrics to Track', p.trackedMetrics.length > 0);
  return names;
}

/**
 * For a bold-headed seed item: the renderings it must appear in (each one of the sets).
 * An empty list means the seed put it somewhere this matcher has no counterpart for: missing.
 */
function boldCounterparts(p: Playbook, item: SeedLine): Array<Set<string>> {
  const set = (values: string[]): Set<string> => new Set(values);
  const { h2, h3, h4 } = item;
  if (h2 === 'Incident Classification') {
    const severity = severityOfHeading(p, h3);
    return severity ? [set(severity.criteria.map((c) => headBody(c.title, c.description)))] : [];
  }
  if (h2 === 'Response Teams') {
    const team = h3 === 'Primary Response Team' ? 'primary' : h3 === 'Secondary Support' ? 'secondary' : undefined;
    const roles = p.roles.filter((r) => r.team === team);
    return team ? [set(roles.map((r) => headBody(r.title, r.note ? `${r.holderTitle} (${r.note})` : r.holderTitle)))] : [];
  }
  if (h2 === 'Incident Response Process') {
    const phase = phaseOf(p, h3);
    if (!phase) return [];
    const sets = [set(phase.checklist.filter((c) => norm(c.section) === norm(h4)).map((c) => headBody(c.title, c.description)))];
    if (/Incident Declaration/.test(h4)) {
      const byPolicy = new Map<string, string[]>();
      for (const s of p.severities) byPolicy.set(s.notification.description, [...(byPolicy.get(s.notification.description) ?? []), s.id]);
      sets.push(set([...byPolicy].map(([description, ids]) => headBody(ids.join('/'), description))));
    }
    return sets;
  }
  if (h2 === 'Automated Response Actions') {
    const severity = severityOfHeading(p, h3);
    return severity ? [set(severity.automatedActions.map((a) => headBody(a.title, a.description)))] : [];
  }
  if (h3 === 'Key Metrics to Monitor') {
    const groups = new Map<string, string[]>();
    for (const m of p.metrics) groups.set(m.group, [...(groups.get(m.group) ?? []), m.title]);
    return [set([...groups].map(([group, titles]) => headBody(group, titles.join(', '))))];
  }
  if (h3 === 'Alert Thresholds') {
    return [
      set(
        p.alertThresholds.map((t) =>
          headBody(
            t.severity,
            [...t.rules.map((r) => `${r.comparator}${r.value}${r.unit} ${r.metric.replace(/-/g, ' ')}`), ...t.conditions].join(', '),
          ),
        ),
      ),
    ];
  }
  if (h3 === 'Critical Systems' || h3 === 'Non-Critical Systems') {
    const critical = h3 === 'Critical Systems';
    return [
      set(
        p.recoveryObjectives
          .filter((o) => o.critical === critical)
          .map((o) => headBody(o.system, `RTO: ${hoursText(o.rtoMinutes)}, RPO: ${o.rpoMinutes === null ? 'N/A' : hoursText(o.rpoMinutes)}`)),
      ),
    ];
  }
  if (h3 === 'Data Breach Response') return [set(p.breach.steps.map((s) => headBody(s.title, s.description)))];
  if (h3.startsWith('HIPAA Compliance')) return [set(p.breach.hipaa.map((s) => headBody(s.title, s.description)))];
  if (h2 === 'Tools & Resources') {
    return [set(p.resources.filter((r) => r.group === h3).map((r) => headBody(r.title, r.description)))];
  }
  if (h3 === 'Incident Response Testing') return [set(p.practices.map((x) => headBody(x.title, x.description)))];
  if (h3 === 'Regular Reviews') return [set(p.practices.map((x) => headBody(x.cadence, x.description)))];
  if (h3 === 'Metrics to Track') return [set(p.trackedMetrics.map((m) => headBody(m.title, m.description)))];
  return [];
}

/** A validation checklist line and the item that must carry its title, clock and severities. */
function validationMatches(item: ValidationItem, text: string): boolean {
  if (norm(item.title) !== norm(text)) return false;
  const within = /within (\d+) (minute|hour|day)s?/i.exec(text);
  const perUnit = { minute: 1, hour: 60, day: 1440 } as const;
  const limitOk = within
    ? item.limit.kind === 'duration' && item.limit.minutes === Number(within[1]) * perUnit[within[2].toLowerCase() as keyof typeof perUnit]
    : /within RTO/i.test(text) && item.limit.kind === 'tightest-rto';
  const only = /\((P\d(?:\/P\d)*)\)/.exec(text);
  const severities = only ? only[1].split('/') : ['P0', 'P1', 'P2', 'P3'];
  return limitOk && item.severities.join('/') === severities.join('/');
}

const renderTemplate = (t: Playbook['communicationTemplates'][number]): string => {
  let text = (t.subject === undefined ? '' : `Subject: ${t.subject}\n\n`) + t.body;
  for (const ph of t.placeholders) text = text.split(`{{${ph.key}}}`).join(ph.original ?? `{{${ph.key}}}`);
  return text;
};

const blockNorm = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();

function hasCounterpart(p: Playbook, item: SeedLine): boolean {
  switch (item.kind) {
    case 'title':
      return norm(item.text) === norm(p.name);
    case 'overview':
      return norm(item.text) === norm(p.description);
    case 'heading':
      return headingCounterparts(p, item.h3).has(norm(item.text));
    case 'bold': {
      const sets = boldCounterparts(p, item);
      const key = headBody(item.head ?? '', item.body ?? '');
      return sets.length > 0 && sets.every((s) => s.has(key));
    }
    case 'check':
      return item.h3 === 'Validation Checklist' && p.validation.some((v) => validationMatches(v, item.text));
    case 'comment':
      return (phaseOf(p, item.h3)?.checklist ?? []).some((c) => norm(c.section) === norm(item.h4) && norm(c.title) === norm(item.text));
    case 'command':
      return (phaseOf(p, item.h3)?.commands ?? []).some((c) => norm(c.section) === norm(item.h4) && c.command === item.text);
    case 'template':
      return p.communicationTemplates.some((t) => norm(t.title) === norm(item.h3) && blockNorm(renderTemplate(t)) === blockNorm(item.text));
    case 'unrecognised':
      return false;
  }
}

const missingSeedLines = (p: Playbook, seed: SeedLine[]): string[] =>
  seed.filter((item) => !hasCounterpart(p, item)).map((item) => `line ${item.line}: ${item.raw}`);

// ---------------------------------------------------------------------------------------------

const seedText = readFileSync(SEED_PATH, 'utf8');
const seed = readSeed(seedText);
const copy = (): Playbook => structuredClone(DEFAULT_PLAYBOOK);
const seedLine = (raw: string): string => {
  const found = seed.find((s) => s.raw === raw);
  if (!found) throw new Error(`test setup: no seed line ${raw}`);
  return `line ${found.line}: ${found.raw}`;
};

describe('default playbook completeness against the seed procedure', () => {
  it('reads every kind of seed line', () => {
    const count = (kind: SeedKind): number => seed.filter((s) => s.kind === kind).length;
    expect(count('unrecognised')).toBe(0);
    expect(count('title')).toBe(1);
    expect(count('overview')).toBe(1);
    expect(count('template')).toBe(2);
    expect(count('check')).toBe(6);
    expect(count('comment')).toBe(7);
    expect(count('command')).toBe(5);
    expect(count('heading')).toBe(seedText.match(/^#{3,4} /gm)?.length);
    expect(count('bold')).toBe(seedText.match(/^(?:-|\d+\.) +\*\*/gm)?.length);
  });

  it('has a counterpart for every seed line', () => {
    expect(missingSeedLines(DEFAULT_PLAYBOOK, seed), 'seed lines without a counterpart in DEFAULT_PLAYBOOK').toEqual([]);
  });

  it('conforms to the schema and is unchanged by parsing', () => {
    expect(playbookSchema.parse(DEFAULT_PLAYBOOK)).toEqual(DEFAULT_PLAYBOOK);
  });

  const removals: Array<[what: string, remove: (p: Playbook) => void, seedRaw: string]> = [
    ['a P0 criterion', (p) => p.severities[0].criteria.splice(1, 1), '- **Data Breach**: Unauthorized access to user data'],
    ['a secondary role', (p) => p.roles.splice(p.roles.findIndex((r) => r.id === 'qa'), 1), '- **QA**: Quality Assurance Lead'],
    [
      'a temporary mitigation',
      (p) => p.phases[1].checklist.splice(p.phases[1].checklist.findIndex((c) => c.id === 'implement-rate-limiting'), 1),
      '- **Implement rate limiting** for affected endpoints',
    ],
    [
      'a commented runbook step',
      (p) => p.phases[0].checklist.splice(p.phases[0].checklist.findIndex((c) => c.id === 'check-error-logs'), 1),
      '# Check error logs',
    ],
    ['a runbook command', (p) => p.phases[2].commands.splice(1, 1), 'kubectl top pods'],
    ['a metric', (p) => p.metrics.splice(p.metrics.findIndex((m) => m.id === 'replication-lag'), 1), '- **Database**: Connection count, query performance, replication lag'],
    ['a threshold condition', (p) => p.alertThresholds[1].conditions.splice(0, 1), '- **P1**: >5% error rate, >10s response time, database connection issues'],
    ['an RTO line', (p) => p.recoveryObjectives.splice(p.recoveryObjectives.findIndex((o) => o.id === 'caching'), 1), '- **Caching**: RTO: 1 hour, RPO: N/A'],
    ['a P1 auto-response step', (p) => p.severities[1].automatedActions.splice(2, 1), '3. **Log Analysis**: Automated log pattern detection'],
    ['a HIPAA item', (p) => p.breach.hipaa.splice(2, 1), '- **Encryption**: Ensure data encryption at rest and in transit'],
    ['a validation item', (p) => p.validation.splice(4, 1), '- [ ] System recovered within RTO'],
    ['a tracked metric', (p) => p.trackedMetrics.splice(1, 1), '- **MTTA**: Mean Time to Acknowledge'],
    ['a resource', (p) => p.resources.splice(p.resources.findIndex((r) => r.id === 'vendor-contacts'), 1), '- **Vendor Contacts**: Third-party service contacts'],
    ['a review practice', (p) => p.practices.splice(p.practices.findIndex((x) => x.id === 'annual-audit'), 1), '- **Annually**: Full incident response program audit'],
  ];

  it.each(removals)('reports the seed line when %s is removed', (_what, remove, seedRaw) => {
    const p = copy();
    remove(p);
    expect(missingSeedLines(p, seed)).toEqual([seedLine(seedRaw)]);
  });

  it('reports a wrong phase window, a wrong root-cause severity set and an edited template', () => {
    const p = copy();
    p.phases[2].window.endMinutes = 300;
    p.validation[2].severities = ['P0', 'P1', 'P2', 'P3'];
    p.communicationTemplates[1].body = p.communicationTemplates[1].body.replace('as quickly as possible', 'soon');
    expect(missingSeedLines(p, seed)).toEqual([
      seedLine('### Phase 3: Investigation (1-4 hours)'),
      seedLine('``` block under "Customer Communication"'),
      seedLine('- [ ] Root cause identified within 1 hour (P0/P1)'),
    ]);
  });
});

describe('seed mapping details the wording alone does not pin', () => {
  const severity = (id: string) => DEFAULT_PLAYBOOK.severities.find((s) => s.id === id)!;

  it('notifies P0/P1 immediately, P2 in business hours and P3 the next business day', () => {
    expect(DEFAULT_PLAYBOOK.severities.map((s) => [s.id, s.notification.timing])).toEqual([
      ['P0', 'immediate'],
      ['P1', 'immediate'],
      ['P2', 'business-hours'],
      ['P3', 'next-business-day'],
    ]);
    expect(severity('P2').automatedActions).toEqual([]);
    expect(severity('P3').automatedActions).toEqual([]);
  });

  it('makes the Lead the one commander, under the deterministic role key', () => {
    expect(DEFAULT_PLAYBOOK.roles.filter((r) => r.commander).map((r) => r.id)).toEqual(['incident-commander']);
  });

  it('runs the validation clocks between the milestones DESIGN.md §4 names', () => {
    expect(DEFAULT_PLAYBOOK.validation.map((v) => [v.start, v.end, v.limit])).toEqual([
      ['impactStarted', 'detected', { kind: 'duration', minutes: 5 }],
      ['detected', 'teamNotified', { kind: 'duration', minutes: 10 }],
      ['detected', 'rootCauseIdentified', { kind: 'duration', minutes: 60 }],
      ['detected', 'firstCommunicationSent', { kind: 'duration', minutes: 30 }],
      ['impactStarted', 'mitigated', { kind: 'tightest-rto' }],
      ['resolved', 'postMortemDone', { kind: 'duration', minutes: 10080 }],
    ]);
  });

  it('takes the regulatory deadline from the breach step that states it', () => {
    const step = DEFAULT_PLAYBOOK.breach.steps.find((s) => /within \d+ hours/.test(s.description))!;
    const hours = Number(/within (\d+) hours/.exec(step.description)![1]);
    expect(DEFAULT_PLAYBOOK.breach.regulatoryDeadlineMinutes).toBe(hours * 60);
  });

  it('gives every checklist item an id unique across all phases', () => {
    const ids = DEFAULT_PLAYBOOK.phases.flatMap((ph) => ph.checklist.map((c) => c.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('marks its update cadence as its own, not the seed’s', () => {
    expect(DEFAULT_PLAYBOOK.updateCadence.source).toMatch(/seed gives no update cadence/);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_PLAYBOOK.phases[0].checklist[0])).toBe(true);
  });
});
