/**
 * The one contract between the UI and the core: every method, its arguments (validated with zod in
 * the core, whoever calls), its result, and the events the core pushes.
 *
 * Rules:
 * - Arguments are strict objects: an unknown key is an invalid call, not silently dropped.
 * - A call that fails validation gets SitrepError 'invalid-argument' naming each bad field, and
 *   writes nothing. An unknown incident, entry, person, role, item or task is 'not-found'.
 * - Events only say what changed; the UI asks again for what it shows.
 */
import { z } from 'zod';
import { MILESTONES, severitySchema } from './playbook/schema';
import { STEP_NOTE_MAX, TASK_STATES, TASK_TYPES, TEXT_MAX, TITLE_MAX } from './model/fields';
import { directoryEntryInputSchema, type DirectoryEntry } from './model/directory';
import type { DrillReport } from './model/drill-report';
import { INCIDENT_STATUSES } from './model/incident';
import { ENTRY_KINDS } from './model/op-payload';
import { EXPORT_FORMATS } from './report/incident-report';
import { sourceConfigInputSchema } from './model/metric-source';
import type { IncidentAlert } from './model/incident-alerts';
import { sourceCredentialsSchema } from './model/source-credentials';
import type { Playbook } from './playbook/schema';
import type { BackupInfo, BackupStatus } from './model/backup-info';
import type { ReviewMetrics } from './model/review-metrics';
import type {
  ActivePlaybook,
  ChecklistPhaseView,
  DeviceInfo,
  ExportedFile,
  IncidentSummary,
  IncidentView,
  RenderedCommunication,
  ResponseStepView,
  RosterView,
  SharedLinks,
  HostedRelay,
  SyncStatus,
  SampleView,
  SourceView,
  CsvImportResult,
  MetricSeriesPage,
  TaskView,
  TimelineEntryView,
  TimelinePage,
} from './model/views';
import { MAX_BUNDLE_BASE64_CHARS, type EvidenceExport, type EvidenceImport } from './evidence/evidence-transfer';

const incidentId = z.string().uuid('must be an incident id');
/** A CSV import's largest text: about 200,000 rows. */
const CSV_MAX_CHARS = 10_000_000;
/** Two points a bucket: about one a pixel across a wide chart. */
const DEFAULT_CHART_BUCKETS = 300;
const MAX_CHART_BUCKETS = 5_000;
const entityId = z.string().min(1, 'required').max(100);
const time = z.number().int('must be UTC milliseconds').nonnegative('must be UTC milliseconds');
const title = z.string().trim().min(1, 'required').max(TITLE_MAX, `at most ${TITLE_MAX} characters`);
const longText = z.string().max(TEXT_MAX, `at most ${TEXT_MAX} characters`);
const reason = z.string().trim().min(1, 'required').max(1000);
const personName = z.string().trim().min(1, 'required').max(TITLE_MAX);
const deviceIds = z.array(z.string().regex(/^[0-9a-f]{32}$/, 'must be a device id')).max(20);
/** A person's entry (UUID) or a system entry derived from a field write (`device:seq/index`), as timeline.list gives them. */
const entryId = z
  .string()
  .regex(/^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}:[1-9][0-9]*\/[0-9]+)$/i, 'must be a timeline entry id');

/** Incident fields a person sets directly (milestones, phase and status have their own methods too). */
export const SETTABLE_INCIDENT_FIELDS = {
  title,
  severity: severitySchema,
  category: z.string().max(TITLE_MAX),
  status: z.enum(INCIDENT_STATUSES),
  affectedSystems: z.array(z.string().trim().min(1).max(TITLE_MAX)).max(100),
  summary: longText,
  rootCause: longText,
  'impact.users': longText,
  'impact.data': longText,
  'impact.business': longText,
  'impact.compliance': longText,
  breach: z.object({ flagged: z.boolean(), awareAt: time.nullable() }),
} as const;
export type SettableIncidentField = keyof typeof SETTABLE_INCIDENT_FIELDS;

