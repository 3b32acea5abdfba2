/**
 * The core's sync: one SyncClient per shared incident, started with the core, and the api methods
 * about sharing (DESIGN.md §5): status, share, links, join, move relay, host a relay, and
 * reconnecting at once when the machine wakes or its network comes back.
 *
 * Invariants:
 * - One connection per shared incident per process; a new relay or a new device identity restarts
 *   it, and closing the core closes every connection, timer and hosted relay.
 * - A fork of this device's own chain is resolved exactly one way: rotate the identity when the
 *   fork is on the current one, then move the forked ops to it (identity-move.ts) in one
 *   transaction; old history stays attributed to the old identity, nothing is lost.
 * - A write link's join adds its person to the roster once (this device id on it), after the
 *   incident's declaration arrived; a read link's join writes nothing.
 * - Links carry the secret only after '#'; the write link exists only where the write secret is held.
 */
import os from 'node:os';
import path from 'node:path';
import type { ApiEvent, ApiMethod, ApiParsedArgs, ApiResult } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import type { HostedRelay, SharedLinks, SyncStatus } from '../../../shared/model/views';
import { equalBytes } from '../../../shared/sync/bytes';
import { formatJoinLink, JoinLinkError, parseJoinLink, type JoinLink } from '../../../shared/sync/join-link';
import { readerKeys, writerKeys } from '../../../shared/sync/incident-keys';
import { DEAD_AFTER_MS, HEARTBEAT_MS } from '../../../shared/sync/protocol';
import { startRelay, type RunningRelay } from '../../relay/server';
import type { CoreContext } from '../core-context';
import type { IngestOptions, StoredOp } from '../op-log';
import { listPeople } from '../queries/roster';
import { prepared } from '../store/database';
import { describeHash } from './op-intake';
import { moveForkedOps } from './identity-move';
import { PRESENCE_EVERY_MS, PRESENCE_TTL_MS } from './presence';
import { formatRelayAddress, parseRelayAddress, type RelayAddress } from './relay-address';
import { openWebSocket, type OpenRelaySocket } from './relay-socket';
import { SyncClient, type ClientHost, type SyncTimings } from './sync-client';
import {
  equivocations,
  identityMoves,
  latestClockOffset,
  pendingOwnOps,
  recordIdentityMove,
  setJoinName,
  setRelay,
  skewedDeviceOffsets,
  syncedIncident,
  syncedIncidents,
} from './sync-store';

export const DEFAULT_SYNC_TIMINGS: SyncTimings = {
  heartbeatMs: HEARTBEAT_MS,
  deadAfterMs: DEAD_AFTER_MS,
  backoffBaseMs: 500,
  backoffCapMs: 30_000,
  healthyAfterMs: 30_000,
  presenceEveryMs: PRESENCE_EVERY_MS,
  presenceTtlMs: PRESENCE_TTL_MS,
  writeHoldMaxMs: 10_000,
  connectTimeoutMs: 10_000,
};

/** A device whose clock differs from the relay host's by more than this is marked (DESIGN.md §5). */
export const SKEW_LIMIT_MS = 60_000;
/** Being replaced by a connection with this device's identity this often within the window is a clone. */
const CLONE_REPLACEMENTS = 2;
const CLONE_WINDOW_MS = 5 * 60_000;
const RELAY_SUBFOLDER = 'relay';
/** Hosting listens on every interface: the point is that others reach it. */
const HOST_ALL_INTERFACES = '0.0.0.0';

export type SyncMethod = 'sync.status' | 'sync.reconnect' | 'incidents.share' | 'incidents.links' | 'incidents.join' | 'incidents.moveRelay' | 'relay.hosted';
export type AsyncSyncMethod = 'relay.host' | 'relay.stopHosting';
export const SYNC_METHODS: ReadonlySet<ApiMethod> = new Set<SyncMethod>([
  'sync.status',
  'sync.reconnect',
  'incidents.share',
  'incidents.links',
  'incidents.join',
  'incidents.moveRelay',
  'relay.hosted',
]);
export const ASYNC_SYNC_METHODS: ReadonlySet<ApiMethod> = new Set<AsyncSyncMethod>(['relay.host', 'relay.stopHosting']);

