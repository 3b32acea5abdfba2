/**
 * The signed, encrypted op log: appending this device's ops and taking in other devices' ops.
 *
 * Invariants (each function runs inside the caller's transaction):
 * - An op is stored as the exact bytes that were signed, with its hash; effects are applied only
 *   when its (incident, device, seq) row is newly inserted, in the same transaction.
 * - seq counts from 1 per (incident, device) with no gaps; `prev` is the hash of the device's
 *   previous op; a device's seq 1 carries its public key and WA's certificate.
 * - An op whose signature, chain or certificate does not verify is refused with its reason and
 *   stored nowhere; a second, different op at a seq already held is equivocation and is refused.
 * - The HLC row is advanced in the same transaction as the op that used it.
 * - An op whose payload this version does not understand is stored and counted (applied = 0),
 *   and applied by a later rebuild.
 * - A page of a relay catch-up may be authenticated as a page (ingestPage, DESIGN.md §5
 *   "Verification cost": hash links, every seq 1 whole, each device's last signature), and then
 *   nothing of it is applied before all of it verified; every other op is verified one by one.
 */
import { SitrepError } from '../../shared/errors';
import { decodePayload, GENESIS_PAYLOAD, type OpPayload, encodePayload } from '../../shared/model/op-payload';
import { equalBytes, utf8Decode, utf8Encode } from '../../shared/sync/bytes';
import type { SigningKey, SyncCrypto } from '../../shared/sync/crypto';
import { hlcReceive, hlcSend, type Hlc } from '../../shared/sync/hlc';
import { deviceIdFromPublicKey, type ReaderKeys, type WriterKeys } from '../../shared/sync/incident-keys';
import {
  decodeOp,
  describeOp,
  encodeOp,
  openOpPayload,
  opHash,
  ZERO_HASH,
  type DecodedOp,
  type OpType,
} from '../../shared/sync/op-envelope';
import { admitOp, admitPage, type HeldHead, type PageOp } from '../../shared/sync/op-admission';
import { OpError } from '../../shared/sync/op-error';
import { prepared, type Db } from './store/database';
import { materialise } from './store/materialise';

export interface OpLogContext {
  db: Db;
  crypto: SyncCrypto;
  /** Device clock in UTC ms. */
  now: () => number;
  /** Measured offset to the relay's clock (0 without a relay), recorded in every op. */
  clockOffsetMs: () => number;
  /** The keys derived from the incident's held secret: a genesis must publish these authorities. */
  incidentKeys(incident: string): { access: 'write'; keys: WriterKeys } | { access: 'read'; keys: ReaderKeys } | undefined;
}

interface DeviceHead {
  public_key: Uint8Array;
  head_seq: number;
  head_hash: Uint8Array;
}

const deviceHead = (db: Db, incident: string, device: string): DeviceHead | undefined =>
  prepared(db, 'SELECT public_key, head_seq, head_hash FROM devices WHERE incident = ? AND device = ?').get(incident, device) as
    | DeviceHead
    | undefined;

const heldHead = (db: Db, incident: string, device: string): HeldHead | undefined => {
  const head = deviceHead(db, incident, device);
  return head && { publicKey: head.public_key, seq: head.head_seq, hash: head.head_hash };
};

const heldHashAt = (db: Db, incident: string, device: string, seq: number): Uint8Array | undefined =>
  (prepared(db, 'SELECT hash FROM ops WHERE incident = ? AND device = ? AND seq = ?').get(incident, device, seq) as { hash: Uint8Array } | undefined)
    ?.hash;

const writeAuthorityOf = (db: Db, incident: string): Uint8Array | undefined =>
  (prepared(db, 'SELECT write_authority_key FROM incident_authority WHERE incident = ?').get(incident) as { write_authority_key: Uint8Array } | undefined)
    ?.write_authority_key;

function readClock(db: Db): Hlc {
  const row = prepared(db, 'SELECT hlc_ms, hlc_counter FROM clock WHERE id = 1').get() as { hlc_ms: number; hlc_counter: number };
  return { ms: row.hlc_ms, counter: row.hlc_counter };
}

