/**
 * The core's front door: `createCore({ dataDir, now, keyProtector, sync })`. It starts the sync
 * manager (electron/core/sync), which connects every incident shared through a relay.
 *
 * Invariants:
 * - It holds the data folder's writer lock for its whole life (one writer per folder).
 * - Every call's arguments are validated here with the api contract's zod schema, whoever calls;
 *   an invalid call gets 'invalid-argument' naming every bad field and writes nothing.
 * - This is the one transaction boundary: each command runs in one synchronous SQLite transaction
 *   (next seq, HLC, payload, encrypt, sign, insert, materialise) and its result is read inside it.
 *   Events are pushed only after the commit. A relay page is ingested the same way: one
 *   transaction for all its ops and the sync client's cursor, all or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { apiArgs, READ_METHODS, type ApiArgs, type ApiEvent, type ApiMethod, type ApiParsedArgs, type ApiResult } from '../../shared/api';
import { SitrepError } from '../../shared/errors';
import { renderCommunication } from '../../shared/model/render-communication';
import { formatIssuePath } from '../../shared/playbook/parse-playbook';
import { nodeCrypto } from '../crypto';
import { addSample } from './commands/samples';
import { assignItem, noteItem, tickItem, untickItem } from './commands/checklist';
import { advancePhase, closeIncident, declareIncident, markPostMortemFinal, setIncidentField, setMilestone } from './commands/incidents';
import { flagBreach } from './commands/breach';
import { drillsToReplay, endDrill, replayDueDrills, reportDrill, startDrill } from './commands/drills';
import { exportDirectory, importDirectory, listDirectory, removeDirectoryEntry, saveDirectoryEntry } from './commands/directory';
import { activePlaybook, loadPlaybook, resetPlaybook } from './commands/playbook';
import { addPerson, assignRole, handOverCommand, updatePerson } from './commands/roster';
import { addTask, updateTask } from './commands/tasks';
import { markStepDone, reopenStep, skipStep } from './commands/steps';
import {
  addTimelineEntry,
  amendTimelineEntry,
  decideAlert,
  markCommunicationSent,
  redactTimelineEntry,
  retractTimelineEntry,
  starTimelineEntry,
} from './commands/timeline';
import { createCoreContext, type CoreContext } from './core-context';
import { createSearchIndexer } from './search-indexer';
import { exportEvidence, importEvidence } from './evidence';
import { openKeyStore, plainFileProtector, type KeyProtector } from './key-store';
import { ingestOp, ingestPage, type IngestOptions, type StoredOp } from './op-log';
import { incidentAlerts } from './queries/alerts';
import { metricSeries } from './queries/metric-series';
import { checklistView } from './queries/checklist';
import { exportIncidentText } from './queries/export-incident';
import { declarationOf, incidentState, incidentView, listIncidents } from './queries/incidents';
import { rosterView } from './queries/roster';
import { listSamples } from './queries/samples';
import { listTasks, taskView } from './queries/tasks';
import { listSteps } from './queries/steps';
import { listTimeline } from './queries/timeline';
import { openDatabase, prepared, DATABASE_FILE, type Db } from './store/database';
import { corruptStoreError } from './store/corrupt-store';
import { DEFAULT_BACKUP_EVERY_MS, DEFAULT_BACKUPS_KEPT } from './store/backup';
import { scheduleBackups, type BackupSchedule } from './backup-schedule';
import { reviewOf } from './queries/review';
import { rebuildStore, type RebuildReport } from './store/rebuild';
import { ASYNC_SYNC_METHODS, createSyncManager, DEFAULT_SYNC_TIMINGS, SYNC_METHODS, type AsyncSyncMethod, type SyncMethod } from './sync/sync-manager';
import type { SyncTimings } from './sync/sync-client';
import type { OpenRelaySocket } from './sync/relay-socket';
import { acquireWriterLock } from './writer-lock';
import { openCredentialStore } from './metrics/credential-store';
import { createMetricPollers, DEFAULT_BATCH_MS, METRICS_METHODS, type MetricPollerOptions, type MetricsMethod } from './metrics/metric-pollers';
import { importCsvSamples } from './commands/csv-import';

export { DATABASE_FILE };
/** How often a running drill's scenario is checked against the clock. */
export const DRILL_REPLAY_TICK_MS = 250;

