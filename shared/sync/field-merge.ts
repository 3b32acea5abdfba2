/**
 * The merge rule for replicated fields (DESIGN.md §4), as a pure function of the set of writes.
 *
 * Invariants:
 * - A write is superseded when another write of the same field names it in `pred`: a value set after
 *   seeing another always wins, whatever the clocks.
 * - Among the writes nobody supersedes (the heads), the highest (HLC, device) is the value.
 * - More than one head with different values means the field was changed concurrently; every
 *   replica holding the same writes computes the same value and the same flag, in any order.
 */
import { compareHlc, type Hlc } from './hlc';
import { canonicalJson } from './canonical-json';

export interface FieldWriteRecord {
  opId: string;
  device: string;
  hlc: Hlc;
  value: unknown;
  pred: readonly string[];
}

export interface FieldResolution<W extends FieldWriteRecord = FieldWriteRecord> {
  winner: W;
  /** Writes nobody supersedes, highest (HLC, device) first. */
  heads: W[];
  conflicted: boolean;
}

export const compareWrites = (a: FieldWriteRecord, b: FieldWriteRecord): number =>
  compareHlc(a.hlc, b.hlc) || (a.device < b.device ? -1 : a.device > b.device ? 1 : 0);

export function resolveField<W extends FieldWriteRecord>(writes: readonly W[]): FieldResolution<W> | null {
  if (writes.length === 0) return null;
  const superseded = new Set<string>();
  for (const w of writes) for (const p of w.pred) superseded.add(p);
  const heads = writes.filter((w) => !superseded.has(w.opId)).sort((a, b) => compareWrites(b, a));
  // A cycle of preds can only come from a forged history; fall back to plain highest-wins.
  const candidates = heads.length > 0 ? heads : [...writes].sort((a, b) => compareWrites(b, a));
  const values = new Set(candidates.map((w) => canonicalJson(w.value)));
  return { winner: candidates[0], heads: candidates, conflicted: values.size > 1 };
}
