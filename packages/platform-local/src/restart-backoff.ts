/** How the supervisor spaces restarts of a processor that keeps dying. */
export interface BackoffOptions {
  /** The first restart's delay. */
  initialMs: number;
  /** The delay never grows past this. */
  maxMs: number;
  /** A processor that ran this long before dying starts over at `initialMs`. */
  stableMs: number;
}

/** Defaults: 1 s doubling to 30 s, reset after a stable minute (Docker's restart policy is similar). */
export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

/**
 * Exponential restart delays. `next(uptimeMs)` is called once per death with how long the
 * processor had run; a long enough run forgets earlier failures, so a crash a day never waits 30 s.
 */
export class RestartBackoff {
  private failures = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** The delay before the next restart. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.options.stableMs) this.failures = 0;
    const delay = Math.min(this.options.maxMs, this.options.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return delay;
  }
}