export interface CoreOptions {
  dataDir: string;
  /** The device clock, UTC ms; tests pass a fake one. */
  now?: () => number;
  /** Seals the key store; Electron passes one backed by safeStorage. */
  keyProtector?: KeyProtector;
  /** Relay sync timings (tests shorten them); false for one-shot tools, which never connect. */
  sync?: false | Partial<SyncTimings>;
  /** How sync dials relays: a `ws` WebSocket by default; tests pass a simulated network. */
  relaySocket?: OpenRelaySocket;
  /** Scheduled backups (store/backup.ts): every 15 min by default, keeping 24; false or everyMs null: on demand only. */
  backups?: false | { everyMs?: number | null; keep?: number };
  /** Prints an HTML export to PDF (Chromium in browser mode); without it a PDF export is refused. */
  printPdf?: PrintPdf;
  /** Metric polling (tests shorten the batch); false, or `sync: false`, and nothing polls. */
  metrics?: false | Partial<Pick<MetricPollerOptions, 'batchMs'>>;
}

/** Prints a self-contained HTML page to PDF bytes. */
export type PrintPdf = (html: string) => Promise<Uint8Array>;

export interface Core {
  readonly dataDir: string;
  readonly deviceId: string;
  invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  /**
   * The same call, synchronously: for the CLI and for tests that need no event loop turn. It does
   * not wait for a restarted device's own ops (invoke does), and refuses relay.host and
   * relay.stopHosting, which start or stop a server.
   */
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): ApiResult<M>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** Internal context, for the sync client, exporters and tests of the store. */
  readonly context: CoreContext;
  /**
   * Takes in ops from elsewhere (a relay page, a bundle) in one transaction: all verify and apply,
   * or none is stored. `within` runs inside the same transaction (the sync client advances its
   * cursor there). Returns how many were new. `verify: 'page'` is for one page of a relay
   * catch-up (DESIGN.md §5 "Verification cost": hash links, each seq 1 whole, each device's last
   * signature, all before anything applies); the default verifies every op's signature.
   */
  ingest(ops: readonly Uint8Array[], within?: (stored: readonly StoredOp[]) => void, options?: IngestOptions): number;
  /** Re-derives every materialised table from the op log (`sitrep rebuild`). */
  rebuild(): RebuildReport;
  close(): void;
}

type Handler<M extends ApiMethod> = (ctx: CoreContext, args: ApiParsedArgs<M>) => ApiResult<M>;
/** Backups are the core's own schedule (backup-schedule.ts); backups.take runs off the transaction, through invoke only. */
type BackupMethod = 'backups.take' | 'backups.list';
/** Methods that take in ops from elsewhere: they run through `ingest` (its own transaction), not a handler. */
type IngestMethod = 'evidence.import';
/** Sync methods are the sync manager's (electron/core/sync), sources.* the metric pollers'; every other method has its handler here. */
type Handlers = { [M in Exclude<ApiMethod, SyncMethod | AsyncSyncMethod | BackupMethod | IngestMethod | MetricsMethod>]: Handler<M> };
const isMetricsMethod = (method: ApiMethod): method is MetricsMethod => METRICS_METHODS.has(method);
const isSyncMethod = (method: ApiMethod): method is SyncMethod => SYNC_METHODS.has(method);
const isAsyncSyncMethod = (method: ApiMethod): method is AsyncSyncMethod => ASYNC_SYNC_METHODS.has(method);

const view = (ctx: CoreContext, incident: string) => incidentView(ctx.db, incident, accessOf(ctx, incident));
const accessOf = (ctx: CoreContext, incident: string): 'write' | 'read' => (ctx.incidentKeys(incident)?.access === 'write' ? 'write' : 'read');
const checklist = (ctx: CoreContext, incident: string) => checklistView(ctx.db, incident, incidentState(ctx.db, incident).phase);

