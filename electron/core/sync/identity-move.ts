/**
 * Moving this device's forked ops to its current identity (DESIGN.md §5 "Restore, clones,
 * equivocation"): when the relay holds a different op at one of this device's seqs (a restored
 * data folder wrote again, or a clone wrote with the same key), the ops from that seq on are
 * taken off the old identity's chain and re-signed, in order, as new ops of the current identity.
 *
 * Invariants:
 * - No lost op: every moved payload is re-signed in the same transaction that removes the forked
 *   op, so the transaction leaves both or neither; references to a moved op ("device:seq" in
 *   `pred`, system entry ids "device:seq/i") are rewritten to the op's new id.
 * - Nothing equivocates: the old identity's chain is cut back to the seq before the fork, and the
 *   key that signed the forked ops never signs again (the caller rotates the identity first when
 *   the fork is on the current one; a retired key is not kept).
 * - Chains intact: the cut chain is a prefix of what was held; the new ops extend the current
 *   identity's chain; the materialised tables are rebuilt from the op log afterwards.
 */
import { SitrepError } from '../../../shared/errors';
import type { OpPayload } from '../../../shared/model/op-payload';
import { utf8Decode } from '../../../shared/sync/bytes';
import { issueCertificate } from '../../../shared/sync/incident-keys';
import { decodeOp, openOpPayload } from '../../../shared/sync/op-envelope';
import type { CoreContext } from '../core-context';
import { appendOp } from '../op-log';
import { prepared } from '../store/database';
import { rebuildStore } from '../store/rebuild';
import { recordIdentityMove, type IdentityMove } from './sync-store';

/** Replaces every string naming a moved op ("dev:seq" or "dev:seq/i") by the op's new id. */
function rewriteReferences(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const slash = value.indexOf('/');
    const opId = slash < 0 ? value : value.slice(0, slash);
    const moved = renamed.get(opId);
    return moved === undefined ? value : moved + (slash < 0 ? '' : value.slice(slash));
  }
  if (Array.isArray(value)) return value.map((v) => rewriteReferences(v, renamed));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteReferences(v, renamed)]));
  }
  return value;
}

/**
 * Runs inside the caller's transaction. Moves `fromDevice`'s ops at `fromSeq` and above to the
 * current identity (which must differ from `fromDevice`); returns what was moved, or null.
 */
export function moveForkedOps(ctx: CoreContext, incident: string, fromDevice: string, fromSeq: number, reason: string): IdentityMove | null {
  const { db, crypto, keys } = ctx;
  if (fromDevice === keys.deviceId) throw new SitrepError('internal', 'rotate the device identity before moving its forked ops');
  const access = ctx.incidentKeys(incident);
  if (access?.access !== 'write') throw new SitrepError('read-only', `this device cannot re-sign ops of incident ${incident}: it holds no write secret`);
  const rows = prepared(db, 'SELECT seq, envelope FROM ops WHERE incident = ? AND device = ? AND seq >= ? ORDER BY seq').all(
    incident,
    fromDevice,
    fromSeq,
  ) as { seq: number; envelope: Uint8Array }[];
  if (rows.length === 0) return null;
  const payloads = rows.map((r) => ({ seq: r.seq, json: JSON.parse(utf8Decode(openOpPayload(crypto, decodeOp(r.envelope), access.keys.contentKey))) as unknown }));

  prepared(db, 'DELETE FROM ops WHERE incident = ? AND device = ? AND seq >= ?').run(incident, fromDevice, fromSeq);
  prepared(db, 'DELETE FROM op_arrivals WHERE incident = ? AND device = ? AND seq >= ?').run(incident, fromDevice, fromSeq);
  const before = prepared(db, 'SELECT hash FROM ops WHERE incident = ? AND device = ? AND seq = ?').get(incident, fromDevice, fromSeq - 1) as
    | { hash: Uint8Array }
    | undefined;
  if (before) prepared(db, 'UPDATE devices SET head_seq = ?, head_hash = ? WHERE incident = ? AND device = ?').run(fromSeq - 1, before.hash, incident, fromDevice);
  else prepared(db, 'DELETE FROM devices WHERE incident = ? AND device = ?').run(incident, fromDevice);

  const renamed = new Map<string, string>();
  for (const { seq, json } of payloads) {
    const payload = rewriteReferences(json, renamed) as OpPayload;
    const stored = appendOp(ctx, incident, keys.deviceKey, access.keys.contentKey, payload, () =>
      issueCertificate(access.keys.writeAuthority, keys.deviceKey.publicKey, incident),
    );
    renamed.set(`${fromDevice}:${seq}`, `${stored.device}:${stored.seq}`);
  }
  const move: IdentityMove = { fromDevice, fromSeq, toDevice: keys.deviceId, ops: rows.length, reason, movedAt: ctx.now() };
  recordIdentityMove(db, incident, move);
  rebuildStore(db, crypto, (id) => ctx.incidentKeys(id)?.keys.contentKey);
  ctx.touched.add(incident);
  return move;
}
