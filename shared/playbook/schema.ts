/**
 * The playbook schema: the incident procedure as typed, versioned data.
 *
 * Invariants:
 * - Every duration is whole minutes (`…Minutes`), measured from a milestone; nothing here is clock time.
 * - Ids are stable slugs: checklist progress, role assignments and validation results refer to them,
 *   and an incident pins the whole playbook it was declared with, so ids never need migrating.
 * - A custom playbook is accepted only if it parses here; the core keeps the previous one otherwise.
 */
import { z } from 'zod';

export const PLAYBOOK_FORMAT_VERSION = 1;

export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

/** The moments an incident's clocks are measured between (DESIGN.md §4). */
export const MILESTONES = [
  'impactStarted',
  'detected',
  'acknowledged',
  'teamNotified',
  'firstCommunicationSent',
  'rootCauseIdentified',
  'mitigated',
  'resolved',
  'postMortemDone',
] as const;
export const milestoneSchema = z.enum(MILESTONES);
export type Milestone = z.infer<typeof milestoneSchema>;

const slug = z
  .string()
  .min(1, 'required')
  .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, 'must be a lowercase slug (a-z, 0-9, "-", ".")');
const text = z.string().trim().min(1, 'required');
const minutes = z.number().int('must be whole minutes').nonnegative('must be 0 or more');
const positiveMinutes = z.number().int('must be whole minutes').positive('must be more than 0');
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #d32f2f');

export const criterionSchema = z.object({ title: text, description: text });

export const notificationPolicySchema = z.object({
  /** immediate: page now; business-hours: notify during business hours; next-business-day: log it. */
  timing: z.enum(['immediate', 'business-hours', 'next-business-day']),
  description: text,
});

export const responseActionSchema = z.object({ id: slug, title: text, description: text });

export const severityDefinitionSchema = z.object({
  id: severitySchema,
  label: text,
  colour,
  criteria: z.array(criterionSchema).min(1, 'needs at least one criterion'),
  notification: notificationPolicySchema,
  /** The steps taken on declaring at, or escalating to, this severity. */
  automatedActions: z.array(responseActionSchema),
});

export const metricSchema = z.object({
  id: slug,
  title: text,
  group: text,
  unit: z.string(),
});

export const thresholdRuleSchema = z.object({
  metric: slug,
  comparator: z.enum(['>', '>=', '<', '<=']),
  value: z.number().finite(),
  unit: z.string(),
});

export const alertThresholdSchema = z.object({
  severity: severitySchema,
  rules: z.array(thresholdRuleSchema),
  /** Conditions a person judges (no number to compare), e.g. "data breach detected". */
  conditions: z.array(text),
});

export const roleSchema = z.object({
  id: slug,
  title: text,
  /** Who usually holds it in the seed's organisation, e.g. "Engineering Manager". */
  holderTitle: text,
  team: z.enum(['primary', 'secondary']),
  /** Exactly one role commands the incident. */
  commander: z.boolean().default(false),
  note: z.string().optional(),
});

export const checklistItemSchema = z.object({
  id: slug,
  /** The numbered section it belongs to, e.g. "2.1 Isolate the Issue". */
  section: text,
  title: text,
  description: z.string().default(''),
});

export const runbookCommandSchema = z.object({ section: text, command: text });

export const phaseSchema = z.object({
  id: slug,
  title: text,
  /** Offsets from the detected milestone; a phase still current after windowEnd is overdue. */
  window: z
    .object({ startMinutes: minutes, endMinutes: positiveMinutes })
    .refine((w) => w.endMinutes > w.startMinutes, { message: 'endMinutes must be after startMinutes' }),
  checklist: z.array(checklistItemSchema),
  commands: z.array(runbookCommandSchema).default([]),
});

export const PLACEHOLDER_SOURCES = [
  'severity',
  'title',
  'detectedAt',
  'affected',
  'phase',
  'status',
  'nextUpdateAt',
  'summary',
  'manual',
] as const;

export const placeholderSchema = z.object({
  key: slug,
  label: text,
  /** Where the value comes from; "manual" is typed by the person sending. */
  source: z.enum(PLACEHOLDER_SOURCES),
  /** The seed's original bracketed text, e.g. "[P0/P1/P2/P3]". */
  original: z.string().optional(),
});

export const communicationTemplateSchema = z.object({
  id: slug,
  title: text,
  audience: z.enum(['internal', 'external']),
  subject: z.string().optional(),
  /** Body text with `{{key}}` for each placeholder. */
  body: text,
  placeholders: z.array(placeholderSchema),
});

export const recoveryObjectiveSchema = z.object({
  id: slug,
  system: text,
  critical: z.boolean(),
  rtoMinutes: positiveMinutes,
  /** null where the seed says N/A. */
  rpoMinutes: positiveMinutes.nullable(),
});

export const validationLimitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('duration'), minutes: positiveMinutes }),
  z.object({ kind: z.literal('tightest-rto') }),
]);

