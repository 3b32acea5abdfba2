/**
 * What every command and query of the core works with: the store, the keys, the clock, and the
 * one way to write an op for an incident.
 *
 * Invariants: `writeOp` runs inside the caller's transaction (core.ts opens it); it refuses to write
 * to an incident this device holds only a read secret for, or none; incident keys are derived once
 * per process and cached, never stored in the database.
 */
import { SitrepError } from '../../shared/errors';
import { PAYLOAD_SCHEMA_VERSION, type OpPayload } from '../../shared/model/op-payload';
import type { SyncCrypto } from '../../shared/sync/crypto';
import { issueCertificate, readerKeys, writerKeys, type ReaderKeys, type WriterKeys } from '../../shared/sync/incident-keys';
import type { KeyStore } from './key-store';
import { appendOp, type OpLogContext, type StoredOp } from './op-log';
import { prepared, type Db } from './store/database';

/** Payload fields every op carries, filled in by writeOp. */
type Common = 'schema' | 'at' | 'by';
export type PayloadDraft = OpPayload extends infer P ? (P extends OpPayload ? Omit<P, Common> : never) : never;

export interface CoreContext extends OpLogContext {
  keys: KeyStore;
  deviceName(): string;
  incidentKeys(incident: string): { access: 'write'; keys: WriterKeys } | { access: 'read'; keys: ReaderKeys } | undefined;
  writeOp(incident: string, draft: PayloadDraft): StoredOp;
  /** Sets the measured offset to the relay's clock (relay minus device), clamped to what an op records. */
  setClockOffsetMs(ms: number): void;
  /** Drops the cached keys of an incident, after its secret changed (a write link pasted over a read one). */
  forgetIncidentKeys(incident: string): void;
  /** Marks an incident changed: the core pushes one event per incident after the transaction commits. */
  touched: Set<string>;
}

export const DEFAULT_DEVICE_NAME = 'Unnamed device';
/** An op records its author's clock offset as a signed 32-bit number of ms (±24 days). */
const MAX_RECORDED_OFFSET_MS = 2 ** 31 - 1;

export function createCoreContext(db: Db, crypto: SyncCrypto, keys: KeyStore, now: () => number): CoreContext {
  const keyCache = new Map<string, ReturnType<CoreContext['incidentKeys']>>();
  let clockOffsetMs = 0;
  const ctx: CoreContext = {
    db,
    crypto,
    keys,
    now,
    clockOffsetMs: () => clockOffsetMs,
    setClockOffsetMs(ms) {
      clockOffsetMs = Math.max(-MAX_RECORDED_OFFSET_MS, Math.min(MAX_RECORDED_OFFSET_MS, Math.round(ms)));
    },
    forgetIncidentKeys: (incident) => void keyCache.delete(incident),
    touched: new Set(),
    deviceName: () =>
      (prepared(db, "SELECT value FROM settings WHERE key = 'device.name'").get() as { value: string } | undefined)?.value ??
      DEFAULT_DEVICE_NAME,
    incidentKeys(incident) {
      if (keyCache.has(incident)) return keyCache.get(incident);
      const secret = keys.incidentSecret(incident);
      const derived = !secret
        ? undefined
        : secret.access === 'write'
          ? { access: 'write' as const, keys: writerKeys(crypto, secret.secret) }
          : { access: 'read' as const, keys: readerKeys(crypto, secret.secret) };
      if (derived) keyCache.set(incident, derived);
      return derived;
    },
    writeOp(incident, draft) {
      const access = ctx.incidentKeys(incident);
      if (!access) throw new SitrepError('missing-key', `this device holds no key for incident ${incident}`);
      if (access.access !== 'write') {
        throw new SitrepError('read-only', `this device joined incident ${incident} with a read link: it can read and not write`);
      }
      // Wall-clock facts use the device clock; the op's header records the measured offset (DESIGN.md §5 "Clocks").
      const payload = { ...draft, schema: PAYLOAD_SCHEMA_VERSION, at: ctx.now(), by: ctx.deviceName() } as OpPayload;
      const stored = appendOp(ctx, incident, keys.deviceKey, access.keys.contentKey, payload, () =>
        issueCertificate(access.keys.writeAuthority, keys.deviceKey.publicKey, incident),
      );
      ctx.touched.add(incident);
      return stored;
    },
  };
  return ctx;
}
