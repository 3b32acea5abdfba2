/**
 * The byte stream a simulated scenario draws its randomness from (key material, nonces, UUIDv7
 * ids). Kept apart from everything else, with no imports of ours: the property file's `uuid` mock
 * loads it while `uuid` itself is still being loaded.
 */
import { randomBytes } from 'node:crypto';

let stream: (() => number) | null = null;

/** mulberry32, as tests/support/op-delivery.ts: a byte at a time. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) & 0xff;
  };
}

/** Starts (a seed) or ends (null) a scenario's stream. */
export function seedBytes(seed: number | null): void {
  stream = seed === null ? null : mulberry32(seed);
}

/** `length` bytes from the scenario's stream, or real random bytes outside a scenario. */
export function seededBytes(length: number): Uint8Array {
  if (!stream) return new Uint8Array(randomBytes(length));
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = stream();
  return out;
}
