/**
 * Reconnect delays: exponential backoff with full jitter (research/sync.md §5 "Reconnect storm"):
 * the n-th retry waits a uniformly random time in [0, min(cap, base · 2^n)], so a relay restart
 * does not bring every client back in the same instant. A connection that stayed healthy for
 * `healthyAfterMs` resets the count.
 */
export interface BackoffTimings {
  backoffBaseMs: number;
  backoffCapMs: number;
}

export class Backoff {
  private attempt = 0;

  constructor(
    private readonly timings: BackoffTimings,
    private readonly random: () => number = Math.random,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const ceiling = Math.min(this.timings.backoffCapMs, this.timings.backoffBaseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.floor(this.random() * ceiling);
  }

  reset(): void {
    this.attempt = 0;
  }
}
