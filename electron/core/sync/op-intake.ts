/**
 * Sorting a page of ops from the relay before it is applied (pure reads of the store): which ops
 * apply now, which are already held, which reveal a fork of this device's own chain or another
 * device's equivocation, and which cannot apply yet because an op before them is missing.
 *
 * Invariants:
 * - `apply` lists ops that continue their device's chain from what is held (or from an op before
 *   them in `apply`), in page order: core.ingest can take all of them in one transaction.
 * - Nothing of a blocked device (an equivocator) from its first conflicting seq on is applied.
 * - `holdFrom` is the lowest relay seq of an op that could not be applied for a reason that may
 *   go away (a missing op before it, a chain that needs looking into): the cursor stays below it.
 * - An own fork (this device's identity, current or retired, holds another op at that seq) stops
 *   the planning: it must be resolved (identity-move.ts) before anything of the page applies.
 */
import { bytesToHex, equalBytes } from '../../../shared/sync/bytes';
import type { SyncCrypto } from '../../../shared/sync/crypto';
import { decodeOp, opHash, ZERO_HASH, type DecodedOp, type OpHeader } from '../../../shared/sync/op-envelope';
import { MAX_PAGE_OPS } from '../../../shared/sync/protocol';
import type { Db } from '../store/database';
import { prepared } from '../store/database';
import { heldEnvelopeAt, heldHashAt, raiseRelayHead, recordArrival, recordDeviceClock, recordEquivocation } from './sync-store';

export interface IncomingOp {
  bytes: Uint8Array;
  /** The relay's number for it; null for ops that did not come in relay order. */
  relaySeq: number | null;
}

export interface PlannedOp extends IncomingOp {
  header: OpHeader;
  hash: Uint8Array;
  /** The parse of `bytes`, handed on to core.ingest so the page is not parsed and hashed twice. */
  decoded: DecodedOp;
}

export interface NeedRange {
  device: string;
  fromSeq: number;
  toSeq: number;
}

export interface Evidence {
  device: string;
  seq: number;
  heldHash: Uint8Array;
  heldEnvelope: Uint8Array | null;
  offeredHash: Uint8Array;
  offeredEnvelope: Uint8Array;
}

export interface IntakePlan {
  apply: PlannedOp[];
  /** Per device, the highest seq this page proves the relay holds. */
  relayHolds: Map<string, number>;
  fork: { device: string; seq: number } | null;
  evidence: Evidence[];
  needs: NeedRange[];
  holdFrom: number | null;
  /** Highest relay seq in the page. */
  maxRelaySeq: number | null;
  /** Ops that are not ops of this incident at all (a relay fault): reported, never applied. */
  refused: string[];
}

interface SimHead {
  seq: number;
  hash: Uint8Array;
}

