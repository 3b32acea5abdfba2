/**
 * A metric source: where a playbook metric's live figures come from (DESIGN.md §4 "Metric sources").
 *
 * Invariants:
 * - The configuration is part of the incident: one replicated field (`source/<id>.config`), merged
 *   like every field, so every replica names the same poller and applies the same scale and sustain.
 * - Exactly one device polls a source (`pollerDevice`); whether it polls right now is that device's
 *   local choice, and credentials stay in its local store: nothing here may hold a secret.
 * - A value read from a source is multiplied by `scale` before it is stored, so samples are in the
 *   playbook metric's unit (a Prometheus ratio 0.06 with scale 100 is 6 %).
 * - Intervals below MIN_POLL_INTERVAL_MS are refused.
 */
import { z } from 'zod';
import { severitySchema } from '../playbook/schema';

export const SOURCE_KINDS = ['http-health', 'prometheus-scrape', 'prometheus-query', 'csv'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export const POLLED_KINDS: ReadonlySet<SourceKind> = new Set(['http-health', 'prometheus-scrape', 'prometheus-query']);

export const MIN_POLL_INTERVAL_MS = 1_000;
export const DEFAULT_POLL_INTERVAL_MS = 10_000;
const MAX_POLL_INTERVAL_MS = 24 * 60 * 60_000;
const MAX_SUSTAIN_MS = 24 * 60 * 60_000;
const ADDRESS_MAX = 2_000;
const SELECTOR_MAX = 2_000;
const NAME_MAX = 200;
/** An outage of a source suggests this unless its configuration says otherwise. */
export const DEFAULT_DOWN_SEVERITY = 'P2';

const httpAddress = z
  .string()
  .trim()
  .max(ADDRESS_MAX)
  .refine((a) => /^https?:\/\/[^\s/]+/i.test(a), 'must be an http:// or https:// address');

const sourceConfigShape = {
  name: z.string().trim().min(1, 'required').max(NAME_MAX, `at most ${NAME_MAX} characters`),
  kind: z.enum(SOURCE_KINDS),
  /** The URL polled; empty for a CSV source (its samples come in by import). */
  address: z.string().trim().max(ADDRESS_MAX),
  intervalMs: z
    .number()
    .int('must be whole milliseconds')
    .min(MIN_POLL_INTERVAL_MS, `must be at least ${MIN_POLL_INTERVAL_MS / 1_000} s`)
    .max(MAX_POLL_INTERVAL_MS, 'must be at most 24 h'),
  /**
   * Which value: a JSON path into a health answer (`checks.database.status`), a metric name with
   * optional labels for a scrape (`http_requests_errors_ratio{job="api"}`), a PromQL expression for
   * a query. Empty for a health check means its response time.
   */
  selector: z.string().trim().max(SELECTOR_MAX),
  /** The playbook metric its values feed. */
  metric: z.string().min(1, 'required').max(100),
  /** Multiplies every value read, into the metric's unit. */
  scale: z
    .number()
    .finite()
    .refine((n) => n !== 0, 'must not be 0'),
  /** How long a threshold crossing (or an outage) must hold before it alerts. */
  sustainMs: z.number().int('must be whole milliseconds').min(0).max(MAX_SUSTAIN_MS, 'must be at most 24 h'),
  /** The one device that polls it. */
  pollerDevice: z.string().regex(/^[0-9a-f]{32}$/, 'must be a device id'),
  /** The severity an outage of this source suggests. */
  downSeverity: severitySchema,
};

function checkKindNeeds(c: { kind: SourceKind; address: string; selector: string }, ctx: z.RefinementCtx): void {
  if (POLLED_KINDS.has(c.kind)) {
    const address = httpAddress.safeParse(c.address);
    if (!address.success) ctx.addIssue({ code: 'custom', path: ['address'], message: address.error.issues[0].message });
  }
  if (c.kind === 'prometheus-query' && c.selector === '') ctx.addIssue({ code: 'custom', path: ['selector'], message: 'a PromQL expression is required' });
  if (c.kind === 'prometheus-scrape' && c.selector === '') ctx.addIssue({ code: 'custom', path: ['selector'], message: 'a metric name is required' });
}

/** As replicated (every field present). */
export const sourceConfigSchema = z.object(sourceConfigShape).superRefine(checkKindNeeds);

/** As a person gives it (sources.save): defaults filled in; the poller defaults to the saving device. */
export const sourceConfigInputSchema = z
  .strictObject({
    ...sourceConfigShape,
    address: sourceConfigShape.address.default(''),
    intervalMs: sourceConfigShape.intervalMs.default(DEFAULT_POLL_INTERVAL_MS),
    selector: sourceConfigShape.selector.default(''),
    scale: sourceConfigShape.scale.default(1),
    sustainMs: sourceConfigShape.sustainMs.default(0),
    pollerDevice: sourceConfigShape.pollerDevice.optional(),
    downSeverity: sourceConfigShape.downSeverity.default(DEFAULT_DOWN_SEVERITY),
  })
  .superRefine(checkKindNeeds);

export type SourceConfig = z.infer<typeof sourceConfigSchema>;

/** The source id manual samples carry (no configuration: sustain 0, never down). */
export const MANUAL_SOURCE = 'manual';
/** The source id of CSV imports made without a configured CSV source. */
export const CSV_SOURCE = 'csv';

/** What a poll found: samples, or that the source is down and why. */
export type PollOutcome = { up: true; values: number[] } | { up: false; reason: string };

/** One poll, as the op records it. */
export interface PollRecord {
  t: number;
  up: boolean;
  reason?: string;
}
