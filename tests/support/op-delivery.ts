/**
 * Delivering signed ops the way a relay may: any interleaving that keeps each device's own seq
 * order (the incident's genesis first), with duplicates, in pages of any size. Deterministic for a
 * given PRNG seed, so a property failure replays from fast-check's seed alone.
 */
import { decodeOp, type OpHeader } from '../../shared/sync/op-envelope';

export const headerOf = (bytes: Uint8Array): OpHeader => decodeOp(bytes).header;

/** mulberry32: a small deterministic PRNG; `next()` is uniform in [0, 1). */
export function prng(seed: number): { next(): number; int(maxExclusive: number): number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (max) => Math.floor(next() * max) };
}

export interface Chains {
  genesis: Uint8Array;
  /** Per author device, its ops in seq order, each (device, seq) once. */
  chains: Uint8Array[][];
}

/** Splits the union of several replicas' ops into the genesis and one seq-ordered chain per device. */
export function chainsOf(...opSets: readonly (readonly Uint8Array[])[]): Chains {
  let genesis: Uint8Array | undefined;
  const byDevice = new Map<string, Map<number, Uint8Array>>();
  for (const ops of opSets) {
    for (const bytes of ops) {
      const h = headerOf(bytes);
      if (h.type === 'genesis') {
        genesis ??= bytes;
        continue;
      }
      const chain = byDevice.get(h.deviceId) ?? new Map<number, Uint8Array>();
      chain.set(h.seq, bytes);
      byDevice.set(h.deviceId, chain);
    }
  }
  if (!genesis) throw new Error('no genesis among the ops');
  const chains = [...byDevice.keys()].sort().map((device) => {
    const chain = byDevice.get(device)!;
    const seqs = [...chain.keys()].sort((a, b) => a - b);
    seqs.forEach((s, i) => {
      if (s !== i + 1) throw new Error(`device ${device} has a gap before seq ${s}`);
    });
    return seqs.map((s) => chain.get(s)!);
  });
  return { genesis, chains };
}

/**
 * One relay delivery: the genesis, then the chains merged at random (each chain's order kept),
 * with about `duplicateRate` of the ops repeated later (a duplicate only of an op already sent).
 */
export function interleave({ genesis, chains }: Chains, seed: number, duplicateRate = 0.15): Uint8Array[] {
  const rand = prng(seed);
  const cursors = chains.map(() => 0);
  const out: Uint8Array[] = [genesis];
  const remaining = () => chains.map((c, i) => i).filter((i) => cursors[i] < chains[i].length);
  for (let open = remaining(); open.length > 0; open = remaining()) {
    const i = open[rand.int(open.length)];
    out.push(chains[i][cursors[i]++]);
    if (rand.next() < duplicateRate) out.push(out[rand.int(out.length)]);
  }
  return out;
}

/** Cuts a delivery into pages of 1..maxPage ops. */
export function pages(ops: readonly Uint8Array[], seed: number, maxPage = 12): Uint8Array[][] {
  const rand = prng(seed);
  const out: Uint8Array[][] = [];
  for (let i = 0; i < ops.length; ) {
    const size = 1 + rand.int(maxPage);
    out.push(ops.slice(i, i + size));
    i += size;
  }
  return out;
}

/** A copy of `bytes` with one bit flipped. */
export function flipBit(bytes: Uint8Array, byteOffset: number, bit = 0): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[byteOffset] ^= 1 << bit;
  return copy;
}
