/** Timers the queue schedules retries with; tests inject a fake clock. */
export interface QueueTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WorkQueueOptions {
  /** Keys processed at once (default 2). */
  concurrency?: number;
  /** First retry delay (default 200 ms); doubles per failure of the same key. */
  baseDelayMs?: number;
  /** Longest retry delay (default 60 s). */
  maxDelayMs?: number;
  timers?: QueueTimers;
}

const realTimers: QueueTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * A level-based work queue of keys (`namespace/name`), client-go's shape: a key queued twice
 * is processed once; a key is never processed by two workers at once (added while being
 * processed, it runs once more afterwards); `retry` re-adds a key after a per-key exponential
 * backoff that `forget` resets. The key says what to look at, never what changed.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Map<string, unknown>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly concurrency: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly timers: QueueTimers;
  private handler?: (key: string) => Promise<void>;
  private shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.concurrency = options.concurrency ?? 2;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.timers = options.timers ?? realTimers;
  }

  /** Starts `concurrency` workers calling `handler`; it should not throw (errors are logged and dropped). */
  start(handler: (key: string) => Promise<void>): void {
    this.handler = handler;
    this.pump();
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (!this.processing.has(key)) {
      this.queue.push(key);
      this.pump();
    }
  }

  /** Re-adds `key` after its backoff: base * 2^(failures so far), at most max. */
  retry(key: string): void {
    if (this.shuttingDown) return;
    const failures = this.failures.get(key) ?? 0;
    this.failures.set(key, failures + 1);
    if (this.retryTimers.has(key)) return;
    const delay = this.retryDelayMs(key);
    this.retryTimers.set(key, this.timers.setTimeout(() => {
      this.retryTimers.delete(key);
      this.add(key);
    }, delay));
  }

  /** The delay the last `retry(key)` chose (0 when the key has not failed). */
  retryDelayMs(key: string): number {
    const failures = this.failures.get(key) ?? 0;
    return failures === 0 ? 0 : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (failures - 1));
  }

  /** Clears `key`'s failure count, so its next failure backs off from the base again. */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** Keys waiting (not counting those being processed). */
  get length(): number {
    return this.queue.length;
  }

  /** Stops taking keys, drops those waiting and pending retries, and waits for the ones in flight. */
  async shutDown(): Promise<void> {
    this.shuttingDown = true;
    for (const handle of this.retryTimers.values()) this.timers.clearTimeout(handle);
    this.retryTimers.clear();
    this.queue.length = 0;
    this.dirty.clear();
    await Promise.all([...this.inFlight]);
  }

  private pump(): void {
    while (this.handler && !this.shuttingDown && this.processing.size < this.concurrency && this.queue.length > 0) {
      const key = this.queue.shift()!;
      this.dirty.delete(key);
      this.processing.add(key);
      const run = this.handler(key).catch(() => undefined).finally(() => {
        this.inFlight.delete(run);
        this.processing.delete(key);
        if (this.dirty.has(key) && !this.shuttingDown) this.queue.push(key);
        this.pump();
      });
      this.inFlight.add(run);
    }
  }
}
