/**
 * Random scenarios for the network simulator, and running one: 2–6 replicas with clocks up to
 * ±2 h off, a relay host whose clock may be as far off, a script of commands interleaved with
 * faults (partitions, connection resets, client crashes, relay crashes with or without their data,
 * moves to another relay, ops carried by hand, device and relay host clocks jumping), then
 * healing, settling, writes made after seeing everything, and settling again.
 */
import fc from 'fast-check';
import { cmdArb } from './commands';
import { enterDeterminism } from './determinism';
import { assertNothingUntoward } from './invariants';
import { World, type Action, type FinalWrite, type ReplicaPlan, type Scenario, type Step } from './world';

const SECOND = 1_000;
const HOUR = 3_600_000;
const MAX_REPLICAS = 6;
const replica = fc.nat({ max: MAX_REPLICAS - 1 });

/** Clocks: right, a little off, or up to two hours either way (often exactly the extremes). */
const skewArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: -90 * SECOND, max: 90 * SECOND }) },
  { weight: 3, arbitrary: fc.integer({ min: -2 * HOUR, max: 2 * HOUR }) },
  { weight: 2, arbitrary: fc.constantFrom(-2 * HOUR, 2 * HOUR) },
);

const downArb = fc.integer({ min: 0, max: 30 * SECOND });

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  // A burst of one to three commands on one replica, in the same millisecond.
  { weight: 30, arbitrary: fc.record({ a: fc.constant('cmd' as const), replica, cmds: fc.array(cmdArb, { minLength: 1, maxLength: 3 }) }) },
  {
    weight: 3,
    arbitrary: fc.record({ a: fc.constant('partition' as const), replicas: fc.uniqueArray(replica, { minLength: 1, maxLength: 3 }) }),
  },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('isolateRelay' as const) }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant('heal' as const) }) },
  { weight: 3, arbitrary: fc.record({ a: fc.constant('reset' as const), replica }) },
  { weight: 2, arbitrary: fc.record({ a: fc.constant('crash' as const), replica, downMs: downArb }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('relayCrash' as const), downMs: downArb, wipe: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('moveRelay' as const), skewMs: skewArb, lagMs: fc.integer({ min: 0, max: 20 * SECOND }) }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('bundle' as const), from: replica, to: replica }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('clockJump' as const), replica, skewMs: skewArb }) },
  { weight: 1, arbitrary: fc.record({ a: fc.constant('relayClockJump' as const), skewMs: skewArb }) },
);

/** Time between steps: none (same-ms HLCs), a round trip, seconds, or long enough for heartbeats to give up. */
const advanceArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 3, arbitrary: fc.integer({ min: 300, max: 5 * SECOND }) },
  { weight: 1, arbitrary: fc.integer({ min: 5 * SECOND, max: 30 * SECOND }) },
);

const stepArb: fc.Arbitrary<Step> = fc.record({ advanceMs: advanceArb, action: actionArb });

const replicaPlanArb: fc.Arbitrary<ReplicaPlan> = fc.record({
  skewMs: skewArb,
  // One in five joins as an observer (replica 0, the declarer, is always a writer).
  observer: fc.nat({ max: 4 }).map((n) => n === 0),
  joinAt: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat({ max: 45 }) }),
});

const finalWriteArb: fc.Arbitrary<FinalWrite> = fc.record({
  field: fc.constantFrom('severity' as const, 'status' as const, 'title' as const, 'role' as const, 'checklist' as const, 'task' as const),
  writer: fc.oneof(fc.constant('slowest-clock' as const), fc.nat({ max: MAX_REPLICAS - 1 })),
  offline: fc.boolean(),
});

export function scenarioArb(steps: { min: number; max: number }): fc.Arbitrary<Scenario> {
  return fc.record({
    seed: fc.integer(),
    relaySkewMs: skewArb,
    replicas: fc.array(replicaPlanArb, { minLength: 2, maxLength: MAX_REPLICAS }),
    steps: fc.array(stepArb, { minLength: steps.min, maxLength: steps.max }),
    finalWrites: fc.array(finalWriteArb, { minLength: 1, maxLength: 4 }),
  });
}

/**
 * Runs a scenario on the fake clock with seeded randomness, heals, settles, makes the final writes,
 * settles again and checks that nothing untoward happened; then `check` runs on the settled world
 * (before anything is closed).
 */
export async function runScenario(scenario: Scenario, check: (world: World) => void): Promise<World['stats']> {
  const leave = enterDeterminism(scenario.seed);
  const world = new World(scenario);
  try {
    world.start();
    await world.runSteps();
    await world.heal();
    await world.writeAfterSeeing(scenario.finalWrites);
    assertNothingUntoward(world);
    check(world);
    return world.stats;
  } finally {
    world.dispose();
    leave();
  }
}
