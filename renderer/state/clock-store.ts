/** "Now" for every clock on screen, ticking once a second, so all countdowns agree to the second. */
import { createStore } from 'zustand/vanilla';

export const CLOCK_TICK_MS = 1_000;

export interface ClockState {
  now: number;
  tick(): void;
}

export const createClockStore = () =>
  createStore<ClockState>()((set) => ({
    now: Date.now(),
    tick: () => set({ now: Date.now() }),
  }));