const HANDLERS: Handlers = {
  'device.get': (ctx) => ({ deviceId: ctx.keys.deviceId, name: ctx.deviceName() }),
  'device.setName': (ctx, a) => {
    prepared(ctx.db, "INSERT INTO settings (key, value) VALUES ('device.name', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(a.name);
    return { deviceId: ctx.keys.deviceId, name: a.name };
  },

  'playbook.getActive': (ctx) => activePlaybook(ctx.db),
  'playbook.load': (ctx, a) => loadPlaybook(ctx.db, a.fileName, a.text),
  'playbook.reset': (ctx) => resetPlaybook(ctx.db),

  'incidents.declare': (ctx, a) => declareIncident(ctx, a),
  'incidents.list': (ctx) => listIncidents(ctx.db),
  'incidents.get': (ctx, a) => view(ctx, a.incidentId),
  'incidents.setField': (ctx, a) => (setIncidentField(ctx, a), view(ctx, a.incidentId)),
  'incidents.setMilestone': (ctx, a) => (setMilestone(ctx, a), view(ctx, a.incidentId)),
  'incidents.advancePhase': (ctx, a) => (advancePhase(ctx, a), view(ctx, a.incidentId)),
  'incidents.close': (ctx, a) => (closeIncident(ctx, a), view(ctx, a.incidentId)),
  'incidents.flagBreach': (ctx, a) => (flagBreach(ctx, a), view(ctx, a.incidentId)),

  'timeline.add': addTimelineEntry,
  'timeline.amend': amendTimelineEntry,
  'timeline.retract': retractTimelineEntry,
  'timeline.redact': redactTimelineEntry,
  'timeline.star': starTimelineEntry,
  'timeline.list': (ctx, a) => listTimeline(ctx.db, a),

  'roster.get': (ctx, a) => rosterView(ctx.db, a.incidentId),
  'roster.addPerson': (ctx, a) => (addPerson(ctx, a), rosterView(ctx.db, a.incidentId)),
  'roster.updatePerson': (ctx, a) => (updatePerson(ctx, a), rosterView(ctx.db, a.incidentId)),
  'roster.assign': (ctx, a) => (assignRole(ctx, a), rosterView(ctx.db, a.incidentId)),
  'roster.handOverCommand': (ctx, a) => (handOverCommand(ctx, a), rosterView(ctx.db, a.incidentId)),

  'checklist.get': (ctx, a) => checklist(ctx, a.incidentId),
  'checklist.tick': (ctx, a) => (tickItem(ctx, a), checklist(ctx, a.incidentId)),
  'checklist.untick': (ctx, a) => (untickItem(ctx, a), checklist(ctx, a.incidentId)),
  'checklist.assign': (ctx, a) => (assignItem(ctx, a), checklist(ctx, a.incidentId)),
  'checklist.note': (ctx, a) => (noteItem(ctx, a), checklist(ctx, a.incidentId)),

  'tasks.list': (ctx, a) => (declarationOf(ctx.db, a.incidentId), listTasks(ctx.db, a.incidentId)),
  'tasks.add': (ctx, a) => taskView(ctx.db, a.incidentId, addTask(ctx, a)),
  'tasks.update': (ctx, a) => (updateTask(ctx, a), taskView(ctx.db, a.incidentId, a.taskId)),

  'steps.list': (ctx, a) => listSteps(ctx.db, a.incidentId),
  'steps.done': (ctx, a) => (markStepDone(ctx, a), listSteps(ctx.db, a.incidentId)),
  'steps.skip': (ctx, a) => (skipStep(ctx, a), listSteps(ctx.db, a.incidentId)),
  'steps.reopen': (ctx, a) => (reopenStep(ctx, a), listSteps(ctx.db, a.incidentId)),

  'samples.add': addSample,
  'samples.list': (ctx, a) => (declarationOf(ctx.db, a.incidentId), listSamples(ctx.db, a.incidentId, a)),
  'samples.importCsv': importCsvSamples,

  'alerts.list': (ctx, a) => incidentAlerts(ctx.db, a.incidentId),
  'metrics.series': (ctx, a) => metricSeries(ctx.db, a, ctx.now()),
  'alerts.decide': decideAlert,

  'drills.start': startDrill,
  'drills.report': reportDrill,
  'drills.end': endDrill,

  'directory.list': (ctx) => listDirectory(ctx.db),
  'directory.save': saveDirectoryEntry,
  'directory.remove': removeDirectoryEntry,
  'directory.import': importDirectory,
  'directory.export': exportDirectory,

  'comms.render': (ctx, a) => {
    const state = incidentState(ctx.db, a.incidentId);
    const template = state.playbook.communicationTemplates.find((t) => t.id === a.templateId);
    if (!template) throw new SitrepError('not-found', `templateId: no communication template "${a.templateId}" in this incident's playbook`);
    return renderCommunication(template, state, a.values, ctx.now());
  },
  'comms.markSent': markCommunicationSent,

  'review.metrics': (ctx, a) => reviewOf(ctx.db, a, ctx.now()),
  'evidence.export': (ctx, a) => exportEvidence(ctx, a.incidentId),
  'incidents.markPostMortemFinal': (ctx, a) => (markPostMortemFinal(ctx, a), view(ctx, a.incidentId)),
  'export.incident': (ctx, a) => {
    if (a.format === 'pdf') throw new SitrepError('invalid-argument', 'format: a PDF is printed asynchronously: call export.incident with invoke');
    return exportIncidentText(ctx.db, a.incidentId, a.format, ctx.now());
  },
};

export function parseArgs<M extends ApiMethod>(method: M, args: unknown): ApiParsedArgs<M> {
  // Own keys only: a method named "toString" or "__proto__" must be refused, not reach Object.prototype.
  const schema = Object.hasOwn(apiArgs, method) ? apiArgs[method] : undefined;
  if (!schema) throw new SitrepError('invalid-argument', `unknown method "${String(method)}"`);
  // reportInput: zod 4 leaves `input` out of issues otherwise, and every wrong type would read "required".
  const parsed = schema.safeParse(args ?? {}, { reportInput: true });
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => {
      const unknownKeys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
      const message = (i.code === 'invalid_type' || i.code === 'invalid_value') && i.input === undefined ? 'required' : i.message;
      return `${formatIssuePath(i.path)}: ${message}${unknownKeys}`;
    });
    throw new SitrepError('invalid-argument', `${method}: ${details.join('; ')}`, details);
  }
  return parsed.data as ApiParsedArgs<M>;
}

