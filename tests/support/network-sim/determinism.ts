/**
 * Everything a simulated scenario would otherwise take from the outside world, taken from its seed:
 * timers and Date (vitest's fake timers: the simulator's scheduler), Math.random (reconnect jitter),
 * the core's and relay's random bytes (device keys, incident secrets, nonces) and UUIDv7 ids (the
 * property file mocks `uuid` with seeded-bytes.ts). So a scenario replays exactly from its seed.
 *
 * Not covered, and not needed for replay: the relay store's relay id and epoch (node:crypto
 * directly), which are only ever compared for equality.
 */
import { nodeCrypto } from '../../../electron/crypto';
import { T0 } from '../cores';
import { prng } from '../op-delivery';
import { seedBytes, seededBytes } from './seeded-bytes';

export type Rng = ReturnType<typeof prng>;

/** The real setImmediate, captured before any test fakes it: yields to pending promise callbacks. */
const realSetImmediate = globalThis.setImmediate;

/**
 * Installs the scenario's fake clock (starting at T0) and seeded randomness; returns the function
 * that puts the real ones back (and drops every fake timer still pending).
 */
export function enterDeterminism(seed: number): () => void {
  const math = prng(seed ^ 0x85ebca6b);
  seedBytes(seed ^ 0x9e3779b9);
  const randomBytesSpy = vi.spyOn(nodeCrypto, 'randomBytes').mockImplementation(seededBytes);
  const mathSpy = vi.spyOn(Math, 'random').mockImplementation(() => math.next());
  vi.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'Date'] });
  return () => {
    vi.clearAllTimers();
    vi.useRealTimers();
    randomBytesSpy.mockRestore();
    mathSpy.mockRestore();
    seedBytes(null);
  };
}

/** Lets every promise callback already queued run (the relay's page streams await between pages). */
export const settleMicrotasks = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

/** Moves the fake clock forward by `ms`, running every timer due on the way, promise callbacks between them. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await settleMicrotasks();
}
