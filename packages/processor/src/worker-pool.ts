import {
  createError, ErrorCodes, isNucleonError, normalizeResult, type Context, type Event, type EventCallback, type EventSubmitter,
  type Logger, type NormalizedResponse, type Runtime, type RuntimeWorker,
} from '@nucleon/core';
import { errorFields } from './logging.js';
import type { TriggerMetrics } from './metrics.js';
import { WaitQueue } from './wait-queue.js';

export interface WorkerPoolOptions {
  triggerName: string;
  numWorkers: number;
  /** How long an event may wait for a free worker before NO_WORKER_AVAILABLE. */
  availabilityTimeoutMs: number;
  /** How long a handler may run before EVENT_TIMEOUT (0 = no limit). */
  eventTimeoutMs: number;
  runtime: Runtime;
  /** Makes the context a worker keeps for its whole life. */
  createContext(workerId: number): Context;
  metrics: TriggerMetrics;
  logger: Logger;
}

/** One worker and the event it is running, if any. */
interface Slot {
  id: number;
  worker: RuntimeWorker;
  context: Context;
  /** The running event's caller; undefined when idle (or after a timeout answered it). */
  done: EventCallback | undefined;
  /** The running event; its id is read only for log lines (some triggers build ids lazily). */
  event: Event | undefined;
  started: number;
  /** performance.now() after which the running event has timed out. */
  deadline: number;
  /** Bound once per slot so a promise-returning handler costs no closure per event. */
  onValue: (value: unknown) => void;
  onError: (error: unknown) => void;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * A fixed pool of `numWorkers` workers for one trigger: where events wait, run and leave.
 * An event takes a free worker or waits (bounded) for one; its handler runs under
 * `eventTimeout`; its result is normalised to a response. A worker whose handler timed out
 * is closed and replaced by a fresh one (new context, initContext again), since the old
 * one may still be busy with the abandoned event.
 */
export class WorkerPool implements EventSubmitter {
  private readonly free: Slot[] = [];
  private readonly slots: Slot[] = [];
  private readonly waiting = new WaitQueue<Slot>();
  private inFlightCount = 0;
  private closing = false;
  private idleWaiters: Array<() => void> = [];
  private readonly watchdog: NodeJS.Timeout | undefined;

  private constructor(private readonly options: WorkerPoolOptions) {
    if (options.eventTimeoutMs > 0) {
      // One coarse timer for the whole pool instead of a timer per event: the hot path only
      // stores a deadline. Resolution is a tenth of the timeout (10 ms .. 1 s).
      const every = Math.min(1000, Math.max(10, Math.floor(options.eventTimeoutMs / 10)));
      this.watchdog = setInterval(() => this.expireOverdue(), every);
      this.watchdog.unref();
    }
  }

  /** Creates the pool and its workers; each worker's initContext runs once here. */
  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    const slots = await Promise.all(Array.from({ length: options.numWorkers }, (_, id) => pool.startWorker(id)));
    for (const slot of slots) {
      pool.slots[slot.id] = slot;
      pool.free.push(slot);
    }
    return pool;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  submit(event: Event): Promise<NormalizedResponse> {
    return new Promise((resolve, reject) => {
      this.dispatch(event, (error, response) => (error ? reject(error) : resolve(response as NormalizedResponse)));
    });
  }

  dispatch(event: Event, done: EventCallback): void {
    if (this.closing) {
      this.options.metrics.handled('rejected', 0);
      done(createError(ErrorCodes.SHUTTING_DOWN, 'the processor is shutting down'));
      return;
    }
    const slot = this.free.pop();
    if (slot) this.run(slot, event, done);
    else this.waitForWorker().then((s) => this.run(s, event, done), done);
  }

  /** Stops taking events, refuses those still waiting, and resolves once none is running or the deadline passes. */
  async drain(deadlineMs: number): Promise<boolean> {
    this.closing = true;
    this.waiting.rejectAll(() => {
      this.options.metrics.handled('rejected', 0);
      return createError(ErrorCodes.SHUTTING_DOWN, 'the processor is shutting down');
    });
    if (this.inFlightCount === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), deadlineMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.allSettled(this.slots.map((s) => s.worker.close?.()));
  }

  private waitForWorker(): Promise<Slot> {
    const started = performance.now();
    const { availabilityTimeoutMs, triggerName, metrics, numWorkers } = this.options;
    return this.waiting.wait(availabilityTimeoutMs, () => {
      metrics.handled('rejected', 0);
      return createError(ErrorCodes.NO_WORKER_AVAILABLE,
        `no free worker in ${availabilityTimeoutMs} ms for trigger ${triggerName}; all ${numWorkers} are busy`);
    }).then((slot) => {
      metrics.waited((performance.now() - started) / 1000);
      return slot;
    });
  }

