interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout | undefined;
  /** Set once the waiter timed out or was rejected; handOff skips it. */
  done: boolean;
}

/**
 * A FIFO of callers waiting for a resource, each with its own deadline. `handOff` gives a
 * resource to the oldest caller still waiting; callers past their deadline are skipped.
 */
export class WaitQueue<T> {
  private waiters: Array<Waiter<T>> = [];
  private head = 0;

  wait(timeoutMs: number, onTimeout: () => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = { resolve, reject, timer: undefined, done: false };
      this.waiters.push(waiter);
      waiter.timer = setTimeout(() => {
        waiter.done = true;
        reject(onTimeout());
      }, timeoutMs);
    });
  }

  /** Gives `value` to the oldest live waiter; false when nobody waits. */
  handOff(value: T): boolean {
    while (this.head < this.waiters.length) {
      const waiter = this.waiters[this.head] as Waiter<T>;
      this.head += 1;
      if (!waiter.done) {
        waiter.done = true;
        clearTimeout(waiter.timer);
        this.compact();
        waiter.resolve(value);
        return true;
      }
    }
    this.compact();
    return false;
  }

  rejectAll(makeError: () => Error): void {
    for (let i = this.head; i < this.waiters.length; i += 1) {
      const waiter = this.waiters[i] as Waiter<T>;
      if (!waiter.done) {
        waiter.done = true;
        clearTimeout(waiter.timer);
        waiter.reject(makeError());
      }
    }
    this.waiters = [];
    this.head = 0;
  }

  /** Drops the consumed prefix so the array does not grow without bound. */
  private compact(): void {
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }
}