export function planIntake(
  db: Db,
  crypto: SyncCrypto,
  incident: string,
  ops: readonly IncomingOp[],
  ownIdentities: ReadonlySet<string>,
  blocked: Map<string, number>,
): IntakePlan {
  const plan: IntakePlan = { apply: [], relayHolds: new Map(), fork: null, evidence: [], needs: [], holdFrom: null, maxRelaySeq: null, refused: [] };
  const heads = new Map<string, SimHead | null>();
  const headOf = (device: string): SimHead | null => {
    if (!heads.has(device)) {
      const row = prepared(db, 'SELECT head_seq, head_hash FROM devices WHERE incident = ? AND device = ?').get(incident, device) as
        | { head_seq: number; head_hash: Uint8Array }
        | undefined;
      heads.set(device, row ? { seq: row.head_seq, hash: row.head_hash } : null);
    }
    return heads.get(device)!;
  };
  const pageHashes = new Map<string, Uint8Array>();
  const hold = (op: IncomingOp) => {
    if (op.relaySeq !== null) plan.holdFrom = plan.holdFrom === null ? op.relaySeq : Math.min(plan.holdFrom, op.relaySeq);
  };

  for (const op of ops) {
    if (op.relaySeq !== null) plan.maxRelaySeq = Math.max(plan.maxRelaySeq ?? 0, op.relaySeq);
    let decoded: DecodedOp;
    try {
      decoded = decodeOp(op.bytes);
    } catch (error) {
      plan.refused.push(`relay seq ${op.relaySeq}: ${(error as Error).message}`);
      continue;
    }
    const { header } = decoded;
    if (header.incidentId !== incident) {
      plan.refused.push(`relay seq ${op.relaySeq}: op of incident ${header.incidentId} on the connection of ${incident}`);
      continue;
    }
    const { deviceId: device, seq } = header;
    plan.relayHolds.set(device, Math.max(plan.relayHolds.get(device) ?? 0, seq));
    const hash = opHash(crypto, op.bytes);
    const head = headOf(device);
    const headSeq = head?.seq ?? 0;

    // At a seq already held the op is a duplicate or evidence (kept even of a blocked device).
    if (seq <= headSeq) {
      const held = pageHashes.get(`${device}:${seq}`) ?? heldHashAt(db, incident, device, seq);
      if (held && equalBytes(held, hash)) continue;
      if (ownIdentities.has(device)) {
        plan.fork = { device, seq };
        return plan;
      }
      plan.evidence.push({
        device,
        seq,
        heldHash: held ?? new Uint8Array(0),
        heldEnvelope: heldEnvelopeAt(db, incident, device, seq) ?? null,
        offeredHash: hash,
        offeredEnvelope: op.bytes,
      });
      blocked.set(device, Math.min(blocked.get(device) ?? seq, seq));
      continue;
    }
    const blockedFrom = blocked.get(device);
    if (blockedFrom !== undefined && seq >= blockedFrom) continue;
    if (seq > headSeq + 1) {
      plan.needs.push({ device, fromSeq: headSeq + 1, toSeq: seq - 1 });
      hold(op);
      continue;
    }
    if (!equalBytes(header.prev, head?.hash ?? ZERO_HASH)) {
      // The relay's chain and ours part somewhere at or below our head: ask for the relay's ops
      // there, so the first differing seq shows up (as a fork of ours, or as evidence).
      plan.needs.push({ device, fromSeq: Math.max(1, headSeq - MAX_PAGE_OPS + 1), toSeq: headSeq });
      hold(op);
      continue;
    }
    heads.set(device, { seq, hash });
    pageHashes.set(`${device}:${seq}`, hash);
    plan.apply.push({ ...op, header, hash, decoded });
  }
  return plan;
}

/**
 * Inside the page's transaction: the evidence found, the local view marks of the ops newly stored
 * (relay seq, received-at, their author's clock offset) and what the page proves the relay holds.
 */
export function recordIntake(db: Db, incident: string, plan: IntakePlan, stored: readonly { device: string; seq: number }[], receivedAt: number): void {
  for (const e of plan.evidence) recordEquivocation(db, incident, { ...e, detectedAt: receivedAt });
  const planned = new Map(plan.apply.map((op) => [`${op.header.deviceId}:${op.header.seq}`, op]));
  // A device's clock offset is the one its latest op in the page reports: written once per device.
  const clocks = new Map<string, number>();
  for (const op of stored) {
    const came = planned.get(`${op.device}:${op.seq}`);
    recordArrival(db, incident, op.device, op.seq, came?.relaySeq ?? null, receivedAt);
    if (came) clocks.set(op.device, came.header.clockOffsetMs);
  }
  for (const [device, offsetMs] of clocks) recordDeviceClock(db, incident, device, offsetMs, receivedAt);
  for (const [device, seq] of plan.relayHolds) raiseRelayHead(db, incident, device, seq);
}

export const describeHash = (hash: Uint8Array): string => (hash.length ? bytesToHex(hash).slice(0, 16) : '(unknown)');
