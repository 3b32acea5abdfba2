/**
 * Every replicated field: which entity it belongs to and what values it takes.
 *
 * Invariant: a field write whose value does not parse here is ignored by the fold on every replica
 * alike (the core refuses to write one; a foreign or newer writer may still send one), so state stays
 * a pure function of the op set.
 */
import { z } from 'zod';
import { MILESTONES, severitySchema } from '../playbook/schema';
import { INCIDENT_STATUSES } from './incident';
import { sourceConfigSchema } from './metric-source';
import { STEP_STATES } from './response-steps';

export const ENTITY_TYPES = ['incident', 'person', 'role', 'checklist', 'task', 'entry', 'source', 'step'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const TITLE_MAX = 200;
export const TEXT_MAX = 20_000;

const shortText = z.string().trim().min(1, 'required').max(TITLE_MAX, `at most ${TITLE_MAX} characters`);
const longText = z.string().max(TEXT_MAX, `at most ${TEXT_MAX} characters`);
const time = z.number().int().nonnegative();
const id = z.string().min(1).max(100);

export const milestoneValueSchema = z.object({ at: time, reason: z.string().max(TITLE_MAX * 5) }).nullable();
export const breachSchema = z.object({ flagged: z.boolean(), awareAt: time.nullable() });

/** A procedure step's progress (shared/model/response-steps): a skip always says why. */
export const STEP_NOTE_MAX = 1000;
export const stepProgressSchema = z
  .object({ state: z.enum(STEP_STATES), note: z.string().max(STEP_NOTE_MAX) })
  .refine((p) => p.state !== 'skipped' || p.note.trim().length > 0, { message: 'a skipped step needs a reason', path: ['note'] });
export type StepProgress = z.infer<typeof stepProgressSchema>;

export const CHECKLIST_STATUSES = ['open', 'done'] as const;
export const TASK_STATES = ['open', 'done', 'cancelled'] as const;
export const TASK_TYPES = ['task', 'action-item'] as const;

const incidentFields = {
  title: shortText,
  severity: severitySchema,
  category: z.string().max(TITLE_MAX),
  status: z.enum(INCIDENT_STATUSES),
  phase: id,
  affectedSystems: z.array(z.string().trim().min(1).max(TITLE_MAX)).max(100),
  summary: longText,
  rootCause: longText,
  'impact.users': longText,
  'impact.data': longText,
  'impact.business': longText,
  'impact.compliance': longText,
  breach: breachSchema,
  postMortemFinal: z.boolean(),
  ...Object.fromEntries(MILESTONES.map((m) => [`milestone.${m}`, milestoneValueSchema])),
} as Record<string, z.ZodType>;

export const FIELD_SCHEMAS: Record<EntityType, Record<string, z.ZodType>> = {
  incident: incidentFields,
  person: {
    name: shortText,
    contact: z.string().max(TITLE_MAX),
    deviceIds: z.array(z.string().regex(/^[0-9a-f]{32}$/, 'must be a device id')).max(20),
    removed: z.boolean(),
  },
  role: { holder: id.nullable() },
  checklist: { status: z.enum(CHECKLIST_STATUSES), assignee: id.nullable(), note: longText },
  task: {
    title: shortText,
    owner: id.nullable(),
    dueAt: time.nullable(),
    state: z.enum(TASK_STATES),
    type: z.enum(TASK_TYPES),
  },
  entry: { starred: z.boolean() },
  /** `removed`: taken off the incident (its samples stay in the history); a separate field so no concurrent edit brings it back. */
  source: { config: sourceConfigSchema, removed: z.boolean() },
  step: { progress: stepProgressSchema },
};

/** Parses a field value; undefined when the entity has no such field or the value is malformed. */
export function parseFieldValue(entityType: EntityType, field: string, value: unknown): { ok: true; value: unknown } | { ok: false } {
  const schema = FIELD_SCHEMAS[entityType]?.[field];
  if (!schema) return { ok: false };
  const parsed = schema.safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}
