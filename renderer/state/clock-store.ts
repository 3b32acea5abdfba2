/** "Now" for every clock on screen, ticking once a second, so all countdowns agree to the second. */
import { createStore } from 'zustand/vanilla';

export const CLOCK_TICK_MS = 1_000;

export interface ClockState {
  now: number;
  tick(): void;
  /** The clock itself, to the millisecond, for a moment that must be exact (Enter on the quick entry). */
  read(): number;
}

/** `clock` is Date.now in the app; component tests pass the core's fake clock, so both agree. */
export const createClockStore = (clock: () => number = Date.now) =>
  createStore<ClockState>()((set) => ({
    now: clock(),
    tick: () => set({ now: clock() }),
    read: clock,
  }));