function writeClock(db: Db, hlc: Hlc): void {
  prepared(db, 'UPDATE clock SET hlc_ms = ?, hlc_counter = ? WHERE id = 1').run(hlc.ms, hlc.counter);
}

export interface StoredOp {
  incident: string;
  device: string;
  seq: number;
  hlc: Hlc;
  hash: Uint8Array;
  payload: OpPayload | null;
}

/** Inserts a verified op and applies its payload; false when the exact op was already held. */
function storeOp(db: Db, decoded: DecodedOp, hash: Uint8Array, payloadBytes: Uint8Array | null): StoredOp | null {
  const h = decoded.header;
  const understood = payloadBytes && h.type === 'op' ? decodePayload(payloadBytes) : null;
  const kind = h.type === 'genesis' ? 'genesis' : understood?.known ? understood.payload.kind : (understood?.kind ?? '(encrypted)');
  const applied = h.type === 'genesis' || understood?.known === true;
  const inserted = prepared(
    db,
    `INSERT OR IGNORE INTO ops (incident, device, seq, hlc_ms, hlc_counter, hash, envelope, kind, applied)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(h.incidentId, h.deviceId, h.seq, h.hlc.ms, h.hlc.counter, hash, decoded.bytes, kind, applied ? 1 : 0);
  if (inserted.changes === 0) return null;
  // A seq 1 introduces the device (its key is in the op); every later op moves the held head on.
  if (h.devicePublicKey) {
    prepared(
      db,
      `INSERT INTO devices (incident, device, public_key, head_seq, head_hash) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (incident, device) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash`,
    ).run(h.incidentId, h.deviceId, h.devicePublicKey, h.seq, hash);
  } else {
    const moved = prepared(db, 'UPDATE devices SET head_seq = ?, head_hash = ? WHERE incident = ? AND device = ?').run(h.seq, hash, h.incidentId, h.deviceId);
    if (moved.changes === 0) throw new SitrepError('internal', `${describeOp(h)} was stored without its device's earlier ops`);
  }
  const payload = understood?.known ? understood.payload : null;
  if (payload) materialise(db, { incident: h.incidentId, device: h.deviceId, seq: h.seq, hlc: h.hlc }, payload);
  return { incident: h.incidentId, device: h.deviceId, seq: h.seq, hlc: h.hlc, hash, payload };
}

interface AppendOptions {
  type: OpType;
  incident: string;
  signer: SigningKey;
  payloadBytes: Uint8Array;
  contentKey: Uint8Array;
  /** Needed on this device's seq 1 in the incident (not on a genesis). */
  certificate?: () => Uint8Array;
  readAuthorityPublicKey?: Uint8Array;
}

function append(ctx: OpLogContext, o: AppendOptions): StoredOp {
  const { db, crypto } = ctx;
  const device = deviceIdFromPublicKey(crypto, o.signer.publicKey);
  const head = deviceHead(db, o.incident, device);
  const seq = (head?.head_seq ?? 0) + 1;
  const hlc = hlcSend(readClock(db), ctx.now() + ctx.clockOffsetMs());
  writeClock(db, hlc);
  const bytes = encodeOp(crypto, {
    type: o.type,
    incidentId: o.incident,
    seq,
    hlc,
    prev: head?.head_hash ?? ZERO_HASH,
    clockOffsetMs: ctx.clockOffsetMs(),
    devicePublicKey: seq === 1 ? o.signer.publicKey : undefined,
    certificate: seq === 1 && o.type === 'op' ? o.certificate?.() : undefined,
    readAuthorityPublicKey: o.type === 'genesis' ? o.readAuthorityPublicKey : undefined,
    payload: o.payloadBytes,
    contentKey: o.contentKey,
    signer: o.signer,
  });
  const stored = storeOp(db, decodeOp(bytes), opHash(crypto, bytes), o.payloadBytes);
  if (!stored) throw new SitrepError('internal', `op ${device}:${seq} of incident ${o.incident} was already stored`);
  return stored;
}