export const apiArgs = {
  'device.get': z.strictObject({}),
  'device.setName': z.strictObject({ name: personName }),

  'playbook.getActive': z.strictObject({}),
  'playbook.load': z.strictObject({ fileName: z.string().min(1).max(500), text: z.string().max(5_000_000) }),
  'playbook.reset': z.strictObject({}),

  'incidents.declare': z.strictObject({
    title,
    severity: severitySchema,
    category: z.string().max(TITLE_MAX).default(''),
    affectedSystems: z.array(z.string().trim().min(1).max(TITLE_MAX)).max(100).default([]),
    impactStartedAt: time.nullable().default(null),
    detectedAt: time.optional(),
    summary: longText.default(''),
    drill: z.boolean().default(false),
  }),
  'incidents.list': z.strictObject({}),
  'incidents.get': z.strictObject({ incidentId }),
  'incidents.setField': z.strictObject({
    incidentId,
    field: z.enum(Object.keys(SETTABLE_INCIDENT_FIELDS) as [SettableIncidentField, ...SettableIncidentField[]]),
    value: z.unknown(),
    reason: reason.optional(),
  }),
  'incidents.setMilestone': z.strictObject({
    incidentId,
    milestone: z.enum(MILESTONES),
    at: time.nullable(),
    reason: reason.optional(),
  }),
  'incidents.advancePhase': z.strictObject({ incidentId, phase: entityId.optional() }),
  'incidents.close': z.strictObject({ incidentId, reason: reason.optional() }),
  /** Flags a data breach: aware-at starts the regulatory clock; what data and how many users go to the impact. */
  'incidents.flagBreach': z.strictObject({ incidentId, awareAt: time, data: longText.default(''), users: longText.default('') }),

  'timeline.add': z.strictObject({
    incidentId,
    kind: z.enum(ENTRY_KINDS).default('note'),
    text: z.string().trim().min(1, 'required').max(TEXT_MAX),
    occurredAt: time.optional(),
  }),
  'timeline.amend': z.strictObject({ incidentId, entryId, text: z.string().trim().min(1, 'required').max(TEXT_MAX) }),
  'timeline.retract': z.strictObject({ incidentId, entryId, reason }),
  'timeline.redact': z.strictObject({ incidentId, entryId, reason }),
  'timeline.star': z.strictObject({ incidentId, entryId, starred: z.boolean() }),
  'timeline.list': z.strictObject({
    incidentId,
    text: z.string().max(500).optional(),
    kinds: z.array(z.enum([...ENTRY_KINDS, 'system'])).optional(),
    authors: z.array(z.string().max(TITLE_MAX)).optional(),
    starred: z.boolean().optional(),
    offset: z.number().int().nonnegative().default(0),
    limit: z.number().int().positive().max(1000).default(200),
  }),

  'roster.get': z.strictObject({ incidentId }),
  'roster.addPerson': z.strictObject({ incidentId, name: personName, contact: z.string().max(TITLE_MAX).default(''), deviceIds: deviceIds.default([]) }),
  'roster.updatePerson': z.strictObject({
    incidentId,
    personId: entityId,
    name: personName.optional(),
    contact: z.string().max(TITLE_MAX).optional(),
    deviceIds: deviceIds.optional(),
    removed: z.boolean().optional(),
  }),
  'roster.assign': z.strictObject({ incidentId, roleId: entityId, personId: entityId.nullable() }),
  'roster.handOverCommand': z.strictObject({ incidentId, personId: entityId, note: z.string().max(1000).optional() }),

  'checklist.get': z.strictObject({ incidentId }),
  'checklist.tick': z.strictObject({ incidentId, itemId: entityId }),
  'checklist.untick': z.strictObject({ incidentId, itemId: entityId }),
  'checklist.assign': z.strictObject({ incidentId, itemId: entityId, personId: entityId.nullable() }),
  'checklist.note': z.strictObject({ incidentId, itemId: entityId, note: longText }),

  'tasks.list': z.strictObject({ incidentId }),
  'tasks.add': z.strictObject({
    incidentId,
    title,
    type: z.enum(TASK_TYPES).default('task'),
    ownerId: entityId.nullable().default(null),
    dueAt: time.nullable().default(null),
  }),
  'tasks.update': z.strictObject({
    incidentId,
    taskId: entityId,
    title: title.optional(),
    ownerId: entityId.nullable().optional(),
    dueAt: time.nullable().optional(),
    state: z.enum(TASK_STATES).optional(),
  }),

  /** The procedure's steps (severity actions, notification policy, breach and HIPAA items) and their progress. */
  'steps.list': z.strictObject({ incidentId }),
  'steps.done': z.strictObject({ incidentId, stepId: entityId, note: z.string().trim().max(STEP_NOTE_MAX).default('') }),
  'steps.skip': z.strictObject({ incidentId, stepId: entityId, reason: z.string().trim().min(1, 'required: say why the step is skipped').max(STEP_NOTE_MAX) }),
  'steps.reopen': z.strictObject({ incidentId, stepId: entityId }),

  'samples.add': z.strictObject({
    incidentId,
    metric: entityId,
    value: z.number().finite('must be a number'),
    t: time.optional(),
  }),
  'samples.list': z.strictObject({ incidentId, metric: entityId.optional(), from: time.optional(), to: time.optional() }),

  'sources.list': z.strictObject({ incidentId }),
  'sources.save': z.strictObject({ incidentId, sourceId: z.string().uuid('must be a source id').optional(), config: sourceConfigInputSchema }),
  /** Takes a source off the incident (replicated): its poller stops, its samples stay, the timeline says so. */
  'sources.remove': z.strictObject({ incidentId, sourceId: z.string().uuid('must be a source id') }),
  /** Local to this device (no op): only the source's poller device may turn it on. */
  'sources.setPolling': z.strictObject({ incidentId, sourceId: z.string().uuid('must be a source id'), polling: z.boolean() }),
  /** Local to this device (no op): kept in its credential file, never replicated. */
  'sources.setCredentials': z.strictObject({ incidentId, sourceId: z.string().uuid('must be a source id'), credentials: sourceCredentialsSchema }),
  /** Rows "time,metric,value" (a header row optional): all stored, or none with the bad line named. */
  'samples.importCsv': z.strictObject({ incidentId, text: z.string().min(1, 'required').max(CSV_MAX_CHARS), sourceId: z.string().uuid('must be a source id').optional() }),

  'alerts.list': z.strictObject({ incidentId }),
  /** Every metric's samples over the last `rangeMs` (null: all), min/max downsampled into `buckets`. */
  'metrics.series': z.strictObject({
    incidentId,
    rangeMs: z.number().int().positive('must be a positive duration').nullable().default(null),
    buckets: z.number().int().min(1).max(MAX_CHART_BUCKETS).default(DEFAULT_CHART_BUCKETS),
  }),
  'alerts.decide': z.strictObject({
    incidentId,
    alertKey: z.string().min(1).max(200),
    suggestedSeverity: severitySchema,
    decision: z.enum(['accept', 'dismiss']),
    /** What the alert said, for the timeline ("error rate 7.5 % > 5 % (P1)"). */
    summary: z.string().trim().min(1, 'required').max(1000),
  }),

  'sync.status': z.strictObject({ incidentId }),
  /** The machine woke or its network came back: every relay connection dials again now, not after its backoff. */
  'sync.reconnect': z.strictObject({}),
  /** Shares an incident through a relay ("host:port", or a ws:// or wss:// URL) and returns its links. */
  'incidents.share': z.strictObject({ incidentId, relay: z.string().trim().min(1, 'required').max(300) }),
  /** The links of a shared incident; a write link only where this device holds the write secret. */
  'incidents.links': z.strictObject({ incidentId }),
  'incidents.join': z.strictObject({ link: z.string().trim().min(1, 'required').max(500), name: z.string().trim().min(1, 'required').max(TITLE_MAX) }),
  'incidents.moveRelay': z.strictObject({ incidentId, relay: z.string().trim().min(1, 'required').max(300) }),
  /** Hosts a relay inside this console (port 0 picks a free one). */
  'relay.host': z.strictObject({ port: z.number().int().min(0).max(65_535).default(0) }),
  'relay.hosted': z.strictObject({}),
  'relay.stopHosting': z.strictObject({}),

  /** Drills: declare one from a scenario file (shared/model/drill-scenario.ts), replayed on the core's clock. */
  'drills.start': z.strictObject({ fileName: z.string().min(1).max(500), text: z.string().max(5_000_000) }),
  'drills.report': z.strictObject({ incidentId }),
  'drills.end': z.strictObject({ incidentId }),

  /** The team directory: local to this device, across incidents (shared/model/directory.ts). */
  'directory.list': z.strictObject({}),
  'directory.save': directoryEntryInputSchema.extend({ id: entityId.optional() }),
  'directory.remove': z.strictObject({ id: entityId }),
  'directory.import': z.strictObject({ fileName: z.string().min(1).max(500), text: z.string().max(5_000_000) }),
  'directory.export': z.strictObject({ format: z.enum(['json', 'csv']) }),

  'comms.render': z.strictObject({ incidentId, templateId: entityId, values: z.record(z.string(), z.string().max(TEXT_MAX)).default({}) }),
  'comms.markSent': z.strictObject({ incidentId, templateId: entityId, text: z.string().trim().min(1, 'required').max(TEXT_MAX) }),

  /** Response metrics across incidents detected in [from, to), by current severity; drills listed, not counted. */
  'review.metrics': z
    .strictObject({ from: time.optional(), to: time.optional(), severities: z.array(severitySchema).max(4).optional() })
    .refine((a) => a.from === undefined || a.to === undefined || a.from < a.to, { path: ['to'], message: 'must be after from' }),
  /** A backup of the whole store now, into the data folder's backups folder (rotated). */
  'backups.take': z.strictObject({}),
  'backups.list': z.strictObject({}),
  /** The incident's evidence bundle (shared/evidence/bundle.ts), base64; writes nothing. */
  'evidence.export': z.strictObject({ incidentId }),
  /** Verifies a bundle whole, then takes in its original ops; `link` is needed when this machine holds no key for the incident. */
  'evidence.import': z.strictObject({
    bundle: z
      .string()
      .min(1, 'required')
      .max(MAX_BUNDLE_BASE64_CHARS, `at most ${MAX_BUNDLE_BASE64_CHARS} base64 characters`)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    link: z.string().trim().min(1, 'required').max(500).optional(),
  }),
  /** Marks the post-mortem final (sets the post-mortem-done milestone), or back to draft. */
  'incidents.markPostMortemFinal': z.strictObject({ incidentId, final: z.boolean().default(true) }),
  /** One incident as a file: md, html, csv and json as text; pdf (the HTML printed) as base64. */
  'export.incident': z.strictObject({ incidentId, format: z.enum(EXPORT_FORMATS) }),
} as const;

