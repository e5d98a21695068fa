/**
 * Bytes that many connections share (request bodies held, response bytes not yet taken by
 * their clients). A limit of 0 means no bound. Taking never blocks: the caller decides what
 * to answer when the budget is spent.
 */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  /** Takes `bytes` if they fit under the limit; false (and nothing taken) otherwise. */
  tryTake(bytes: number): boolean {
    if (this.limit > 0 && this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Takes `bytes` whatever the limit (a response already made); the next `spent` check sees them. */
  take(bytes: number): void {
    this.used += bytes;
  }

  /** True once the bytes in use reach the limit. */
  get spent(): boolean {
    return this.limit > 0 && this.used >= this.limit;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