/** Writes an incident's genesis: WA publishes its own and RA's public keys (DESIGN.md §5). */
export function appendGenesis(
  ctx: OpLogContext,
  incident: string,
  keys: ReaderKeys & { writeAuthority: SigningKey },
): StoredOp {
  const stored = append(ctx, {
    type: 'genesis',
    incident,
    signer: keys.writeAuthority,
    payloadBytes: utf8Encode(GENESIS_PAYLOAD),
    contentKey: keys.contentKey,
    readAuthorityPublicKey: keys.readAuthority.publicKey,
  });
  prepared(
    ctx.db,
    'INSERT INTO incident_authority (incident, write_authority_key, read_authority_key, genesis_device) VALUES (?, ?, ?, ?)',
  ).run(incident, keys.writeAuthority.publicKey, keys.readAuthority.publicKey, stored.device);
  return stored;
}

/** Appends one of this device's ops; `certificate` is asked for only on its first op in the incident. */
export function appendOp(
  ctx: OpLogContext,
  incident: string,
  deviceKey: SigningKey,
  contentKey: Uint8Array,
  payload: OpPayload,
  certificate: () => Uint8Array,
): StoredOp {
  return append(ctx, { type: 'op', incident, signer: deviceKey, payloadBytes: encodePayload(payload), contentKey, certificate });
}

const refuse = (error: unknown): never => {
  if (error instanceof OpError) throw new SitrepError('op-rejected', `op refused (${error.code}): ${error.message}`, [error.code]);
  throw error;
};

/** How ops from elsewhere are verified: one by one (the default), or as one page of a relay catch-up. */
export interface IngestOptions {
  verify?: 'each' | 'page';
  /**
   * The same ops already parsed and hashed (by the sync client's planning), by position. An entry
   * is used only for the very bytes object it was made from, so it can never stand for other bytes.
   */
  parsed?: readonly PageOp[];
}

/** The op at `index` parsed and hashed: taken from `parsed` when that was made from these bytes. */
function parsedAt(crypto: SyncCrypto, bytes: Uint8Array, index: number, parsed: readonly PageOp[] | undefined): PageOp {
  const known = parsed?.[index];
  return known && known.decoded.bytes === bytes ? known : { decoded: decodeOp(bytes), hash: opHash(crypto, bytes) };
}

type ContentKeyOf = (incident: string) => Uint8Array | undefined;

/**
 * Verifies and takes in one op from elsewhere (another device, a relay, an evidence bundle).
 * Returns the stored op, or null when this exact op was already held.
 */
export function ingestOp(ctx: OpLogContext, bytes: Uint8Array, contentKeyOf: ContentKeyOf, parsed?: PageOp): StoredOp | null {
  const { db, crypto } = ctx;
  try {
    const { decoded, hash } = parsedAt(crypto, bytes, 0, parsed && [parsed]);
    const h = decoded.header;
    const admission = admitOp(crypto, decoded, hash, {
      head: heldHead(db, h.incidentId, h.deviceId),
      heldHashAt: (seq) => heldHashAt(db, h.incidentId, h.deviceId, seq),
      writeAuthority: writeAuthorityOf(db, h.incidentId),
    });
    if (admission.kind === 'duplicate') return null;
    const clock = { hlc: readClock(db) };
    const stored = applyAdmitted(ctx, decoded, hash, admission.devicePublicKey, contentKeyOf, clock);
    writeClock(db, clock.hlc);
    return stored;
  } catch (error) {
    return refuse(error);
  }
}

/**
 * Takes in one page of a relay catch-up, authenticated as a page (shared/sync/op-admission.ts
 * admitPage): every op is parsed, linked and admitted, every genesis checked against the held
 * secret, before the first one is decrypted and applied. Returns the ops newly stored, in page
 * order. Runs inside the caller's transaction, so a failure anywhere stores nothing of the page.
 */
