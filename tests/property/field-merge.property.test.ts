/**
 * The field merge rule (DESIGN.md §4) as properties of `resolveField`, over random causal histories.
 *
 * A history is built write by write: each device keeps what it has seen (causally closed: seeing a
 * write means seeing everything it superseded), a new write first takes in a random subset of the
 * earlier writes, then names as `pred` the heads of what its author has seen. HLCs are random and
 * independent of causality (clocks far behind included), as a device with a wrong clock makes them.
 */
import fc from 'fast-check';
import { compareWrites, resolveField, type FieldWriteRecord } from '../../shared/sync/field-merge';
import type { Hlc } from '../../shared/sync/hlc';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 300);
/** About half a millisecond a run; the soak's 10,000 need more than the default 30 s on a loaded machine. */
const timeout = Math.max(30_000, numRuns * 20);

const DEVICES = ['0a'.repeat(16), '5c'.repeat(16), '93'.repeat(16), 'f1'.repeat(16)];
const VALUES = ['P0', 'P1', 'P2', 'P3'];
/** Around 2026-11-29; "far behind" goes back ten days, ahead a few minutes. */
const NOW = Date.UTC(2026, 10, 29, 14);
const DAY = 86_400_000;

interface Step {
  author: number;
  /** Bit i: the author takes in earlier write i before writing (only earlier writes count). */
  sees: boolean[];
  hlc: Hlc;
  value: string;
}

const hlcArb: fc.Arbitrary<Hlc> = fc.record({
  ms: fc.oneof(
    fc.integer({ min: NOW - 10 * DAY, max: NOW - DAY }), // a clock far behind
    fc.integer({ min: NOW - 2_000, max: NOW + 2_000 }), // close together: ties in ms happen
    fc.constantFrom(NOW, NOW + 1), // exact ties
    fc.integer({ min: NOW, max: NOW + 15 * 60_000 }), // a clock ahead
  ),
  counter: fc.integer({ min: 0, max: 3 }),
});

const stepArb = (devices: number): fc.Arbitrary<Step> =>
  fc.record({
    author: fc.integer({ min: 0, max: devices - 1 }),
    sees: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
    hlc: hlcArb,
    value: fc.constantFrom(...VALUES),
  });

const stepsArb = fc
  .integer({ min: 1, max: DEVICES.length })
  .chain((devices) => fc.array(stepArb(devices), { minLength: 1, maxLength: 16 }));

/** Every write its pred names, transitively, plus the write itself. */
function closure(ids: Iterable<string>, byId: Map<string, FieldWriteRecord>, into = new Set<string>()): Set<string> {
  const stack = [...ids];
  while (stack.length) {
    const id = stack.pop()!;
    if (into.has(id)) continue;
    into.add(id);
    stack.push(...byId.get(id)!.pred);
  }
  return into;
}

/** The writes of `ids` that no write of `ids` names in pred. */
function headsOf(ids: Set<string>, byId: Map<string, FieldWriteRecord>): string[] {
  const named = new Set<string>();
  for (const id of ids) for (const p of byId.get(id)!.pred) named.add(p);
  return [...ids].filter((id) => !named.has(id)).sort();
}

/** Builds a causal history: pred is always the heads of what the author had seen. */
function buildHistory(steps: readonly Step[]): FieldWriteRecord[] {
  const writes: FieldWriteRecord[] = [];
  const byId = new Map<string, FieldWriteRecord>();
  const seen = DEVICES.map(() => new Set<string>());
  const seqs = DEVICES.map(() => 0);
  const used = new Set<string>();
  steps.forEach((step, i) => {
    const known = seen[step.author];
    closure(writes.filter((_, j) => step.sees[j % step.sees.length] && j < i).map((w) => w.opId), byId, known);
    const device = DEVICES[step.author];
    // A device never stamps two of its ops with one HLC (its clock is strictly monotonic).
    let hlc = step.hlc;
    while (used.has(`${device}@${hlc.ms}.${hlc.counter}`)) hlc = { ms: hlc.ms, counter: hlc.counter + 1 };
    used.add(`${device}@${hlc.ms}.${hlc.counter}`);
    const write: FieldWriteRecord = {
      opId: `${device}:${++seqs[step.author]}`,
      device,
      hlc,
      value: step.value,
      pred: headsOf(known, byId),
    };
    writes.push(write);
    byId.set(write.opId, write);
    known.add(write.opId);
  });
  return writes;
}

/** What a replica receives: the writes in some order, some of them more than once. */
const deliveryArb = (writes: readonly FieldWriteRecord[]): fc.Arbitrary<FieldWriteRecord[]> =>
  fc
    .tuple(
      fc.shuffledSubarray([...writes], { minLength: writes.length, maxLength: writes.length }),
      fc.array(fc.nat({ max: writes.length - 1 }), { maxLength: writes.length }),
      fc.array(fc.nat(), { maxLength: writes.length }),
    )
    .map(([order, duplicates, positions]) => {
      const out = [...order];
      duplicates.forEach((d, i) => out.splice((positions[i] ?? 0) % (out.length + 1), 0, writes[d]));
      return out;
    });

