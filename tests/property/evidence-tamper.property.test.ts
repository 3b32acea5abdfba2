/**
 * Invariant "no tampered byte goes unnoticed": in a large evidence bundle (a real incident, two
 * devices, hundreds of ops), a byte changed at any position, to any other value, makes the bundle
 * fail verification with a reason. Positions and values come from fast-check with a fixed seed
 * (SITREP_PROPERTY_SEED overrides it; the seed is in the test name and fast-check prints the
 * failing position and value).
 */
import fc from 'fast-check';
import { nodeCrypto } from '../../electron/crypto';
import { verifyBundle } from '../../shared/evidence/verify-bundle';
import { exportBundle, twoDeviceIncident } from '../support/evidence';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 150);
/** Notes per device: with the declaration, roster and the rest, about 250 ops. */
const NOTES_EACH = 120;

describe(`evidence bundle tampering (seed ${seed}, ${numRuns} runs)`, () => {
  const { ana, incidentId } = twoDeviceIncident(NOTES_EACH);
  const bundle = exportBundle(ana.core, incidentId);

  test('the untouched large bundle verifies', () => {
    const report = verifyBundle(nodeCrypto, bundle);
    expect(report.problems).toEqual([]);
    expect(report.opCount).toBeGreaterThan(2 * NOTES_EACH);
  });

  test(`a byte changed at a random position is caught with a reason [seed ${seed}]`, () => {
    fc.assert(
      fc.property(fc.nat({ max: bundle.length - 1 }), fc.integer({ min: 1, max: 255 }), (position, xor) => {
        const tampered = bundle.slice();
        tampered[position] ^= xor;
        const report = verifyBundle(nodeCrypto, tampered);
        return !report.ok && report.problems.length > 0 && report.problems.every((p) => p.message.length > 0);
      }),
      { seed, numRuns },
    );
  });
});