export const validationItemSchema = z.object({
  id: slug,
  title: text,
  start: milestoneSchema,
  end: milestoneSchema,
  limit: validationLimitSchema,
  severities: z.array(severitySchema).min(1, 'needs at least one severity'),
});

export const breachSchema = z.object({
  regulatoryDeadlineMinutes: positiveMinutes,
  steps: z.array(responseActionSchema),
  hipaa: z.array(responseActionSchema),
});

export const trackedMetricSchema = z.object({ id: slug, title: text, description: text });

export const resourceSchema = z.object({ id: slug, group: text, title: text, description: text });

export const practiceSchema = z.object({ id: slug, cadence: text, title: text, description: text });

export const playbookSchema = z
  .object({
    format: z.literal(PLAYBOOK_FORMAT_VERSION),
    id: slug,
    name: text,
    version: text,
    description: z.string().default(''),
    severities: z.array(severityDefinitionSchema).length(4, 'must define P0, P1, P2 and P3'),
    alertThresholds: z.array(alertThresholdSchema),
    metrics: z.array(metricSchema),
    roles: z.array(roleSchema).min(1, 'needs at least one role'),
    phases: z.array(phaseSchema).min(1, 'needs at least one phase'),
    communicationTemplates: z.array(communicationTemplateSchema),
    recoveryObjectives: z.array(recoveryObjectiveSchema),
    breach: breachSchema,
    validation: z.array(validationItemSchema),
    trackedMetrics: z.array(trackedMetricSchema),
    /** Minutes between status updates per severity; `source` says whose numbers they are. */
    updateCadence: z.object({
      source: text,
      minutes: z.object({ P0: positiveMinutes, P1: positiveMinutes, P2: positiveMinutes, P3: positiveMinutes }),
    }),
    resources: z.array(resourceSchema).default([]),
    practices: z.array(practiceSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const duplicate = (ids: string[]) => ids.findIndex((id, i) => ids.indexOf(id) !== i);
    const severityIds = p.severities.map((s) => s.id);
    for (const sev of SEVERITIES) {
      if (!severityIds.includes(sev)) {
        ctx.addIssue({ code: 'custom', path: ['severities'], message: `missing severity ${sev}` });
      }
    }
    const commanders = p.roles.filter((r) => r.commander).length;
    if (commanders !== 1) {
      ctx.addIssue({ code: 'custom', path: ['roles'], message: `exactly one role must be the commander (found ${commanders})` });
    }
    const groups: Array<[string, string[]]> = [
      ['roles', p.roles.map((r) => r.id)],
      ['phases', p.phases.map((x) => x.id)],
      ['metrics', p.metrics.map((x) => x.id)],
      ['communicationTemplates', p.communicationTemplates.map((x) => x.id)],
      ['recoveryObjectives', p.recoveryObjectives.map((x) => x.id)],
      ['validation', p.validation.map((x) => x.id)],
    ];
    for (const [path, ids] of groups) {
      const at = duplicate(ids);
      if (at >= 0) ctx.addIssue({ code: 'custom', path: [path, at, 'id'], message: `duplicate id "${ids[at]}"` });
    }
    p.phases.forEach((phase, pi) => {
      const at = duplicate(phase.checklist.map((c) => c.id));
      if (at >= 0) {
        ctx.addIssue({ code: 'custom', path: ['phases', pi, 'checklist', at, 'id'], message: `duplicate id "${phase.checklist[at].id}"` });
      }
    });
    const metricIds = new Set(p.metrics.map((m) => m.id));
    p.alertThresholds.forEach((t, ti) =>
      t.rules.forEach((r, ri) => {
        if (!metricIds.has(r.metric)) {
          ctx.addIssue({ code: 'custom', path: ['alertThresholds', ti, 'rules', ri, 'metric'], message: `unknown metric "${r.metric}"` });
        }
      }),
    );
    p.communicationTemplates.forEach((t, ti) => {
      const keys = new Set(t.placeholders.map((ph) => ph.key));
      for (const m of `${t.subject ?? ''}\n${t.body}`.matchAll(/\{\{([^}]+)\}\}/g)) {
        if (!keys.has(m[1])) {
          ctx.addIssue({ code: 'custom', path: ['communicationTemplates', ti, 'body'], message: `placeholder {{${m[1]}}} is not declared` });
        }
      }
    });
  });

export type Playbook = z.infer<typeof playbookSchema>;
export type PlaybookInput = z.input<typeof playbookSchema>;
export type SeverityDefinition = Playbook['severities'][number];
export type Role = Playbook['roles'][number];
export type Phase = Playbook['phases'][number];
export type ChecklistItem = Phase['checklist'][number];
export type CommunicationTemplate = Playbook['communicationTemplates'][number];
export type RecoveryObjective = Playbook['recoveryObjectives'][number];
export type ValidationItem = Playbook['validation'][number];
export type ValidationLimit = ValidationItem['limit'];
export type ThresholdRule = Playbook['alertThresholds'][number]['rules'][number];

/** The deterministic roster key of a role (DESIGN.md §4): concurrent assignments hit one register. */
export const roleKey = (roleId: string): string => `role:${roleId}`;