/** The rule written out independently: heads, highest (HLC, device) head, conflicted iff the heads disagree. */
function expected(writes: readonly FieldWriteRecord[]) {
  const unique = new Map(writes.map((w) => [w.opId, w]));
  const named = new Set([...unique.values()].flatMap((w) => w.pred));
  const heads = [...unique.values()].filter((w) => !named.has(w.opId));
  const winner = heads.reduce((best, w) => (compareWrites(w, best) > 0 ? w : best));
  return {
    winner: winner.opId,
    value: winner.value,
    heads: heads.map((h) => h.opId).sort(),
    conflicted: new Set(heads.map((h) => JSON.stringify(h.value))).size > 1,
  };
}

function observed(writes: readonly FieldWriteRecord[]) {
  const r = resolveField(writes);
  if (!r) throw new Error('resolveField returned null for a non-empty history');
  return { winner: r.winner.opId, value: r.winner.value, heads: [...new Set(r.heads.map((h) => h.opId))].sort(), conflicted: r.conflicted };
}

const historyArb = stepsArb.map(buildHistory);

describe(`field merge (seed ${seed}, ${numRuns} runs)`, () => {
  test(`same writes in any order and with duplicates give the same value and flag [seed ${seed}]`, () => {
    fc.assert(
      fc.property(
        historyArb.chain((writes) => fc.tuple(fc.constant(writes), deliveryArb(writes), deliveryArb(writes))),
        ([writes, replicaA, replicaB]) => {
          const reference = observed(writes);
          expect(reference).toEqual(expected(writes));
          expect(observed(replicaA)).toEqual(reference);
          expect(observed(replicaB)).toEqual(reference);
        },
      ),
      { seed, numRuns },
    );
  }, timeout);

  test(`a write made after seeing a value beats it whatever the clocks [seed ${seed}]`, () => {
    fc.assert(
      fc.property(
        historyArb,
        fc.integer({ min: 0, max: DEVICES.length - 1 }),
        fc.integer({ min: 1, max: 10 * DAY }),
        fc.constantFrom(...VALUES),
        fc.nat(),
        (writes, author, behind, value, order) => {
          const device = DEVICES[author];
          const seq = writes.filter((w) => w.device === device).length + 1;
          const lowest = writes.reduce((min, w) => Math.min(min, w.hlc.ms), Number.MAX_SAFE_INTEGER);
          // Seen everything, and stamped by a clock behind every other write: lower HLC than all.
          const later: FieldWriteRecord = {
            opId: `${device}:${seq}`,
            device,
            hlc: { ms: Math.max(0, lowest - behind), counter: 0 },
            value,
            pred: expected(writes).heads,
          };
          const all = [...writes];
          all.splice(order % (all.length + 1), 0, later);
          const r = resolveField(all)!;
          expect(r.winner.opId).toBe(later.opId);
          expect(r.winner.value).toBe(value);
          expect(r.heads.map((h) => h.opId)).toEqual([later.opId]);
          expect(r.conflicted).toBe(false);
          // And more generally: no write some other write has seen is ever the value.
          const byId = new Map(writes.map((w) => [w.opId, w]));
          for (const w of writes) {
            const seenBySomeone = writes.some((o) => o !== w && closure(o.pred, byId).has(w.opId));
            if (seenBySomeone) expect(resolveField(writes)!.heads.map((h) => h.opId)).not.toContain(w.opId);
          }
        },
      ),
      { seed, numRuns },
    );
  }, timeout);

  test(`concurrent writes are flagged identically on every replica [seed ${seed}]`, () => {
    fc.assert(
      fc.property(
        historyArb
          // A replica may hold any part of the history (delivery across devices is not causal).
          .chain((writes) => fc.subarray(writes, { minLength: 1 }))
          .chain((held) => fc.tuple(fc.constant(held), fc.array(deliveryArb(held), { minLength: 1, maxLength: 4 }))),
        ([held, replicas]) => {
          const unique = new Map(held.map((w) => [w.opId, w]));
          const named = new Set(held.flatMap((w) => w.pred));
          const heads = [...unique.values()].filter((w) => !named.has(w.opId));
          const concurrent = heads.length > 1 && new Set(heads.map((h) => h.value)).size > 1;
          for (const replica of [held, ...replicas]) {
            const r = resolveField(replica)!;
            expect(r.conflicted).toBe(concurrent);
            expect(r.winner.opId).toBe(expected(held).winner);
          }
        },
      ),
      { seed, numRuns },
    );
  }, timeout);
});
