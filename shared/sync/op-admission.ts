/**
 * Whether a store may take an op, given what it holds of that device and incident: the one rule
 * every holder applies (the core on ingest, the relay on push), so they never disagree.
 *
 * Invariants: an op at a seq already held is a duplicate when its hash matches and equivocation
 * when it does not (both hashes are reported, for evidence); seq must be the next after the head
 * (a gap is reported with the seq expected); nothing but a genesis is taken for an incident
 * without one, and a second genesis is refused; then verifyOp checks signature, device id,
 * certificate or write authority, and chain. Throws OpError; ChainError when the chain is the issue.
 *
 * A page of catch-up (admitPage) is authenticated as DESIGN.md §5 "Verification cost" says:
 * every op's hash link is checked, every seq 1 is verified whole (certificate or write authority
 * included), and of the ops after, only the signature of each device's last op in the page; all
 * of it before the caller applies anything. An op's hash covers every byte of it, signature
 * included, and each op names its predecessor's hash, so the last op's signature vouches for every
 * op of its device in the page, back to a head already verified and stored: an op changed anywhere
 * breaks the next op's link, and relinking the ops after it changes the last one, whose signature
 * then fails. Live ops and pushes are checked one by one (admitOp's default).
 */
import type { SyncCrypto } from './crypto';
import { bytesToHex, equalBytes } from './bytes';
import { describeOp, verifyOp, verifyOpSignature, type DecodedOp } from './op-envelope';
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

/** `signatureChecked` is false only for an op admitted with its signature deferred (see AdmitOptions). */
export type Admission = { kind: 'duplicate' } | { kind: 'new'; devicePublicKey: Uint8Array; signatureChecked: boolean };

export interface AdmitOptions {
  /**
   * 'each' (the default): the op is verified whole. 'deferred': an op past seq 1 gets every check
   * but its signature (its chain link to the head included); the caller must then check the
   * signature of a later op of the device whose chain runs through this one before applying any
   * of them, as admitPage does. A seq 1 is verified whole either way.
   */
  signature?: 'each' | 'deferred';
}

export function admitOp(c: SyncCrypto, decoded: DecodedOp, hash: Uint8Array, ctx: AdmissionContext, options: AdmitOptions = {}): Admission {
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
  if (options.signature === 'deferred' && h.seq > 1 && ctx.head) {
    // Past seq 1 the key is the held head's, verified when its seq 1 was; only the link is left.
    if (!equalBytes(h.prev, ctx.head.hash)) {
      throw new OpError(
        'bad-chain',
        `${describeOp(h)}: prev ${bytesToHex(h.prev).slice(0, 16)}… is not the previous op's hash, expected ${bytesToHex(ctx.head.hash).slice(0, 16)}…`,
      );
    }
    return { kind: 'new', devicePublicKey, signatureChecked: false };
  }
  verifyOp(c, decoded, {
    devicePublicKey,
    writeAuthorityPublicKey: ctx.writeAuthority ?? devicePublicKey,
    previousHash: ctx.head?.hash ?? null,
  });
  return { kind: 'new', devicePublicKey, signatureChecked: true };
}

/** An op of a page: parsed, with its hash (opHash). */
export interface PageOp {
  decoded: DecodedOp;
  hash: Uint8Array;
}

/** What a store holds before a page, per incident and device. */
export interface HeldState {
  head(incident: string, device: string): HeldHead | undefined;
  heldHashAt(incident: string, device: string, seq: number): Uint8Array | undefined;
  writeAuthority(incident: string): Uint8Array | undefined;
}

/**
 * Authenticates a page of catch-up (see the top of this file) and returns each op's admission, in
 * page order. Each op is admitted against what is held plus the ops before it in the page (so a
 * genesis in the page gives the incident its write authority, and a device's ops follow each
 * other); then the last new op of each device, unless its seq 1 was verified whole, has its
 * signature checked. Throws the first failure (OpError, or ChainError for gaps, equivocation and
 * genesis rules); nothing of the page may be applied then.
 */
export function admitPage(c: SyncCrypto, ops: readonly PageOp[], held: HeldState): Admission[] {
  const heads = new Map<string, HeldHead | undefined>();
  const hashes = new Map<string, Uint8Array>();
  const authorities = new Map<string, Uint8Array | undefined>();
  /** Per device, the last op admitted (index into ops) and the first seq of its run in the page. */
  const runs = new Map<string, { last: number; fromSeq: number }>();
  const admissions = ops.map(({ decoded, hash }, index): Admission => {
    const { incidentId: incident, deviceId: device, seq } = decoded.header;
    const key = `${incident}/${device}`;
    if (!heads.has(key)) heads.set(key, held.head(incident, device));
    if (!authorities.has(incident)) authorities.set(incident, held.writeAuthority(incident));
    const admission = admitOp(
      c,
      decoded,
      hash,
      {
        head: heads.get(key),
        heldHashAt: (at) => hashes.get(`${key}/${at}`) ?? held.heldHashAt(incident, device, at),
        writeAuthority: authorities.get(incident),
      },
      { signature: 'deferred' },
    );
    if (admission.kind === 'new') {
      heads.set(key, { publicKey: admission.devicePublicKey, seq, hash });
      hashes.set(`${key}/${seq}`, hash);
      if (decoded.header.type === 'genesis') authorities.set(incident, admission.devicePublicKey);
      runs.set(key, { last: index, fromSeq: runs.get(key)?.fromSeq ?? seq });
    }
    return admission;
  });
  for (const [key, run] of runs) {
    const admission = admissions[run.last];
    if (admission.kind !== 'new' || admission.signatureChecked) continue;
    const { decoded } = ops[run.last];
    if (!verifyOpSignature(c, decoded, admission.devicePublicKey)) {
      const h = decoded.header;
      throw new OpError(
        'bad-signature',
        `${describeOp(h)}: signature at offset ${decoded.signedBytes.length} does not verify with device key ${bytesToHex(admission.devicePublicKey).slice(0, 16)}…; ` +
          `as its device's last op in the page it vouches for seqs ${run.fromSeq}..${h.seq} of ${key}, none of which is taken`,
      );
    }
  }
  return admissions;
}
