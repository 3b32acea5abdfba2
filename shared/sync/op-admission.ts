/**
 * Whether a store may take an op, given what it holds of that device and incident: the one rule
 * every holder applies (the core on ingest, the relay on push), so they never disagree.
 *
 * Invariants: an op at a seq already held is a duplicate when its hash matches and equivocation
 * when it does not (both hashes are reported, for evidence); seq must be the next after the head
 * (a gap is reported with the seq expected); nothing but a genesis is taken for an incident
 * without one, and a second genesis is refused; then verifyOp checks signature, device id,
 * certificate or write authority, and chain. Throws OpError; ChainError when the chain is the issue.
 */
import type { SyncCrypto } from './crypto';
import { bytesToHex, equalBytes } from './bytes';
import { describeOp, verifyOp, type DecodedOp } from './op-envelope';
import { OpError } from './op-error';

export interface HeldHead {
  publicKey: Uint8Array;
  seq: number;
  hash: Uint8Array;
}

export interface AdmissionContext {
  /** What the store holds of this op's device in this incident. */
  head: HeldHead | undefined;
  /** The hash of the op held at a seq at or below the head. */
  heldHashAt(seq: number): Uint8Array | undefined;
  /** The incident's write authority, from its stored genesis; undefined before the genesis. */
  writeAuthority: Uint8Array | undefined;
}

export type ChainConflict =
  | { kind: 'gap'; expectedSeq: number }
  | { kind: 'equivocation'; seq: number; heldHash: string; offeredHash: string }
  | { kind: 'no-genesis' }
  | { kind: 'second-genesis' };

export class ChainError extends OpError {
  readonly conflict: ChainConflict;
  constructor(conflict: ChainConflict, message: string) {
    super('bad-chain', message);
    this.conflict = conflict;
  }
}

export type Admission = { kind: 'duplicate' } | { kind: 'new'; devicePublicKey: Uint8Array };

export function admitOp(c: SyncCrypto, decoded: DecodedOp, hash: Uint8Array, ctx: AdmissionContext): Admission {
  const h = decoded.header;
  const headSeq = ctx.head?.seq ?? 0;
  if (h.seq <= headSeq) {
    const held = ctx.heldHashAt(h.seq);
    if (held && equalBytes(held, hash)) return { kind: 'duplicate' };
    throw new ChainError(
      { kind: 'equivocation', seq: h.seq, heldHash: held ? bytesToHex(held) : '(unknown)', offeredHash: bytesToHex(hash) },
      `equivocation: device ${h.deviceId} already has a different op at seq ${h.seq} in incident ${h.incidentId}`,
    );
  }
  if (h.seq !== headSeq + 1) {
    throw new ChainError(
      { kind: 'gap', expectedSeq: headSeq + 1 },
      `gap: device ${h.deviceId} is at seq ${headSeq} in incident ${h.incidentId}, this op is seq ${h.seq}`,
    );
  }
  if (h.type === 'genesis' && ctx.writeAuthority) {
    throw new ChainError({ kind: 'second-genesis' }, `incident ${h.incidentId} already has a genesis by another write authority`);
  }
  if (h.type !== 'genesis' && !ctx.writeAuthority) {
    throw new ChainError({ kind: 'no-genesis' }, `incident ${h.incidentId} has no genesis yet; its genesis op must come first`);
  }
  const devicePublicKey = h.devicePublicKey ?? ctx.head?.publicKey;
  if (!devicePublicKey) throw new OpError('bad-chain', `${describeOp(h)}: no public key known for this device`);
  verifyOp(c, decoded, {
    devicePublicKey,
    writeAuthorityPublicKey: ctx.writeAuthority ?? devicePublicKey,
    previousHash: ctx.head?.hash ?? null,
  });
  return { kind: 'new', devicePublicKey };
}
