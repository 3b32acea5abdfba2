/**
 * The metric sources of this device: the sources.* api methods, and the pollers it runs.
 *
 * Invariants:
 * - A source is polled here only while this device is its configured poller, holds the incident's
 *   write key, and has polling turned on locally (a `settings` row: a local choice, never an op).
 * - Credentials come from the local credential file at each poll and go into a request header only.
 * - Each poll is a data point: a reading (scaled into the metric's unit) and an up poll, or a down
 *   poll with its reason; a failure never throws out of a poller and never invents a value.
 * - Readings are batched into one samples.add op per source about every `batchMs` (10 s); a batch
 *   still held when polling stops or the core closes is written then, so nothing read is lost.
 * - The pollers follow the replicated configuration: after every change to an incident they are
 *   started, restarted (config changed) or stopped to match.
 */
import type { ApiParsedArgs, ApiResult } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { POLLED_KINDS, type PollRecord, type SourceConfig } from '../../../shared/model/metric-source';
import type { MetricSample } from '../../../shared/model/threshold-alerts';
import { removeSource, saveSource } from '../commands/sources';
import type { CoreContext } from '../core-context';
import { declarationOf, listIncidents } from '../queries/incidents';
import { listSources, sourceConfigs, sourceView, type LocalSourceState } from '../queries/sources';
import { prepared } from '../store/database';
import type { CredentialStore } from './credential-store';
import { pollSource } from './poll-reading';

export type MetricsMethod = 'sources.list' | 'sources.save' | 'sources.remove' | 'sources.setPolling' | 'sources.setCredentials';
export const METRICS_METHODS: ReadonlySet<string> = new Set<MetricsMethod>(['sources.list', 'sources.save', 'sources.remove', 'sources.setPolling', 'sources.setCredentials']);

/** DESIGN.md §4: one op per source about every 10 s. */
export const DEFAULT_BATCH_MS = 10_000;
/** A poll waits at most this long, and never longer than its interval. */
const MAX_POLL_TIMEOUT_MS = 10_000;

export interface MetricPollerOptions {
  /** False for one-shot tools: the methods answer, nothing polls. */
  poll: boolean;
  batchMs: number;
}

export interface MetricPollersDeps {
  ctx: CoreContext;
  credentials: CredentialStore;
  options: MetricPollerOptions;
  /** Runs a write in the core's one transaction boundary and announces it. */
  transact<T>(fn: () => T): T;
  /** A local op committed: sync sends it on. */
  committed(incident: string): void;
}

export interface MetricPollers {
  readonly handlers: { [M in MetricsMethod]: (ctx: CoreContext, args: ApiParsedArgs<M>) => ApiResult<M> };
  /** Brings the running pollers in line with the configuration and local choices. */
  reconcile(): void;
  close(): void;
}

const pollingKey = (incident: string, source: string) => `metrics.polling/${incident}/${source}`;

interface RunningPoller {
  incident: string;
  source: string;
  configJson: string;
  stop(): void;
}