export function createCore(options: CoreOptions): Core {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = acquireWriterLock(dataDir);
  let db: Db;
  let ctx: CoreContext;
  try {
    const now = options.now ?? Date.now;
    const keys = openKeyStore(dataDir, options.keyProtector ?? plainFileProtector, now);
    db = openDatabase(path.join(dataDir, DATABASE_FILE));
    ctx = createCoreContext(db, nodeCrypto, keys, now);
  } catch (error) {
    lock.release();
    if (error instanceof SitrepError && error.code === 'corrupt-database') throw corruptStoreError(error, dataDir);
    throw error;
  }
  const backups: BackupSchedule = scheduleBackups({
    db,
    dataDir,
    now: ctx.now,
    everyMs: options.backups === false ? null : options.backups?.everyMs === undefined ? DEFAULT_BACKUP_EVERY_MS : options.backups.everyMs,
    keep: (options.backups || undefined)?.keep ?? DEFAULT_BACKUPS_KEPT,
  });
  const listeners = new Set<(event: ApiEvent) => void>();
  let closed = false;
  const searchIndexer = createSearchIndexer(db);

  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
    if (event.type !== 'incident-changed') return;
    // Pollers follow the configuration: a source added, changed or turned on starts or restarts one.
    metrics.reconcile();
    // New timeline rows are indexed for search once the writes pause.
    searchIndexer.changed();
  };

  /** Runs `fn` in one transaction and announces the incidents it touched after the commit. */
  const transact = <T>(fn: () => T): T => {
    ctx.touched.clear();
    let result: T;
    try {
      result = db.transaction(fn)();
    } catch (error) {
      // Rolled back: nothing it touched is announced.
      ctx.touched.clear();
      throw error;
    }
    const touched = [...ctx.touched];
    ctx.touched.clear();
    for (const incidentId of touched) emit({ type: 'incident-changed', incidentId });
    if (touched.length) emit({ type: 'incidents-changed' });
    return result;
  };

  const ingest = (ops: readonly Uint8Array[], within?: (stored: readonly StoredOp[]) => void, options: IngestOptions = {}): StoredOp[] => {
    const contentKeyOf = (incident: string) => ctx.incidentKeys(incident)?.keys.contentKey;
    const stored = db.transaction(() => {
      const taken =
        options.verify === 'page'
          ? ingestPage(ctx, ops, contentKeyOf, options.parsed)
          : ops.map((bytes, i) => ingestOp(ctx, bytes, contentKeyOf, options.parsed?.[i])).filter((s) => s !== null);
      within?.(taken);
      return taken;
    })();
    const incidents = new Set(stored.map((s) => s.incident));
    for (const incidentId of incidents) emit({ type: 'incident-changed', incidentId });
    if (incidents.size) emit({ type: 'incidents-changed' });
    return stored;
  };

  const call = <M extends ApiMethod>(method: M, args: ApiArgs<M>): ApiResult<M> => {
    if (closed) throw new SitrepError('internal', 'the core is closed');
    const parsed = parseArgs(method, args);
    if (isAsyncSyncMethod(method)) throw new SitrepError('invalid-argument', `${method} starts or stops a server: call it with invoke`);
    if (method === 'backups.take') throw new SitrepError('invalid-argument', 'backups.take copies the store in the background: call it with invoke');
    if (method === 'backups.list') return backups.status() as ApiResult<M>;
    // Sync methods change local settings and connections, never write ops, and run their own transactions.
    if (isSyncMethod(method)) return (sync.handlers[method] as (a: ApiParsedArgs<M>) => ApiResult<M>)(parsed);
    if (method === 'evidence.import') {
      const a = parsed as ApiParsedArgs<'evidence.import'>;
      // Every signature of the bundle was just verified whole: the ingest links it to what is held as a page does.
      return importEvidence(ctx, Buffer.from(a.bundle, 'base64'), a.link, (ops) => ingestAndForward(ops, undefined, { verify: 'page' })) as ApiResult<M>;
    }
    const handler = (
      isMetricsMethod(method) ? metrics.handlers[method] : HANDLERS[method as Exclude<M, SyncMethod | AsyncSyncMethod | BackupMethod | IngestMethod | MetricsMethod>]
    ) as unknown as Handler<M>;
    if (READ_METHODS.has(method)) return handler(ctx, parsed);
    // An observer's write is refused up front, even one that would change nothing (a star already set).
    const target = (parsed as { incidentId?: unknown }).incidentId;
    if (typeof target === 'string' && ctx.incidentKeys(target)?.access === 'read') {
      throw new SitrepError('read-only', `this device joined incident ${target} with a read link: it can read and not write`);
    }
    ctx.touched.clear();
    // A rolled-back transaction throws here, so nothing it touched is announced.
    const result = db.transaction(() => handler(ctx, parsed))();
    const touched = [...ctx.touched];
    ctx.touched.clear();
    if (method === 'incidents.declare') emit({ type: 'incidents-changed' });
    if (method.startsWith('playbook.')) emit({ type: 'playbook-changed' });
    for (const incidentId of touched) emit({ type: 'incident-changed', incidentId });
    if (touched.length && method !== 'incidents.declare') emit({ type: 'incidents-changed' });
    for (const incidentId of touched) sync.committed(incidentId);
    if (method === 'drills.start') armDrillReplay();
    return result;
  };

  const sync = createSyncManager({
    ctx,
    dataDir,
    timings: { ...DEFAULT_SYNC_TIMINGS, ...(options.sync || {}) },
    connect: options.sync !== false,
    openSocket: options.relaySocket,
    ingest,
    transact,
    emit,
    addPerson: (incidentId, name, deviceId) => void call('roster.addPerson', { incidentId, name, deviceIds: [deviceId] }),
  });

  function ingestAndForward(ops: readonly Uint8Array[], within?: (stored: readonly StoredOp[]) => void, options?: IngestOptions): number {
    const stored = ingest(ops, within, options);
    // Ops from elsewhere (an imported bundle) go on to the relay like local writes.
    for (const incidentId of new Set(stored.map((op) => op.incident))) sync.committed(incidentId);
    return stored.length;
  }
  const exportPdf = async (incidentId: string) => {
    const html = call('export.incident', { incidentId, format: 'html' });
    if (!options.printPdf) throw new SitrepError('invalid-argument', 'format: this console has no PDF printer; export HTML and print it');
    const pdf = await options.printPdf(html.content);
    return { fileName: html.fileName.replace(/\.html$/, '.pdf'), mime: 'application/pdf', encoding: 'base64' as const, content: Buffer.from(pdf).toString('base64') };
  };
  const metrics = createMetricPollers({
    ctx,
    credentials: openCredentialStore(dataDir, options.keyProtector ?? plainFileProtector),
    options: { poll: options.metrics !== false && options.sync !== false, batchMs: (options.metrics || {}).batchMs ?? DEFAULT_BATCH_MS },
    transact,
    committed: (incident) => sync.committed(incident),
  });
  metrics.reconcile();
  // Drills started here replay their scenario on the core's clock (a fake one in tests). The timer
  // runs only while such a drill has events left: armed at start and by drills.start.
  let drillReplay: NodeJS.Timeout | undefined;
  const replayDrills = () => {
    if (closed) return;
    try {
      for (const incidentId of transact(() => replayDueDrills(ctx))) sync.committed(incidentId);
    } catch (error) {
      // Rolled back, so the same events are tried again next tick; a timer must not take the core down.
      console.error('drill replay failed:', error);
      return;
    }
    if (!drillsToReplay(db)) {
      clearInterval(drillReplay);
      drillReplay = undefined;
    }
  };
  const armDrillReplay = () => {
    if (drillReplay || closed || !drillsToReplay(db)) return;
    drillReplay = setInterval(replayDrills, DRILL_REPLAY_TICK_MS);
    drillReplay.unref();
  };
  armDrillReplay();

  return {
    dataDir,
    get deviceId() {
      return ctx.keys.deviceId;
    },
    context: ctx,
    call,
    async invoke(method, args) {
      if (isAsyncSyncMethod(method)) {
        if (closed) throw new SitrepError('internal', 'the core is closed');
        return (sync.asyncHandlers[method] as (a: unknown) => Promise<ApiResult<typeof method>>)(parseArgs(method, args));
      }
      if (method === 'backups.take') {
        if (closed) throw new SitrepError('internal', 'the core is closed');
        parseArgs(method, args);
        return backups.takeNow() as Promise<ApiResult<typeof method>>;
      }
      if (method === 'export.incident') {
        const parsed = parseArgs('export.incident', args);
        if (parsed.format === 'pdf') return (await exportPdf(parsed.incidentId)) as ApiResult<typeof method>;
      }
      // A write waits until this device's own ops on the relay are here (DESIGN.md §5 "Restore").
      const target = (args as { incidentId?: unknown } | undefined)?.incidentId;
      if (!READ_METHODS.has(method) && !isSyncMethod(method) && typeof target === 'string') await sync.writable(target);
      return call(method, args);
    },
    ingest: ingestAndForward,
    rebuild() {
      const contentKeyOf = (incident: string) => ctx.incidentKeys(incident)?.keys.contentKey;
      const report = rebuildStore(db, ctx.crypto, contentKeyOf);
      searchIndexer.changed();
      emit({ type: 'incidents-changed' });
      return report;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      if (closed) return;
      closed = true;
      backups.close();
      metrics.close();
      clearInterval(drillReplay);
      searchIndexer.close();
      sync.close();
      listeners.clear();
      db.close();
      lock.release();
    },
  };
}
