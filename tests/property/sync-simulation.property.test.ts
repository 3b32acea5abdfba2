/**
 * Sync under a hostile network (DESIGN.md §5, §9; issue 5): the real relay logic and the real sync
 * client, joined by a deterministic network simulator (tests/support/network-sim) on a fake clock.
 *
 * Each scenario: 2–6 replicas (real cores on real SQLite files, device clocks up to ±2 h off, some
 * joining late, some as observers) share an incident through a relay whose host clock may be as
 * far off; they run random commands (entries, severity and status, roster, checklist, tasks,
 * samples) while frames are delayed and interleaved, connections are reset, partitions come and go,
 * clients crash and reopen from their data folders, the relay crashes (sometimes losing its data:
 * a new epoch), the incident moves to another relay (replacing a skewed host), ops travel by hand
 * and device clocks jump. Then everything heals and runs until settled; writers change fields
 * having seen every op (some while cut off), and it settles again. Each property below runs its
 * own scenarios and checks its invariant; every scenario also checks that nothing untoward happened
 * (no relay failure, no equivocation or identity move, no two acks for different ops at one seq).
 *
 * Runs: SITREP_PROPERTY_RUNS scenarios in all (default 204), split evenly across the six
 * properties; `npm run soak` sets 10,000. Property k (0–5, in the order below) draws its own
 * scenarios from seed SITREP_PROPERTY_SEED + k, which its name shows. A scenario replays exactly
 * from fast-check's seed and path (key material, ids, latencies and jitter all come from it): run
 * that test alone (-t) with SITREP_PROPERTY_SEED set so its name shows the printed seed. A failure
 * ends the run at once (no shrinking: a scenario costs up to a second); SITREP_PROPERTY_SHRINK=1
 * shrinks, for at most five minutes.
 */
import fc from 'fast-check';
import {
  equalsReferenceFold,
  everyChainIntact,
  identicalReplicatedState,
  noAcknowledgedOpMissing,
  noEffectAppliedTwice,
  writeAfterSeeingWins,
} from '../support/network-sim/invariants';
import { runScenario, scenarioArb } from '../support/network-sim/scenario';
import type { World } from '../support/network-sim/world';

vi.mock('uuid', async (importOriginal) => {
  const actual = await importOriginal<typeof import('uuid')>();
  const { seededBytes } = await import('../support/network-sim/seeded-bytes');
  return { ...actual, v7: (options?: Parameters<typeof actual.v7>[0]) => actual.v7({ ...options, random: seededBytes(16) }) };
});

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const PROPERTIES = 6;
const totalRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 204);
const numRuns = Math.max(1, Math.ceil(totalRuns / PROPERTIES));
const shrink = process.env.SITREP_PROPERTY_SHRINK === '1';
/** A scenario takes about half a second here; room for a loaded machine, and for the soak. */
const timeout = Math.max(120_000, numRuns * 5_000);
const STEPS = { min: 20, max: 60 };

const params = (k: number): fc.Parameters<[Parameters<typeof runScenario>[0]]> => ({
  seed: seed + k,
  numRuns,
  endOnFailure: !shrink,
  ...(shrink && { interruptAfterTimeLimit: 5 * 60_000 }),
});

const totals = { scenarios: 0, finalWrites: 0, againstTheClock: 0 };

function property(k: number, check: (world: World) => void) {
  return () =>
    fc.assert(
      fc.asyncProperty(scenarioArb(STEPS), async (scenario) => {
        const stats = await runScenario(scenario, check);
        totals.scenarios++;
        totals.finalWrites += stats.finalWrites;
        totals.againstTheClock += stats.againstTheClock;
      }),
      params(k),
    );
}

describe(`sync through a simulated network (seeds ${seed}–${seed + PROPERTIES - 1}, ${numRuns} scenarios per property)`, () => {
  afterAll(() => {
    // How often a final write carried an HLC below a write it superseded: the rule, not the clock, decided.
    console.info(
      `sync simulation: ${totals.scenarios} scenarios, ${totals.finalWrites} writes after seeing, ${totals.againstTheClock} of them behind the clock they overrode`,
    );
  });

  const properties: [string, (world: World) => void][] = [
    ['after healing every replica shows identical replicated state', identicalReplicatedState],
    ['that state equals a reference fold of the ops the relay accepted, in relay order', equalsReferenceFold],
    ['no acknowledged op is missing', noAcknowledgedOpMissing],
    ['no effect is applied twice', noEffectAppliedTwice],
    ['every chain is intact', everyChainIntact],
    ['a write made after seeing a value wins whatever the clocks', writeAfterSeeingWins],
  ];
  properties.forEach(([name, check], k) => test(`${name} [seed ${seed + k}]`, property(k, check), timeout));
});