export type ApiMethod = keyof typeof apiArgs;
export const API_METHODS = Object.keys(apiArgs) as ApiMethod[];

/** Methods that only read: all a read-only view (the wall display, a read link) may call. */
export const READ_METHODS: ReadonlySet<ApiMethod> = new Set<ApiMethod>([
  'device.get',
  'playbook.getActive',
  'incidents.list',
  'incidents.get',
  'timeline.list',
  'roster.get',
  'checklist.get',
  'tasks.list',
  'steps.list',
  'samples.list',
  'sources.list',
  'alerts.list',
  'metrics.series',
  'comms.render',
  'sync.status',
  'relay.hosted',
  'review.metrics',
  'evidence.export',
  'export.incident',
  'directory.list',
  'directory.export',
  'drills.report',
]);

export const isApiMethod = (name: unknown): name is ApiMethod => typeof name === 'string' && Object.hasOwn(apiArgs, name);

/** Arguments as the caller writes them (defaults may be left out). */
export type ApiArgs<M extends ApiMethod> = z.input<(typeof apiArgs)[M]>;
/** Arguments as the core sees them, defaults filled in. */
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof apiArgs)[M]>;

export interface ApiResults {
  'device.get': DeviceInfo;
  'device.setName': DeviceInfo;
  'playbook.getActive': ActivePlaybook;
  'playbook.load': ActivePlaybook;
  'playbook.reset': ActivePlaybook;
  'incidents.declare': { incidentId: string };
  'incidents.list': IncidentSummary[];
  'incidents.get': IncidentView;
  'incidents.setField': IncidentView;
  'incidents.setMilestone': IncidentView;
  'incidents.advancePhase': IncidentView;
  'incidents.close': IncidentView;
  'incidents.flagBreach': IncidentView;
  'timeline.add': TimelineEntryView;
  'timeline.amend': TimelineEntryView;
  'timeline.retract': TimelineEntryView;
  'timeline.redact': TimelineEntryView;
  'timeline.star': TimelineEntryView;
  'timeline.list': TimelinePage;
  'roster.get': RosterView;
  'roster.addPerson': RosterView;
  'roster.updatePerson': RosterView;
  'roster.assign': RosterView;
  'roster.handOverCommand': RosterView;
  'checklist.get': ChecklistPhaseView[];
  'checklist.tick': ChecklistPhaseView[];
  'checklist.untick': ChecklistPhaseView[];
  'checklist.assign': ChecklistPhaseView[];
  'checklist.note': ChecklistPhaseView[];
  'tasks.list': TaskView[];
  'tasks.add': TaskView;
  'tasks.update': TaskView;
  'steps.list': ResponseStepView[];
  'steps.done': ResponseStepView[];
  'steps.skip': ResponseStepView[];
  'steps.reopen': ResponseStepView[];
  'samples.add': SampleView;
  'samples.list': SampleView[];
  'sources.list': SourceView[];
  'sources.save': SourceView;
  /** The sources left. */
  'sources.remove': SourceView[];
  'sources.setPolling': SourceView;
  'sources.setCredentials': SourceView;
  'samples.importCsv': CsvImportResult;
  'alerts.list': IncidentAlert[];
  'metrics.series': MetricSeriesPage;
  'alerts.decide': TimelineEntryView;
  'sync.status': SyncStatus;
  /** How many shared incidents' connections are dialling again. */
  'sync.reconnect': { reconnecting: number };
  'incidents.share': SharedLinks;
  'incidents.links': SharedLinks;
  'incidents.join': { incidentId: string };
  'incidents.moveRelay': SyncStatus;
  'relay.host': HostedRelay;
  'relay.hosted': HostedRelay | null;
  'relay.stopHosting': null;
  'drills.start': { incidentId: string };
  'drills.report': DrillReport;
  'drills.end': DrillReport;
  'directory.list': DirectoryEntry[];
  'directory.save': DirectoryEntry[];
  'directory.remove': DirectoryEntry[];
  'directory.import': { imported: number; entries: DirectoryEntry[] };
  'directory.export': { fileName: string; mimeType: string; text: string };
  'comms.render': RenderedCommunication;
  'comms.markSent': TimelineEntryView;
  'review.metrics': ReviewMetrics;
  'backups.take': BackupInfo;
  'backups.list': BackupStatus;
  'evidence.export': EvidenceExport;
  'evidence.import': EvidenceImport;
  'incidents.markPostMortemFinal': IncidentView;
  'export.incident': ExportedFile;
}

export type ApiResult<M extends ApiMethod> = ApiResults[M];

export type ApiEvent =
  | { type: 'incidents-changed' }
  | { type: 'incident-changed'; incidentId: string }
  | { type: 'playbook-changed' }
  /** Connection state, pending ops, catch-up progress or presence of a shared incident changed. */
  | { type: 'sync-changed'; incidentId: string };

/** What the renderer holds: IPC in Electron, WebSocket in browser mode, in-process in tests. */
export interface SitrepApi {
  invoke<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
}

export type { Playbook };
export type { TimelineEntryView };
