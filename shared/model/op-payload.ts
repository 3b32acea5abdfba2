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

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a payload; `unknown` means a kind or schema newer than this version (kept, not applied). */
export function decodePayload(bytes: Uint8Array): { known: true; payload: OpPayload } | { known: false; kind: string } {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch {
    return { known: false, kind: '(unreadable)' };
  }
  const fast = entryPayloadFastPath(json);
  if (fast) return { known: true, payload: fast };
  const parsed = opPayloadSchema.safeParse(json);
  if (parsed.success) return { known: true, payload: parsed.data };
  const kind = typeof json === 'object' && json !== null && 'kind' in json ? String((json as { kind: unknown }).kind) : '(none)';
  return { known: false, kind };
}

/*
 * The fast path of payload validation: most ops of a catch-up are timeline entries, and zod costs
 * more than the rest of their decoding. It accepts only what is certainly valid (exactly the keys
 * of `entryPayloadSchema`, each with a value that schema takes; a narrower uuid pattern, lowercase,
 * than zod's) and builds what zod would return, key for key in the schema's order. Anything else,
 * invalid or merely unusual, returns undefined and goes to zod, so accept/refuse and the parsed
 * value are zod's (tests/property/op-payload-fast-path.property.test.ts).
 */
const FAST_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ENTRY_KIND_SET: ReadonlySet<unknown> = new Set(ENTRY_KINDS);
/** schema, at, by, kind, entry */
const ENTRY_PAYLOAD_KEYS = 5;
/** id, kind, text, occurredAt */
const ENTRY_REQUIRED_KEYS = 4;
const ENTRY_OPTIONAL_KEYS = ['template', 'alert', 'supersedes', 'retracts', 'redacts'] as const;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const isUuid = (v: unknown): v is string => typeof v === 'string' && FAST_UUID.test(v);

/** An entry.add payload as zod would parse it, when it is certainly valid; otherwise undefined (ask zod). */
export function entryPayloadFastPath(json: unknown): EntryPayload | undefined {
  if (!isPlainObject(json) || json.kind !== 'entry.add' || json.schema !== PAYLOAD_SCHEMA_VERSION) return undefined;
  if (!isCount(json.at) || !isText(json.by, 200) || Object.keys(json).length !== ENTRY_PAYLOAD_KEYS) return undefined;
  const e = json.entry;
  if (!isPlainObject(e) || !isUuid(e.id) || !ENTRY_KIND_SET.has(e.kind) || !isText(e.text, 20_000) || !isCount(e.occurredAt)) return undefined;
  const entry: EntryPayload['entry'] = { id: e.id, kind: e.kind as EntryKind, text: e.text, occurredAt: e.occurredAt };
  let keys = ENTRY_REQUIRED_KEYS;
  for (const key of ENTRY_OPTIONAL_KEYS) {
    if (!Object.hasOwn(e, key)) continue;
    const value = e[key];
    const valid = key === 'template' ? isText(value, 100) : key === 'alert' ? isText(value, 200) : isUuid(value);
    if (!valid) return undefined;
    entry[key] = value as string;
    keys++;
  }
  if (Object.keys(e).length !== keys) return undefined;
  return { schema: PAYLOAD_SCHEMA_VERSION, at: json.at, by: json.by, kind: 'entry.add', entry };
}

export const opId = (deviceId: string, seq: number): string => `${deviceId}:${seq}`;
