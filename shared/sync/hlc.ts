/**
 * Hybrid logical clock (DESIGN.md §5 "Clocks"): a (ms, counter) pair that stamps every op.
 *
 * Invariants:
 * - Monotonic: every clock returned by hlcSend or hlcReceive is strictly greater (compareHlc) than
 *   the `last` it was given, whatever the physical time does (it may stand still or go backwards).
 * - Causal: hlcReceive returns a clock strictly greater than `remote`, unless `remote` is skewed.
 * - Drift bound: a remote clock more than HLC_MAX_DRIFT_MS ahead of `physicalMs` is `skewed` and
 *   counts only as if it were at `physicalMs + HLC_MAX_DRIFT_MS`, so one device with a wild clock
 *   cannot drag everyone's clock into the future: a receive never moves the clock past
 *   max(last, {physicalMs + HLC_MAX_DRIFT_MS, HLC_MAX_COUNTER}) except by the single tick a counter
 *   overflow takes.
 * - Never throws on overflow: a counter that would pass HLC_MAX_COUNTER moves the clock to the next
 *   millisecond with counter 0, which is still strictly greater.
 * - Encoding order is time order: encodeHlc is 8 bytes big-endian (48-bit ms, 16-bit counter), so
 *   comparing the encodings bytewise gives the same answer as compareHlc.
 *
 * `physicalMs` is the caller's physical time already corrected by its measured relay offset;
 * fractional milliseconds are floored. Pure: no clock is read here.
 */

export interface Hlc {
  /** Milliseconds since the Unix epoch (UTC), integer, 0 ≤ ms ≤ HLC_MAX_MS. */
  readonly ms: number;
  /** Orders events within one millisecond, integer, 0 ≤ counter ≤ HLC_MAX_COUNTER. */
  readonly counter: number;
}

/** A remote clock further ahead of our physical time than this is skewed (DESIGN.md §5). */
export const HLC_MAX_DRIFT_MS = 10 * 60_000;
export const HLC_MAX_COUNTER = 0xffff;
/** The ms field is 48 bits on the wire: enough until the year 10889. */
export const HLC_MAX_MS = 2 ** 48 - 1;
export const HLC_BYTES = 8;

const MS_BYTES = 6;
const HIGH_MS_FACTOR = 2 ** 32;

export const HLC_ZERO: Hlc = { ms: 0, counter: 0 };

/** Advance `last` to stamp a local event. */
export function hlcSend(last: Hlc, physicalMs: number): Hlc {
  const physical = Math.floor(physicalMs);
  if (physical > last.ms) return { ms: physical, counter: 0 };
  return nextTick(last.ms, last.counter + 1);
}

/** Merge a remote op's clock into `last` on receipt. */
export function hlcReceive(last: Hlc, remote: Hlc, physicalMs: number): { clock: Hlc; skewed: boolean } {
  const physical = Math.floor(physicalMs);
  const ceiling = physical + HLC_MAX_DRIFT_MS;
  const skewed = remote.ms > ceiling;
  // A skewed remote is taken as if it were exactly at the ceiling: it moves us as far as we allow
  // and no further; its counter says nothing about events at the ceiling, so it does not count.
  const remoteMs = skewed ? ceiling : remote.ms;
  const remoteCounter = skewed ? 0 : remote.counter;

  const ms = Math.max(last.ms, remoteMs, physical);
  let counter: number;
  if (ms === last.ms && ms === remoteMs) counter = Math.max(last.counter, remoteCounter) + 1;
  else if (ms === last.ms) counter = last.counter + 1;
  else if (ms === remoteMs) counter = remoteCounter + 1;
  else counter = 0;
  return { clock: nextTick(ms, counter), skewed };
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.counter !== b.counter) return a.counter < b.counter ? -1 : 1;
  return 0;
}

/** 8 bytes big-endian: 48-bit ms then 16-bit counter. Throws a RangeError for an unencodable clock. */
export function encodeHlc(hlc: Hlc): Uint8Array {
  if (!Number.isInteger(hlc.ms) || hlc.ms < 0 || hlc.ms > HLC_MAX_MS) {
    throw new RangeError(`HLC ms must be an integer in [0, ${HLC_MAX_MS}], got ${hlc.ms}`);
  }
  if (!Number.isInteger(hlc.counter) || hlc.counter < 0 || hlc.counter > HLC_MAX_COUNTER) {
    throw new RangeError(`HLC counter must be an integer in [0, ${HLC_MAX_COUNTER}], got ${hlc.counter}`);
  }
  const bytes = new Uint8Array(HLC_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, Math.floor(hlc.ms / HIGH_MS_FACTOR));
  view.setUint32(2, hlc.ms % HIGH_MS_FACTOR);
  view.setUint16(MS_BYTES, hlc.counter);
  return bytes;
}

export function decodeHlc(bytes: Uint8Array): Hlc {
  if (bytes.length !== HLC_BYTES) throw new RangeError(`an HLC is ${HLC_BYTES} bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ms: view.getUint16(0) * HIGH_MS_FACTOR + view.getUint32(2),
    counter: view.getUint16(MS_BYTES),
  };
}

export function formatHlc(hlc: Hlc): string {
  return `${hlc.ms}.${hlc.counter}`;
}

/** (ms, counter), carrying a counter overflow into the next millisecond. */
function nextTick(ms: number, counter: number): Hlc {
  return counter > HLC_MAX_COUNTER ? { ms: ms + 1, counter: 0 } : { ms, counter };
}
