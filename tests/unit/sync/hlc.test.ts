import fc from 'fast-check';
import {
  compareHlc,
  decodeHlc,
  encodeHlc,
  type Hlc,
  HLC_MAX_COUNTER,
  HLC_MAX_DRIFT_MS,
  HLC_MAX_MS,
  HLC_ZERO,
  hlcReceive,
  hlcSend,
} from '../../../shared/sync/hlc';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 50);

/** Physical times in a narrow window so events often share a millisecond, and a drift-wide one. */
const physicalMs = fc.oneof(fc.integer({ min: 1_000, max: 1_020 }), fc.integer({ min: 0, max: 4 * HLC_MAX_DRIFT_MS }));
/** Counters biased towards the overflow edge. */
const counter = fc.oneof(fc.constant(HLC_MAX_COUNTER), fc.constant(HLC_MAX_COUNTER - 1), fc.nat({ max: HLC_MAX_COUNTER }));
const remoteClock = fc.record({ ms: physicalMs, counter });

type ClockEvent = { kind: 'send'; physical: number } | { kind: 'receive'; physical: number; remote: Hlc };
const clockEvent: fc.Arbitrary<ClockEvent> = fc.oneof(
  fc.record({ kind: fc.constant('send' as const), physical: physicalMs }),
  fc.record({ kind: fc.constant('receive' as const), physical: physicalMs, remote: remoteClock }),
);

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

