/**
 * Drills from a scenario file: declare the drill, replay its timed entries and samples on the
 * core's clock, and end it with a report of the validation items met.
 *
 * Invariants:
 * - The replay state is local to the device that started the drill (a setting per incident, never
 *   an op): only that device replays, so every entry is written once. What it writes are ordinary
 *   ops, so every replica sees the same timeline.
 * - `replayed` counts the scenario's events (in drillEvents order) already written; it advances in
 *   the same transaction as their ops, so a crash neither loses nor repeats one.
 */
import { v7 as uuidv7 } from 'uuid';
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { drillReport, type DrillReport } from '../../../shared/model/drill-report';
import { DRILL_SAMPLE_SOURCE, drillEvents, drillScenarioSchema, parseDrillScenario, type DrillScenario } from '../../../shared/model/drill-scenario';
import type { CoreContext } from '../core-context';
import { declarationOf, incidentState } from '../queries/incidents';
import { prepared, type Db } from '../store/database';
import { fieldWrite } from './field-writes';
import { declareIncident } from './incidents';
import { invalid } from './invalid';
import { activePlaybook } from './playbook';

const RUN_PREFIX = 'drill.run.';

interface DrillRun {
  fileName: string;
  scenario: DrillScenario;
  startedAt: number;
  replayed: number;
  endedAt: number | null;
}

function readRun(db: Db, incidentId: string): DrillRun | null {
  const row = prepared(db, 'SELECT value FROM settings WHERE key = ?').get(RUN_PREFIX + incidentId) as { value: string } | undefined;
  if (!row) return null;
  const stored = JSON.parse(row.value) as DrillRun;
  return { ...stored, scenario: drillScenarioSchema.parse(stored.scenario) };
}

function writeRun(db: Db, incidentId: string, run: DrillRun): void {
  prepared(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(RUN_PREFIX + incidentId, JSON.stringify(run));
}

export function startDrill(ctx: CoreContext, a: ApiParsedArgs<'drills.start'>): { incidentId: string } {
  const playbook = activePlaybook(ctx.db).playbook;
  const parsed = parseDrillScenario(a.text, playbook.metrics.map((m) => m.id));
  if (!parsed.ok) {
    throw new SitrepError('invalid-argument', `${a.fileName} is not a valid drill scenario: ${parsed.errors.join('; ')}`, parsed.errors);
  }
  const { scenario } = parsed;
  const { incidentId } = declareIncident(ctx, {
    title: scenario.title,
    severity: scenario.severity,
    category: scenario.category,
    affectedSystems: scenario.affectedSystems,
    impactStartedAt: null,
    summary: scenario.summary,
    drill: true,
  });
  writeRun(ctx.db, incidentId, { fileName: a.fileName, scenario, startedAt: ctx.now(), replayed: 0, endedAt: null });
  replayDrill(ctx, incidentId);
  return { incidentId };
}

/** Writes the events of one running drill whose time has come; true when it wrote any. */
function replayDrill(ctx: CoreContext, incidentId: string): boolean {
  const run = readRun(ctx.db, incidentId);
  if (!run || run.endedAt !== null) return false;
  const events = drillEvents(run.scenario, run.startedAt);
  const now = ctx.now();
  let next = run.replayed;
  while (next < events.length && events[next].at <= now) {
    const event = events[next];
    if (event.type === 'entry') {
      ctx.writeOp(incidentId, { kind: 'entry.add', entry: { id: uuidv7({ msecs: now }), kind: event.kind, text: event.text, occurredAt: event.at } });
      next++;
    } else {
      // Samples due together travel in one op, as a poller batches them.
      const batch = [];
      while (next < events.length && events[next].at <= now && events[next].type === 'sample') {
        const sample = events[next] as Extract<(typeof events)[number], { type: 'sample' }>;
        batch.push({ metric: sample.metric, t: sample.at, value: sample.value });
        next++;
      }
      ctx.writeOp(incidentId, { kind: 'samples.add', source: DRILL_SAMPLE_SOURCE, samples: batch });
    }
  }
  if (next === run.replayed) return false;
  writeRun(ctx.db, incidentId, { ...run, replayed: next });
  return true;
}

/** Whether a drill started on this device has events still to replay (the replay timer runs only then). */
export function drillsToReplay(db: Db): boolean {
  const keys = prepared(db, "SELECT key FROM settings WHERE key LIKE 'drill.run.%'").all() as { key: string }[];
  return keys.some(({ key }) => {
    const run = readRun(db, key.slice(RUN_PREFIX.length));
    return run !== null && run.endedAt === null && run.replayed < drillEvents(run.scenario, run.startedAt).length;
  });
}

/** Replays every running drill on this device up to the core's clock; answers the incidents written to. */
export function replayDueDrills(ctx: CoreContext): string[] {
  const keys = prepared(ctx.db, "SELECT key FROM settings WHERE key LIKE 'drill.run.%'").all() as { key: string }[];
  return keys.map((k) => k.key.slice(RUN_PREFIX.length)).filter((incidentId) => ctx.incidentKeys(incidentId)?.access === 'write' && replayDrill(ctx, incidentId));
}

function requireDrill(ctx: CoreContext, incidentId: string): void {
  if (!declarationOf(ctx.db, incidentId).drill) throw invalid('incidentId', 'this incident is not a drill');
}

export function reportDrill(ctx: CoreContext, a: ApiParsedArgs<'drills.report'>): DrillReport {
  requireDrill(ctx, a.incidentId);
  const state = incidentState(ctx.db, a.incidentId);
  const run = readRun(ctx.db, a.incidentId);
  const total = run ? run.scenario.entries.length + run.scenario.samples.length : 0;
  return drillReport(
    state,
    { scenario: run?.scenario.name ?? '', startedAt: run?.startedAt ?? state.declaredAt, endedAt: run?.endedAt ?? null, replayed: run?.replayed ?? 0, total },
    ctx.now(),
  );
}

/** Ends the drill: the replay stops, the incident is resolved if it was not, and the report is final. */
export function endDrill(ctx: CoreContext, a: ApiParsedArgs<'drills.end'>): DrillReport {
  requireDrill(ctx, a.incidentId);
  const run = readRun(ctx.db, a.incidentId);
  if (run?.endedAt != null) throw invalid('incidentId', 'the drill has already ended');
  const state = incidentState(ctx.db, a.incidentId);
  if (state.status === 'active' || state.status === 'mitigated') {
    ctx.writeOp(a.incidentId, {
      kind: 'fields.set',
      writes: [fieldWrite(ctx.db, a.incidentId, 'incident', a.incidentId, 'status', 'resolved')],
      reason: 'drill ended',
    });
  }
  const scenario = run?.scenario ?? drillScenarioSchema.parse({ name: 'Drill', title: state.title, severity: state.severity });
  writeRun(ctx.db, a.incidentId, { fileName: run?.fileName ?? '', scenario, startedAt: run?.startedAt ?? state.declaredAt, replayed: run?.replayed ?? 0, endedAt: ctx.now() });
  return reportDrill(ctx, a);
}