export function createMetricPollers(deps: MetricPollersDeps): MetricPollers {
  const { ctx, credentials } = deps;
  const running = new Map<string, RunningPoller>();
  let closed = false;

  const local: LocalSourceState = {
    deviceId: () => ctx.keys.deviceId,
    polling: (incident, source) => prepared(ctx.db, 'SELECT 1 FROM settings WHERE key = ?').get(pollingKey(incident, source)) !== undefined,
    credentialKind: (incident, source) => credentials.get(incident, source).kind,
  };

  const ownSource = (incident: string, sourceId: string) => {
    if (ctx.incidentKeys(incident)?.access !== 'write') {
      throw new SitrepError('read-only', `this device cannot write to incident ${incident}, so it cannot poll its sources`);
    }
    const source = sourceView(ctx.db, incident, sourceId, local);
    if (source.config.pollerDevice !== ctx.keys.deviceId) {
      throw new SitrepError('invalid-argument', `sourceId: "${source.config.name}" is polled by device ${source.config.pollerDevice}, not this one`, [
        'sourceId: polled by another device',
      ]);
    }
    return source;
  };

  function startPoller(incident: string, source: string, config: SourceConfig): RunningPoller {
    let samples: MetricSample[] = [];
    let polls: PollRecord[] = [];
    let inFlight = false;
    let stopped = false;
    const timeoutMs = Math.min(config.intervalMs, MAX_POLL_TIMEOUT_MS);

    const flush = () => {
      if (polls.length === 0) return;
      const batch = { samples, polls };
      samples = [];
      polls = [];
      try {
        deps.transact(() => ctx.writeOp(incident, { kind: 'samples.add', source, samples: batch.samples, polls: batch.polls }));
        deps.committed(incident);
      } catch (error) {
        // The incident became read-only or its key went away: the next reconcile stops this poller.
        if (!(error instanceof SitrepError)) throw error;
      }
    };

    const pollOnce = async () => {
      if (inFlight || stopped) return;
      inFlight = true;
      const t = ctx.now();
      try {
        const reading = await pollSource(config, credentials.get(incident, source), timeoutMs);
        if (stopped) return;
        const value = reading.ok ? reading.value * config.scale : NaN;
        if (reading.ok && Number.isFinite(value)) {
          samples.push({ metric: config.metric, t, value });
          polls.push({ t, up: true });
        } else {
          polls.push({ t, up: false, reason: reading.ok ? 'the scaled reading is not a finite number' : reading.reason.slice(0, 500) });
        }
      } catch (error) {
        if (!stopped) polls.push({ t, up: false, reason: `poll failed: ${(error as Error).message}`.slice(0, 500) });
      } finally {
        inFlight = false;
      }
    };

    const pollTimer = setInterval(() => void pollOnce(), config.intervalMs);
    const flushTimer = setInterval(flush, deps.options.batchMs);
    void pollOnce();
    return {
      incident,
      source,
      configJson: JSON.stringify(config),
      stop() {
        stopped = true;
        clearInterval(pollTimer);
        clearInterval(flushTimer);
        flush();
      },
    };
  }

  function reconcile(): void {
    if (closed || !deps.options.poll) return;
    const wanted = new Map<string, { incident: string; source: string; config: SourceConfig }>();
    for (const incident of listIncidents(ctx.db)) {
      if (ctx.incidentKeys(incident.id)?.access !== 'write') continue;
      for (const { id, config } of sourceConfigs(ctx.db, incident.id)) {
        if (config.pollerDevice !== ctx.keys.deviceId || !POLLED_KINDS.has(config.kind) || !local.polling(incident.id, id)) continue;
        wanted.set(`${incident.id}/${id}`, { incident: incident.id, source: id, config });
      }
    }
    for (const [key, poller] of running) {
      const want = wanted.get(key);
      if (!want || JSON.stringify(want.config) !== poller.configJson) {
        running.delete(key);
        poller.stop();
      }
    }
    for (const [key, want] of wanted) if (!running.has(key)) running.set(key, startPoller(want.incident, want.source, want.config));
  }

  return {
    handlers: {
      'sources.list': (c, a) => (declarationOf(c.db, a.incidentId), listSources(c.db, a.incidentId, local)),
      'sources.save': (c, a) => sourceView(c.db, a.incidentId, saveSource(c, a, local), local),
      'sources.remove': (c, a) => {
        removeSource(c, a, local);
        // This device's switch goes with it; its poller stops at the reconcile after this write.
        prepared(c.db, 'DELETE FROM settings WHERE key = ?').run(pollingKey(a.incidentId, a.sourceId));
        return listSources(c.db, a.incidentId, local);
      },
      'sources.setPolling': (c, a) => {
        const source = ownSource(a.incidentId, a.sourceId);
        if (a.polling && !POLLED_KINDS.has(source.config.kind)) throw new SitrepError('invalid-argument', 'sourceId: a CSV source is imported, not polled', ['sourceId: a CSV source']);
        const key = pollingKey(a.incidentId, a.sourceId);
        if (a.polling) prepared(c.db, "INSERT INTO settings (key, value) VALUES (?, '1') ON CONFLICT (key) DO NOTHING").run(key);
        else prepared(c.db, 'DELETE FROM settings WHERE key = ?').run(key);
        c.touched.add(a.incidentId);
        return sourceView(c.db, a.incidentId, a.sourceId, local);
      },
      'sources.setCredentials': (c, a) => {
        ownSource(a.incidentId, a.sourceId);
        credentials.set(a.incidentId, a.sourceId, a.credentials);
        c.touched.add(a.incidentId);
        return sourceView(c.db, a.incidentId, a.sourceId, local);
      },
    },
    reconcile,
    close() {
      closed = true;
      for (const poller of running.values()) poller.stop();
      running.clear();
    },
  };
}