describe('hlc', () => {
  it(`hlc never goes backwards under any sequence of sends and receives (seed ${seed})`, () => {
    fc.assert(
      fc.property(fc.record({ ms: physicalMs, counter }), fc.array(clockEvent, { maxLength: 60 }), (start, events) => {
        let clock: Hlc = start;
        for (const event of events) {
          const next =
            event.kind === 'send' ? hlcSend(clock, event.physical) : hlcReceive(clock, event.remote, event.physical).clock;
          expect(compareHlc(next, clock)).toBeGreaterThan(0);
          expect(next.counter).toBeLessThanOrEqual(HLC_MAX_COUNTER);
          clock = next;
        }
      }),
      { seed, numRuns },
    );
  });

  it(`a received clock is behind the new local clock unless it is skewed (seed ${seed})`, () => {
    fc.assert(
      fc.property(remoteClock, remoteClock, physicalMs, (last, remote, physical) => {
        const { clock, skewed } = hlcReceive(last, remote, physical);
        expect(skewed).toBe(remote.ms > physical + HLC_MAX_DRIFT_MS);
        if (!skewed) expect(compareHlc(clock, remote)).toBeGreaterThan(0);
      }),
      { seed, numRuns },
    );
  });

  it(`a skewed remote never drags the clock past physical time + max drift (seed ${seed})`, () => {
    fc.assert(
      fc.property(
        remoteClock,
        physicalMs,
        fc.integer({ min: 1, max: 1_000 * HLC_MAX_DRIFT_MS }),
        counter,
        (last, physical, aheadBy, remoteCounter) => {
          const ceiling = physical + HLC_MAX_DRIFT_MS;
          const remote = { ms: ceiling + aheadBy, counter: remoteCounter };
          const { clock, skewed } = hlcReceive(last, remote, physical);
          expect(skewed).toBe(true);
          const bound = Math.max(last.ms, ceiling);
          // The only way past the bound is the one tick a counter overflow at the bound takes.
          const withinBound = clock.ms <= bound || (clock.ms === bound + 1 && clock.counter === 0);
          expect(withinBound).toBe(true);
        },
      ),
      { seed, numRuns },
    );
  });

  it(`sends stay with physical time when nothing is ahead of it (seed ${seed})`, () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 30 }), (steps) => {
        let clock = HLC_ZERO;
        let physical = 1_000_000;
        for (const step of steps) {
          physical += step;
          clock = hlcSend(clock, physical);
          expect(clock.ms).toBe(physical);
        }
      }),
      { seed, numRuns },
    );
  });

  it(`encoding order is time order, and decoding inverts encoding (seed ${seed})`, () => {
    const ms = fc.oneof(fc.nat({ max: 3 }), fc.integer({ min: 0, max: HLC_MAX_MS }));
    const clock = fc.record({ ms, counter: fc.oneof(fc.nat({ max: 3 }), fc.nat({ max: HLC_MAX_COUNTER })) });
    fc.assert(
      fc.property(clock, clock, (a, b) => {
        expect(sign(compareBytes(encodeHlc(a), encodeHlc(b)))).toBe(sign(compareHlc(a, b)));
        expect(decodeHlc(encodeHlc(a))).toEqual(a);
      }),
      { seed, numRuns },
    );
  });

  it('send ticks the counter within a millisecond and resets it when time moves on', () => {
    expect(hlcSend({ ms: 500, counter: 7 }, 400)).toEqual({ ms: 500, counter: 8 });
    expect(hlcSend({ ms: 500, counter: 7 }, 500)).toEqual({ ms: 500, counter: 8 });
    expect(hlcSend({ ms: 500, counter: 7 }, 501)).toEqual({ ms: 501, counter: 0 });
    expect(hlcSend({ ms: 500, counter: 7 }, 501.9)).toEqual({ ms: 501, counter: 0 });
  });

  it('a counter overflow moves to the next millisecond instead of throwing', () => {
    expect(hlcSend({ ms: 500, counter: HLC_MAX_COUNTER }, 500)).toEqual({ ms: 501, counter: 0 });
    expect(hlcReceive({ ms: 500, counter: 3 }, { ms: 500, counter: HLC_MAX_COUNTER }, 100).clock).toEqual({
      ms: 501,
      counter: 0,
    });
  });

  it('receive takes the later of local, remote and physical time', () => {
    expect(hlcReceive({ ms: 100, counter: 5 }, { ms: 100, counter: 9 }, 50)).toEqual({
      clock: { ms: 100, counter: 10 },
      skewed: false,
    });
    expect(hlcReceive({ ms: 100, counter: 5 }, { ms: 200, counter: 9 }, 50).clock).toEqual({ ms: 200, counter: 10 });
    expect(hlcReceive({ ms: 100, counter: 5 }, { ms: 90, counter: 9 }, 300).clock).toEqual({ ms: 300, counter: 0 });
  });

  it('a remote exactly max drift ahead is followed; one millisecond more is skewed and capped', () => {
    const physical = 1_000_000;
    const atLimit = hlcReceive(HLC_ZERO, { ms: physical + HLC_MAX_DRIFT_MS, counter: 4 }, physical);
    expect(atLimit).toEqual({ clock: { ms: physical + HLC_MAX_DRIFT_MS, counter: 5 }, skewed: false });

    const beyond = hlcReceive(HLC_ZERO, { ms: physical + HLC_MAX_DRIFT_MS + 1, counter: 4 }, physical);
    expect(beyond).toEqual({ clock: { ms: physical + HLC_MAX_DRIFT_MS, counter: 1 }, skewed: true });

    const farBeyond = hlcReceive(HLC_ZERO, { ms: physical + 365 * 24 * 3_600_000, counter: 0 }, physical);
    expect(farBeyond.skewed).toBe(true);
    expect(farBeyond.clock.ms).toBe(physical + HLC_MAX_DRIFT_MS);
  });

  it('encodes as 8 big-endian bytes and refuses clocks it cannot encode', () => {
    expect(Array.from(encodeHlc({ ms: 0x0102_0304_0506, counter: 0x0708 }))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(decodeHlc(encodeHlc({ ms: HLC_MAX_MS, counter: HLC_MAX_COUNTER }))).toEqual({
      ms: HLC_MAX_MS,
      counter: HLC_MAX_COUNTER,
    });
    expect(() => encodeHlc({ ms: HLC_MAX_MS + 1, counter: 0 })).toThrow(RangeError);
    expect(() => encodeHlc({ ms: -1, counter: 0 })).toThrow(RangeError);
    expect(() => encodeHlc({ ms: 1.5, counter: 0 })).toThrow(RangeError);
    expect(() => encodeHlc({ ms: 1, counter: HLC_MAX_COUNTER + 1 })).toThrow(RangeError);
    expect(() => decodeHlc(new Uint8Array(7))).toThrow(RangeError);
  });
});
