/**
 * What the core answers the UI with: read models built from the materialised tables.
 * Plain data (JSON-safe), so the same values cross IPC, WebSocket and in-process adapters.
 */
import type { Playbook, Severity } from '../playbook/schema';
import type { IncidentState, IncidentStatus } from './incident';
import type { EntryKind } from './op-payload';
import type { SourceConfig } from './metric-source';
import type { CredentialKind } from './source-credentials';
import type { RequiredStep, StepState } from './response-steps';

export interface DeviceInfo {
  deviceId: string;
  name: string;
}

export interface ActivePlaybook {
  playbook: Playbook;
  /** "default" for the seed's procedure, else the file it was loaded from. */
  origin: string;
}

export interface IncidentSummary {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  phase: string;
  drill: boolean;
  declaredAt: number;
  commander: string | null;
}

export interface IncidentView {
  state: IncidentState;
  /** Incident fields (severity, status, …) last changed concurrently by different people. */
  concurrentlyChanged: string[];
  access: 'write' | 'read';
  /** Ops held but written by a newer Sitrep: shown as "needs a newer Sitrep". */
  unknownOps: number;
}

export interface FieldChange {
  entityType: string;
  entityId: string;
  field: string;
  value: unknown;
  /** The values this write replaced (those of the writes named in its pred). */
  previous: unknown[];
  reason: string | null;
}

export interface TimelineEntryView {
  id: string;
  source: 'entry' | 'system';
  kind: EntryKind | 'system';
  /** For system entries, the rendered sentence ("Ana changed severity P2 → P0"). Empty once redacted. */
  text: string;
  occurredAt: number;
  recordedAt: { ms: number; counter: number };
  device: string;
  seq: number;
  by: string;
  starred: boolean;
  template: string | null;
  /** For metric-alert entries: the alert decided on. */
  alertKey: string | null;
  relation: 'supersedes' | 'retracts' | 'redacts' | null;
  refersTo: string | null;
  supersededBy: string | null;
  retractedBy: string | null;
  redactedBy: string | null;
  change: FieldChange | null;
}

export interface TimelinePage {
  entries: TimelineEntryView[];
  /** How many entries match the filter in all. */
  total: number;
  offset: number;
}

export interface PersonView {
  id: string;
  name: string;
  contact: string;
  deviceIds: string[];
  removed: boolean;
}

export interface RoleView {
  roleId: string;
  roleKey: string;
  title: string;
  holderTitle: string;
  team: 'primary' | 'secondary';
  commander: boolean;
  holder: PersonView | null;
  conflicted: boolean;
  setBy: string | null;
  setAt: number | null;
}

export interface RosterView {
  people: PersonView[];
  roles: RoleView[];
}

export interface ChecklistItemView {
  /** `phase/item`, the key of its progress. */
  id: string;
  phase: string;
  section: string;
  title: string;
  description: string;
  status: 'open' | 'done';
  assignee: PersonView | null;
  note: string;
  statusBy: string | null;
  statusAt: number | null;
  conflicted: boolean;
}

export interface ChecklistPhaseView {
  phase: string;
  title: string;
  current: boolean;
  items: ChecklistItemView[];
}

export interface TaskView {
  id: string;
  type: 'task' | 'action-item';
  title: string;
  owner: PersonView | null;
  dueAt: number | null;
  state: 'open' | 'done' | 'cancelled';
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

export interface SampleView {
  metric: string;
  source: string;
  t: number;
  value: number;
  device: string;
}

/** What a source's polls say now (a pure function of its polls in the op set). */
export interface SourceStatus {
  state: 'up' | 'down' | 'unknown';
  /** The latest poll. */
  at: number | null;
  /** Why the latest poll failed. */
  reason: string | null;
  /** The first down poll of the outage still running. */
  downSince: number | null;
}

export interface SourceView {
  id: string;
  config: SourceConfig;
  status: SourceStatus;
  /** The device asking is the source's poller (only it may turn polling on or hold credentials). */
  pollerIsHere: boolean;
  /** Local to the device asking: it is the poller and has polling turned on. */
  pollingHere: boolean;
  /** Local to the device asking: which credentials it holds for the source (never the secret). */
  credentials: CredentialKind;
}

export interface MetricSeriesView {
  metric: string;
  /** Samples in the range before downsampling. */
  total: number;
  /** Downsampled: each bucket's lowest and highest, in time order. */
  points: Array<{ t: number; value: number }>;
}

export interface ChartMarker {
  t: number;
  kind: 'severity' | 'phase';
  /** The severity or phase id set. */
  value: string;
}

export interface MetricSeriesPage {
  /** Start of the range (null: all samples). */
  from: number | null;
  to: number;
  series: MetricSeriesView[];
  markers: ChartMarker[];
}

export interface CsvImportResult {
  imported: number;
  source: string;
}

export interface RenderedCommunication {
  templateId: string;
  subject: string | null;
  body: string;
  /** Placeholders with no value yet (manual ones not typed in): still shown as [Label]. */
  missing: string[];
}

export type SyncState = 'not-shared' | 'offline' | 'connecting' | 'catching-up' | 'live';

export interface PresentDevice {
  deviceId: string;
  name: string;
  /** When this device was last heard from (presence is ephemeral, never stored). */
  seenAt: number;
}

export interface SyncStatus {
  incidentId: string;
  /** The relay address ("host:port"), or null when the incident is not shared. */
  relay: string | null;
  state: SyncState;
  /** Since when the relay has been unreachable, while it is. */
  offlineSince: number | null;
  /** This device's ops the relay has not acknowledged yet. */
  pendingOps: number;
  /** While catching up: ops received of those the relay announced. */
  catchingUp: { received: number; total: number } | null;
  /** This device's clock minus the relay host's, when measured. */
  clockOffsetMs: number | null;
  /** Devices whose clocks differ from the relay host's by more than a minute. */
  skewedDevices: string[];
  /** For each device in skewedDevices: its clock minus the relay host's, as it last reported. */
  deviceClockOffsetsMs: Record<string, number>;
  online: PresentDevice[];
  lastError: { code: string; message: string } | null;
  /** Evidence of equivocation or a clone: shown until someone looks into it. */
  alarms: string[];
}

export interface SharedLinks {
  relay: string;
  /** Only where this device holds the write secret; never shown on the wall display. */
  writeLink: string | null;
  readLink: string;
}

export interface HostedRelay {
  port: number;
  /** Addresses others can reach it at ("host:port"), this machine's interfaces first. */
  addresses: string[];
}

/** An exported file: text as is, bytes (a PDF) as base64. */
export interface ExportedFile {
  fileName: string;
  mime: string;
  encoding: 'utf-8' | 'base64';
  content: string;
}

/** A procedure step (shared/model/response-steps) with its progress: done or skipped by whom, when, why. */
export interface ResponseStepView extends RequiredStep {
  state: StepState;
  /** For a skip, the reason; for a done step, what was done (may be empty). */
  note: string;
  by: string | null;
  at: number | null;
  conflicted: boolean;
}
