/**
 * What this store and the relay hold of each device, compared by heads (seq and hash), as plain
 * functions of the database (DESIGN.md §5 "Relay": what the relay lacks, the client uploads; what
 * the client lacks, it asks for).
 *
 * Invariants:
 * - A push page continues each device's chain from what the relay holds: the genesis first, each
 *   device's ops in seq order, at most `limit` ops and one frame's bytes; a device whose chain
 *   differs from the relay's, or an equivocator past its fork, is never pushed.
 * - This device's own ops the relay holds and this store lacks are asked for first (a restored
 *   store), before anything it writes could take their seqs.
 */
import { equalBytes } from '../../../shared/sync/bytes';
import { MAX_FRAME_BYTES, MAX_PAGE_OPS } from '../../../shared/sync/protocol';
import type { Db } from '../store/database';
import type { NeedRange } from './op-intake';
import { deviceOps, genesisOf, heldHashAt, heldHeads } from './sync-store';

/** Room kept in a push frame for its header and per-op lengths. */
const PUSH_FRAME_RESERVE_BYTES = 64 * 1024;
const BLOB_LENGTH_BYTES = 4;

export interface HeadComparison {
  /** This device's own ops to download before anything else. */
  ownNeeds: NeedRange[];
  /** Devices whose op at a seq both hold differs: the relay's ops up to there, to find the fork. */
  divergent: Map<string, NeedRange>;
}

/** Compares the relay's heads (its welcome) with this store's. */
export function compareHeads(
  db: Db,
  incident: string,
  relay: ReadonlyMap<string, { seq: number; hash: Uint8Array }>,
  own: ReadonlySet<string>,
): HeadComparison {
  const ours = new Map(heldHeads(db, incident).map((h) => [h.device, h.seq]));
  const result: HeadComparison = { ownNeeds: [], divergent: new Map() };
  for (const [device, theirs] of relay) {
    const mySeq = ours.get(device) ?? 0;
    if (theirs.seq > mySeq) {
      if (own.has(device)) result.ownNeeds.push({ device, fromSeq: mySeq + 1, toSeq: theirs.seq });
      continue;
    }
    if (theirs.seq === 0) continue;
    const mine = heldHashAt(db, incident, device, theirs.seq);
    if (!mine || !equalBytes(mine, theirs.hash)) {
      result.divergent.set(device, { device, fromSeq: Math.max(1, theirs.seq - MAX_PAGE_OPS + 1), toSeq: theirs.seq });
    }
  }
  return result;
}

/** Where the relay holds more of a device than this store (an equivocator only up to its fork). */
export function missingHere(db: Db, incident: string, relayHave: ReadonlyMap<string, number>, blocked: ReadonlyMap<string, number>): NeedRange[] {
  const ours = new Map(heldHeads(db, incident).map((h) => [h.device, h.seq]));
  const missing: NeedRange[] = [];
  for (const [device, seq] of relayHave) {
    const top = Math.min(seq, (blocked.get(device) ?? Infinity) - 1);
    const mine = ours.get(device) ?? 0;
    if (top > mine) missing.push({ device, fromSeq: mine + 1, toSeq: top });
  }
  return missing;
}

/** The next page of what the relay lacks, by heads; empty when it lacks nothing this store may push. */
export function nextPushPage(
  db: Db,
  incident: string,
  relayHave: ReadonlyMap<string, number>,
  skip: ReadonlySet<string>,
  blocked: ReadonlyMap<string, number>,
  limit: number,
): Uint8Array[] {
  const genesisDevice = genesisOf(db, incident)?.device;
  const heads = heldHeads(db, incident).sort((a, b) => Number(b.device === genesisDevice) - Number(a.device === genesisDevice));
  const budget = MAX_FRAME_BYTES - PUSH_FRAME_RESERVE_BYTES;
  const blobs: Uint8Array[] = [];
  let bytes = 0;
  for (const head of heads) {
    if (skip.has(head.device)) continue;
    const top = Math.min(head.seq, (blocked.get(head.device) ?? Infinity) - 1);
    const from = (relayHave.get(head.device) ?? 0) + 1;
    if (from > top) continue;
    for (const op of deviceOps(db, incident, head.device, from, Math.min(top - from + 1, limit - blobs.length))) {
      const size = BLOB_LENGTH_BYTES + op.envelope.length;
      if (blobs.length > 0 && bytes + size > budget) return blobs;
      blobs.push(op.envelope);
      bytes += size;
    }
    if (blobs.length >= limit) return blobs;
  }
  return blobs;
}