  private run(slot: Slot, event: Event, done: EventCallback): void {
    this.inFlightCount += 1;
    slot.done = done;
    slot.event = event;
    slot.started = performance.now();
    slot.deadline = this.options.eventTimeoutMs > 0 ? slot.started + this.options.eventTimeoutMs : Infinity;
    let returned: unknown;
    try {
      returned = slot.worker.handle(event, slot.context);
    } catch (err) {
      this.fail(slot, err);
      return;
    }
    if (isThenable(returned)) returned.then(slot.onValue, slot.onError);
    else this.succeed(slot, returned);
  }

  private succeed(slot: Slot, result: unknown): void {
    if (!slot.done) return; // answered by a timeout already
    let response: NormalizedResponse;
    try {
      response = normalizeResult(result);
    } catch (err) {
      this.options.logger.errorWith('handler returned an invalid result', { eventId: slot.event?.id, ...errorFields(err) });
      this.settle(slot, 'error', err as Error, undefined);
      return;
    }
    this.settle(slot, 'success', undefined, response);
  }

  private fail(slot: Slot, failure: unknown): void {
    if (!slot.done) return;
    this.options.logger.errorWith('handler failed', { eventId: slot.event?.id, ...errorFields(failure) });
    const error = isNucleonError(failure) ? failure
      : createError(ErrorCodes.HANDLER_FAILED, `handler failed: ${failure instanceof Error ? failure.message : String(failure)}`, { cause: failure });
    this.settle(slot, 'error', error, undefined);
  }

  private settle(slot: Slot, result: 'success' | 'error', error: Error | undefined, response: NormalizedResponse | undefined): void {
    const done = slot.done as EventCallback;
    slot.done = undefined;
    slot.event = undefined;
    this.inFlightCount -= 1;
    this.options.metrics.handled(result, (performance.now() - slot.started) / 1000);
    try {
      done(error, response);
    } finally {
      // A trigger callback that throws must not keep the worker from the pool.
      this.release(slot);
      if (this.inFlightCount === 0 && this.idleWaiters.length > 0) this.notifyIdle();
    }
  }

  private release(slot: Slot): void {
    if (!this.waiting.handOff(slot)) this.free.push(slot);
  }

  private expireOverdue(): void {
    const now = performance.now();
    for (const slot of this.slots) {
      if (slot.done && now > slot.deadline) this.timeOut(slot);
    }
  }

  private timeOut(slot: Slot): void {
    const { eventTimeoutMs, logger, metrics } = this.options;
    const done = slot.done as EventCallback;
    slot.done = undefined; // the abandoned handler's late result finds no caller
    this.inFlightCount -= 1;
    metrics.handled('timeout', (performance.now() - slot.started) / 1000);
    logger.warnWith('event timed out; replacing its worker', { eventId: slot.event?.id, worker: slot.id, eventTimeoutMs });
    done(createError(ErrorCodes.EVENT_TIMEOUT, `handler did not finish within eventTimeout (${eventTimeoutMs} ms)`));
    if (this.inFlightCount === 0 && this.idleWaiters.length > 0) this.notifyIdle();
    void Promise.resolve(slot.worker.close?.()).catch(() => undefined);
    this.replaceWorker(slot.id, 0);
  }

  /**
   * Starts a fresh worker in slot `id`. If that fails (initContext throwing, a wrapper that
   * will not start), it tries again with a growing delay (0.5 s doubling to 30 s): a pool
   * that silently shrank would turn into permanent 503s.
   */
  private replaceWorker(id: number, attempt: number): void {
    if (this.closing) return;
    this.startWorker(id).then((fresh) => {
      if (this.closing) {
        void Promise.resolve(fresh.worker.close?.()).catch(() => undefined);
        return;
      }
      this.slots[fresh.id] = fresh;
      this.release(fresh);
    }, (err: unknown) => {
      const delayMs = Math.min(30_000, 500 * 2 ** attempt);
      this.options.logger.errorWith('could not replace a worker; retrying', { worker: id, attempt: attempt + 1, delayMs, ...errorFields(err) });
      setTimeout(() => this.replaceWorker(id, attempt + 1), delayMs).unref();
    });
  }

  private async startWorker(id: number): Promise<Slot> {
    const context = this.options.createContext(id);
    const worker = await this.options.runtime.createWorker(context);
    const slot: Slot = {
      id, worker, context, done: undefined, event: undefined, started: 0, deadline: Infinity,
      onValue: (value) => this.succeed(slot, value),
      onError: (error) => this.fail(slot, error ?? new Error('handler rejected with no reason')),
    };
    return slot;
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
