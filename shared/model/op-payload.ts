/**
 * The plaintext inside an op's encrypted payload (JSON, UTF-8), one kind per user command.
 *
 * Invariants:
 * - `schema` is the payload version; a kind or schema this version does not know is stored,
 *   forwarded and counted, never dropped, and applied after an upgrade by `sitrep rebuild`.
 * - `at` is the author's device clock when the command ran (the op's header records its measured
 *   offset to the relay, so an audit can rebuild true times, DESIGN.md §5 "Clocks"): it is
 *   the wall-clock fact; ordering uses the op's HLC.
 * - `by` is the author's display name at the time, so exports need nothing outside the op log.
 * - Field writes carry `pred`, the op ids ("device:seq") of the writes their author saw as the
 *   field's current value (DESIGN.md §4).
 */
import { z } from 'zod';
import { playbookSchema, severitySchema } from '../playbook/schema';
import { ENTITY_TYPES } from './fields';

export const PAYLOAD_SCHEMA_VERSION = 1;
/** A failed poll's reason, as long as a person reads. */
export const POLL_REASON_MAX = 500;

export const ENTRY_KINDS = [
  'note',
  'action',
  'decision',
  'status-update',
  'communication',
  'metric-alert',
  'retraction',
  'redaction',
] as const;
export const entryKindSchema = z.enum(ENTRY_KINDS);
export type EntryKind = z.infer<typeof entryKindSchema>;

export const opIdSchema = z.string().regex(/^[0-9a-f]{32}:[1-9][0-9]*$/, 'must be an op id "device:seq"');

const common = {
  schema: z.literal(PAYLOAD_SCHEMA_VERSION),
  at: z.number().int().nonnegative(),
  by: z.string().max(200),
};

export const declarePayloadSchema = z.object({
  ...common,
  kind: z.literal('incident.declare'),
  title: z.string().min(1).max(200),
  severity: severitySchema,
  category: z.string().max(200),
  affectedSystems: z.array(z.string().min(1).max(200)).max(100),
  summary: z.string().max(20_000),
  impactStartedAt: z.number().int().nonnegative().nullable(),
  detectedAt: z.number().int().nonnegative(),
  drill: z.boolean(),
  playbook: playbookSchema,
});

export const fieldWriteSchema = z.object({
  entity: z.object({ type: z.enum(ENTITY_TYPES), id: z.string().min(1).max(100) }),
  field: z.string().min(1).max(100),
  value: z.unknown(),
  pred: z.array(opIdSchema).max(64),
});

export const fieldsPayloadSchema = z.object({
  ...common,
  kind: z.literal('fields.set'),
  writes: z.array(fieldWriteSchema).min(1).max(64),
  reason: z.string().max(1000).optional(),
});

export const entryPayloadSchema = z.object({
  ...common,
  kind: z.literal('entry.add'),
  entry: z.object({
    id: z.string().uuid(),
    kind: entryKindSchema,
    text: z.string().max(20_000),
    occurredAt: z.number().int().nonnegative(),
    /** The communication template this entry sent, for communication entries. */
    template: z.string().max(100).optional(),
    /** The metric alert a commander decided on, for metric-alert entries (so it is not raised again). */
    alert: z.string().max(200).optional(),
    supersedes: z.string().uuid().optional(),
    retracts: z.string().uuid().optional(),
    redacts: z.string().uuid().optional(),
  }),
});

export const samplesPayloadSchema = z.object({
  ...common,
  kind: z.literal('samples.add'),
  source: z.string().min(1).max(100),
  /** Empty only when `polls` says why there is nothing (a source that was down the whole batch). */
  samples: z
    .array(z.object({ metric: z.string().min(1).max(100), t: z.number().int().nonnegative(), value: z.number().finite() }))
    .max(10_000),
  /**
   * A poller's polls in the batch, each up or down with its reason (added after schema 1's first
   * release: optional, so a payload without it, manual or CSV samples, stays valid).
   */
  polls: z
    .array(z.object({ t: z.number().int().nonnegative(), up: z.boolean(), reason: z.string().max(POLL_REASON_MAX).optional() }))
    .max(10_000)
    .optional(),
});

export const opPayloadSchema = z.discriminatedUnion('kind', [
  declarePayloadSchema,
  fieldsPayloadSchema,
  entryPayloadSchema,
  samplesPayloadSchema,
]);

export type DeclarePayload = z.infer<typeof declarePayloadSchema>;
export type FieldWrite = z.infer<typeof fieldWriteSchema>;
export type FieldsPayload = z.infer<typeof fieldsPayloadSchema>;
export type EntryPayload = z.infer<typeof entryPayloadSchema>;
export type SamplesPayload = z.infer<typeof samplesPayloadSchema>;
export type OpPayload = z.infer<typeof opPayloadSchema>;

/** The genesis op's payload: only what proves the content key (readers check a pasted link with it). */
export const GENESIS_PAYLOAD = 'sitrep/genesis';

export const encodePayload = (payload: OpPayload): Uint8Array => new TextEncoder().encode(JSON.stringify(payload));

/** Decodes a payload; `unknown` means a kind or schema newer than this version (kept, not applied). */
export function decodePayload(bytes: Uint8Array): { known: true; payload: OpPayload } | { known: false; kind: string } {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return { known: false, kind: '(unreadable)' };
  }
  const parsed = opPayloadSchema.safeParse(json);
  if (parsed.success) return { known: true, payload: parsed.data };
  const kind = typeof json === 'object' && json !== null && 'kind' in json ? String((json as { kind: unknown }).kind) : '(none)';
  return { known: false, kind };
}

export const opId = (deviceId: string, seq: number): string => `${deviceId}:${seq}`;
