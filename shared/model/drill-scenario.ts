/**
 * A drill scenario file (the seed's quarterly drills): the incident to declare as a drill, and timed
 * timeline entries and metric samples, each at an offset from the drill's start, replayed on the
 * incident's clock (the core's `now`).
 *
 * Rules:
 * - Validated whole before anything is declared; a bad file is refused with the path of each error
 *   ("entries[2].atSeconds: must be 0 or more").
 * - An entry or sample at offset s is written once the clock reaches start + s, with exactly that
 *   time as its occurred-at (or sample time), so the timeline reads as the scenario says however
 *   late the replay runs.
 * - Offsets are whole seconds, at most 7 days: a drill is not a long-running incident.
 */
import { z } from 'zod';
import { severitySchema } from '../playbook/schema';
import { formatIssuePath } from '../playbook/parse-playbook';

export const MAX_DRILL_OFFSET_SECONDS = 7 * 24 * 60 * 60;
export const DRILL_ENTRY_KINDS = ['note', 'action', 'decision', 'status-update', 'communication'] as const;
export const DRILL_SAMPLE_SOURCE = 'drill';

const offset = z
  .number('must be a number of seconds')
  .int('must be whole seconds')
  .nonnegative('must be 0 or more')
  .max(MAX_DRILL_OFFSET_SECONDS, `must be at most ${MAX_DRILL_OFFSET_SECONDS} (7 days)`);

export const drillScenarioSchema = z.strictObject({
  name: z.string().trim().min(1, 'required').max(200),
  title: z.string().trim().min(1, 'required').max(200),
  severity: severitySchema,
  category: z.string().max(200).default(''),
  affectedSystems: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  summary: z.string().max(20_000).default(''),
  entries: z
    .array(z.strictObject({ atSeconds: offset, kind: z.enum(DRILL_ENTRY_KINDS).default('note'), text: z.string().trim().min(1, 'required').max(20_000) }))
    .max(10_000)
    .default([]),
  samples: z.array(z.strictObject({ atSeconds: offset, metric: z.string().min(1, 'required').max(100), value: z.number().finite('must be a number') })).max(100_000).default([]),
});
export type DrillScenario = z.output<typeof drillScenarioSchema>;

export type ScenarioParse = { ok: true; scenario: DrillScenario } | { ok: false; errors: string[] };

export function parseDrillScenario(text: string, knownMetrics: readonly string[]): ScenarioParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`(root): not JSON: ${(error as Error).message}`] };
  }
  const parsed = drillScenarioSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => {
        const missing = (i.code === 'invalid_type' || i.code === 'invalid_value') && i.input === undefined;
        return `${formatIssuePath(i.path)}: ${missing ? 'required' : i.message}`;
      }),
    };
  }
  const unknown = parsed.data.samples.flatMap((s, i) => (knownMetrics.includes(s.metric) ? [] : [`samples[${i}].metric: no metric "${s.metric}" in the playbook`]));
  if (unknown.length) return { ok: false, errors: unknown };
  return { ok: true, scenario: parsed.data };
}

/** One thing the replay writes: an entry or a sample, at start + atSeconds. */
export type DrillEvent =
  | { type: 'entry'; index: number; at: number; kind: DrillScenario['entries'][number]['kind']; text: string }
  | { type: 'sample'; index: number; at: number; metric: string; value: number };

/** Every event of the scenario in time order (entries before samples at the same second, then file order). */
export function drillEvents(scenario: DrillScenario, startedAt: number): DrillEvent[] {
  const events: DrillEvent[] = [
    ...scenario.entries.map((e, index): DrillEvent => ({ type: 'entry', index, at: startedAt + e.atSeconds * 1000, kind: e.kind, text: e.text })),
    ...scenario.samples.map((s, index): DrillEvent => ({ type: 'sample', index, at: startedAt + s.atSeconds * 1000, metric: s.metric, value: s.value })),
  ];
  return events.sort((a, b) => a.at - b.at || (a.type === b.type ? a.index - b.index : a.type === 'entry' ? -1 : 1));
}