export function ingestPage(ctx: OpLogContext, page: readonly Uint8Array[], contentKeyOf: ContentKeyOf, parsed?: readonly PageOp[]): StoredOp[] {
  const { db, crypto } = ctx;
  try {
    const ops = page.map((bytes, i) => parsedAt(crypto, bytes, i, parsed));
    const admissions = admitPage(crypto, ops, {
      head: (incident, device) => heldHead(db, incident, device),
      heldHashAt: (incident, device, seq) => heldHashAt(db, incident, device, seq),
      writeAuthority: (incident) => writeAuthorityOf(db, incident),
    });
    ops.forEach(({ decoded }, i) => {
      const admission = admissions[i];
      if (admission.kind === 'new' && decoded.header.type === 'genesis') checkGenesisAuthority(ctx, decoded, admission.devicePublicKey);
    });
    const stored: StoredOp[] = [];
    // The HLC moves through the page's ops in order in memory, and is written once.
    const clock = { hlc: readClock(db) };
    ops.forEach(({ decoded, hash }, i) => {
      const admission = admissions[i];
      if (admission.kind !== 'new') return;
      const op = applyAdmitted(ctx, decoded, hash, admission.devicePublicKey, contentKeyOf, clock);
      if (op) stored.push(op);
    });
    writeClock(db, clock.hlc);
    return stored;
  } catch (error) {
    return refuse(error);
  }
}

/**
 * Decrypting a genesis proves only that its author holds R, as an observer does: it must be signed
 * by the WA the held write secret derives, and publish the RA that R derives, or an observer could
 * claim the incident with a WA of its own and certify itself as a writer.
 */
function checkGenesisAuthority(ctx: OpLogContext, decoded: DecodedOp, devicePublicKey: Uint8Array): void {
  const h = decoded.header;
  const held = ctx.incidentKeys(h.incidentId);
  if (held?.access === 'write' && !equalBytes(devicePublicKey, held.keys.writeAuthority.publicKey)) {
    throw new OpError('bad-certificate', `${describeOp(h)}: genesis is not signed by the write authority of this incident's secret`);
  }
  if (held && !equalBytes(h.readAuthorityPublicKey!, held.keys.readAuthority.publicKey)) {
    throw new OpError('bad-certificate', `${describeOp(h)}: genesis publishes a read authority other than this incident's secret's`);
  }
}

/**
 * Decrypts, checks and stores an admitted op (its effects applied once); null when it was already
 * held. `clock` is the HLC being advanced (the caller reads it before and writes it after).
 */
function applyAdmitted(
  ctx: OpLogContext,
  decoded: DecodedOp,
  hash: Uint8Array,
  devicePublicKey: Uint8Array,
  contentKeyOf: ContentKeyOf,
  clock: { hlc: Hlc },
): StoredOp | null {
  const { db, crypto } = ctx;
  const h = decoded.header;
  const contentKey = contentKeyOf(h.incidentId);
  if (!contentKey) throw new SitrepError('missing-key', `no key for incident ${h.incidentId}: paste its link to read it`);
  const payloadBytes = openOpPayload(crypto, decoded, contentKey);
  if (h.type === 'genesis') {
    if (utf8Decode(payloadBytes) !== GENESIS_PAYLOAD) throw new OpError('malformed', 'the genesis payload is not a Sitrep genesis');
    checkGenesisAuthority(ctx, decoded, devicePublicKey);
    prepared(db, 'INSERT INTO incident_authority (incident, write_authority_key, read_authority_key, genesis_device) VALUES (?, ?, ?, ?)').run(
      h.incidentId, devicePublicKey, h.readAuthorityPublicKey, h.deviceId,
    );
  }
  const stored = storeOp(db, decoded, hash, payloadBytes);
  clock.hlc = hlcReceive(clock.hlc, h.hlc, ctx.now() + ctx.clockOffsetMs()).clock;
  return stored;
}

/** Every stored op of an incident as its exact signed bytes, in per-device seq order. */
export function incidentOps(db: Db, incident: string): Uint8Array[] {
  return (prepared(db, 'SELECT envelope FROM ops WHERE incident = ? ORDER BY rowid').all(incident) as { envelope: Uint8Array }[]).map(
    (r) => r.envelope,
  );
}