export interface SyncManagerDeps {
  ctx: CoreContext;
  dataDir: string;
  timings: SyncTimings;
  /** False for one-shot tools (rebuild): nothing connects, the methods still answer. */
  connect: boolean;
  /** How clients dial their relay; a `ws` WebSocket unless a test passes a simulated network. */
  openSocket?: OpenRelaySocket;
  ingest(ops: readonly Uint8Array[], within: (stored: readonly StoredOp[]) => void, options?: IngestOptions): void;
  transact<T>(fn: () => T): T;
  emit(event: ApiEvent): void;
  /** Adds a person with this device on the roster, as the api's roster.addPerson does. */
  addPerson(incident: string, name: string, deviceId: string): void;
}

export interface SyncManager {
  readonly handlers: { [M in SyncMethod]: (args: ApiParsedArgs<M>) => ApiResult<M> };
  readonly asyncHandlers: { [M in AsyncSyncMethod]: (args: ApiParsedArgs<M>) => Promise<ApiResult<M>> };
  /** Resolves when local writes to the incident may go ahead (DESIGN.md §5 "Restore"). */
  writable(incident: string): Promise<void>;
  /** A local write to the incident committed. */
  committed(incident: string): void;
  close(): void;
}

export function createSyncManager(deps: SyncManagerDeps): SyncManager {
  const { ctx } = deps;
  const clients = new Map<string, SyncClient>();
  let hosted: RunningRelay | null = null;
  let replacements: number[] = [];
  let closed = false;

  ctx.setClockOffsetMs(latestClockOffset(ctx.db));

  const ownIdentities = () => new Set([ctx.keys.deviceId, ...ctx.keys.retiredDevices.map((d) => d.deviceId)]);

  const host: ClientHost = {
    ctx,
    timings: deps.timings,
    openSocket: deps.openSocket ?? openWebSocket,
    ingest: deps.ingest,
    transact: deps.transact,
    ownIdentities,
    resolveFork(incident, device, seq, reason) {
      const rotating = device === ctx.keys.deviceId;
      if (rotating) ctx.keys.rotateDevice();
      try {
        deps.transact(() => moveForkedOps(ctx, incident, device, seq, reason));
      } finally {
        deps.emit({ type: 'incidents-changed' });
        for (const [id, client] of clients) if (rotating || id === incident) client.restart();
      }
    },
    replaced(incident) {
      const t = Date.now();
      replacements = [...replacements.filter((at) => t - at < CLONE_WINDOW_MS), t];
      if (replacements.length < CLONE_REPLACEMENTS) return;
      replacements = [];
      const old = ctx.keys.deviceId;
      const fresh = ctx.keys.rotateDevice().deviceId;
      deps.transact(() =>
        recordIdentityMove(ctx.db, incident, {
          fromDevice: old,
          fromSeq: 0,
          toDevice: fresh,
          ops: 0,
          reason: 'another process with this identity kept taking over its relay connection (a cloned data folder)',
          movedAt: ctx.now(),
        }),
      );
      for (const client of clients.values()) client.restart();
    },
    clockMeasured: (offsetMs) => ctx.setClockOffsetMs(offsetMs),
    caughtUp: (incident) => joinRoster(incident),
    changed: (incident) => {
      if (!closed) deps.emit({ type: 'sync-changed', incidentId: incident });
    },
  };

  function ensureClient(incident: string, restart: boolean): void {
    if (!deps.connect || closed) return;
    const existing = clients.get(incident);
    if (existing) {
      if (restart) existing.restart();
      return;
    }
    const client = new SyncClient(host, incident);
    clients.set(incident, client);
    client.start();
  }

  /** A write link's join: the person goes on the roster once the declaration is here. */
  function joinRoster(incident: string): void {
    const synced = syncedIncident(ctx.db, incident);
    if (!synced?.joinName) return;
    if (ctx.incidentKeys(incident)?.access !== 'write') return deps.transact(() => setJoinName(ctx.db, incident, null));
    if (!prepared(ctx.db, 'SELECT 1 FROM incidents WHERE id = ?').get(incident)) return;
    const me = ctx.keys.deviceId;
    if (!listPeople(ctx.db, incident).some((p) => p.deviceIds.includes(me) && !p.removed)) deps.addPerson(incident, synced.joinName, me);
    deps.transact(() => setJoinName(ctx.db, incident, null));
  }

  function requireKnown(incident: string): void {
    const known = ctx.incidentKeys(incident) || prepared(ctx.db, 'SELECT 1 FROM incidents WHERE id = ?').get(incident);
    if (!known) throw new SitrepError('not-found', `no incident ${incident} on this device`);
  }

  function requireKeys(incident: string) {
    const access = ctx.incidentKeys(incident);
    if (!access) {
      requireKnown(incident);
      throw new SitrepError('missing-key', `this device holds no key for incident ${incident}: paste its link`);
    }
    return access;
  }

  function links(incident: string): SharedLinks {
    const synced = syncedIncident(ctx.db, incident);
    if (!synced) {
      requireKnown(incident);
      throw new SitrepError('not-found', `incident ${incident} is not shared through a relay yet: share it first`);
    }
    const access = requireKeys(incident);
    const link = (kind: 'write' | 'read', secret: Uint8Array) => formatJoinLink({ relay: synced.relay, incidentId: incident, access: kind, secret });
    return {
      relay: formatRelayAddress(synced.relay),
      writeLink: access.access === 'write' ? link('write', access.keys.writeSecret) : null,
      readLink: link('read', access.keys.readSecret),
    };
  }

  function status(incident: string): SyncStatus {
    requireKnown(incident);
    const synced = syncedIncident(ctx.db, incident);
    const alarms = [
      ...equivocations(ctx.db, incident).map(
        (e) =>
          `Device ${e.device} signed two different ops at seq ${e.seq} (${describeHash(e.heldHash)} here, ${describeHash(e.offeredHash)} on the relay): both are kept as evidence and its later ops are not applied.`,
      ),
      ...identityMoves(ctx.db, incident).map((m) =>
        m.ops > 0
          ? `This device's ops from seq ${m.fromSeq} of identity ${m.fromDevice} were re-signed as ${m.ops} new ops of identity ${m.toDevice}: ${m.reason}.`
          : `This device switched from identity ${m.fromDevice} to ${m.toDevice}: ${m.reason}.`,
      ),
    ];
    if (!synced) {
      return {
        incidentId: incident,
        relay: null,
        state: 'not-shared',
        offlineSince: null,
        pendingOps: 0,
        catchingUp: null,
        clockOffsetMs: null,
        skewedDevices: [],
        deviceClockOffsetsMs: {},
        online: [],
        lastError: null,
        alarms,
      };
    }
    const client = clients.get(incident);
    const live = client?.status() ?? { state: 'offline' as const, offlineSince: null, catchingUp: null, lastError: null, online: [] };
    // Offsets are relay host minus device, as recorded in ops and announced in presence; presence is fresher.
    const skewed = skewedDeviceOffsets(ctx.db, incident, SKEW_LIMIT_MS);
    for (const [device, offset] of client?.presentClockOffsets() ?? []) if (Math.abs(offset) > SKEW_LIMIT_MS) skewed.set(device, offset);
    return {
      incidentId: incident,
      relay: formatRelayAddress(synced.relay),
      ...live,
      pendingOps: pendingOwnOps(ctx.db, incident, [...ownIdentities()]),
      clockOffsetMs: synced.clockOffsetMs === null ? null : -synced.clockOffsetMs,
      skewedDevices: [...skewed.keys()].sort(),
      deviceClockOffsetsMs: Object.fromEntries([...skewed].map(([device, offset]) => [device, -offset])),
      alarms,
    };
  }

  /** Points an incident at a relay (with `alongside` in the same transaction); a different relay restarts its connection. */
  function pointAt(incident: string, relay: RelayAddress, alongside?: () => void): void {
    const before = syncedIncident(ctx.db, incident)?.relay;
    deps.transact(() => {
      setRelay(ctx.db, incident, relay);
      alongside?.();
    });
    const moved = before !== undefined && (before.host !== relay.host || before.port !== relay.port || before.tls !== relay.tls);
    ensureClient(incident, moved);
    host.changed(incident);
  }

  function join(text: string, name: string): { incidentId: string } {
    let link: JoinLink;
    try {
      link = parseJoinLink(text);
    } catch (error) {
      if (error instanceof JoinLinkError) throw new SitrepError('invalid-argument', `link: ${error.message}`, [`link: ${error.message}`]);
      throw error;
    }
    const incident = link.incidentId;
    const authority = prepared(ctx.db, 'SELECT write_authority_key, read_authority_key FROM incident_authority WHERE incident = ?').get(incident) as
      | { write_authority_key: Uint8Array; read_authority_key: Uint8Array }
      | undefined;
    if (authority) {
      const matches =
        link.access === 'write'
          ? equalBytes(writerKeys(ctx.crypto, link.secret).writeAuthority.publicKey, authority.write_authority_key)
          : equalBytes(readerKeys(ctx.crypto, link.secret).readAuthority.publicKey, authority.read_authority_key);
      if (!matches) throw new SitrepError('invalid-argument', 'link: its secret is not the one of this incident', ['link: its secret is not the one of this incident']);
    }
    ctx.keys.putIncidentSecret(incident, link.access, link.secret);
    ctx.forgetIncidentKeys(incident);
    pointAt(incident, { ...link.relay, host: link.relay.host.toLowerCase() }, () => {
      prepared(ctx.db, "INSERT INTO settings (key, value) VALUES ('device.name', ?) ON CONFLICT (key) DO NOTHING").run(name);
      if (ctx.incidentKeys(incident)?.access === 'write') setJoinName(ctx.db, incident, name);
    });
    joinRoster(incident);
    deps.emit({ type: 'incidents-changed' });
    return { incidentId: incident };
  }

  function hostedView(server: RunningRelay): HostedRelay {
    const external: string[] = [];
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) if (!a.internal && a.family === 'IPv4') external.push(`${a.address}:${server.port}`);
    }
    return { port: server.port, addresses: [...external, `127.0.0.1:${server.port}`] };
  }

  for (const synced of syncedIncidents(ctx.db)) ensureClient(synced.incident, false);

  return {
    handlers: {
      'sync.status': (a) => status(a.incidentId),
      'sync.reconnect': () => {
        for (const client of clients.values()) client.reconnectNow();
        return { reconnecting: clients.size };
      },
      'incidents.share': (a) => {
        requireKeys(a.incidentId);
        pointAt(a.incidentId, parseRelayAddress(a.relay));
        return links(a.incidentId);
      },
      'incidents.links': (a) => links(a.incidentId),
      'incidents.join': (a) => join(a.link, a.name),
      'incidents.moveRelay': (a) => {
        requireKeys(a.incidentId);
        pointAt(a.incidentId, parseRelayAddress(a.relay));
        return status(a.incidentId);
      },
      'relay.hosted': () => (hosted ? hostedView(hosted) : null),
    },
    asyncHandlers: {
      'relay.host': async (a) => {
        if (!hosted) {
          try {
            const started = await startRelay({ dataDir: path.join(deps.dataDir, RELAY_SUBFOLDER), port: a.port, host: HOST_ALL_INTERFACES });
            if (closed) {
              await started.close();
              throw new SitrepError('internal', 'the core closed while its relay was starting');
            }
            hosted ??= started;
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
              throw new SitrepError('already-in-use', `port ${a.port} is already in use on this machine: pick another, or 0 for any free one`);
            }
            throw error;
          }
        }
        return hostedView(hosted);
      },
      'relay.stopHosting': async () => {
        const server = hosted;
        hosted = null;
        await server?.close();
        return null;
      },
    },
    writable: (incident) => clients.get(incident)?.writable() ?? Promise.resolve(),
    committed(incident) {
      const client = clients.get(incident);
      if (!client) return;
      client.localWrite();
      host.changed(incident);
    },
    close() {
      closed = true;
      for (const client of clients.values()) client.close();
      clients.clear();
      const server = hosted;
      hosted = null;
      void server?.close();
    },
  };
}
