import { createError, ErrorCodes, type Event, type Logger, type Response } from '@nucleon/core';
import type { WrapperConnection } from './wrapper-connection.js';
import type { WrapperExit } from './wrapper-process.js';

export interface WrapperSupervisorOptions {
  name: string;
  /** Starts one wrapper and resolves once it is READY; aborting the signal kills a start in progress. */
  connect(signal: AbortSignal): Promise<WrapperConnection>;
  startTimeoutMs: number;
  logger: Logger;
}

/** An event waiting for a READY wrapper with room for it. */
interface Waiting {
  event: Event;
  logger: Logger;
  owner: object;
  resolve(response: Response): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
}

function disarm(waiting: Waiting): void {
  clearTimeout(waiting.timer);
  waiting.timer = undefined;
}

/** Delay before restart after the 1st, 2nd, 3rd, ... crash in a row. */
const BACKOFF_MS = [0, 100, 500, 2000];
/** A wrapper that served this long before it crashed resets the backoff. */
const STEADY_MS = 5000;

/**
 * Keeps one wrapper alive for its users (one worker, or every worker when shared): sends
 * events while it has room (its HELLO `maxInFlight`), queues the rest first in, first out,
 * and replaces a wrapper that ends, at once and then with growing pauses if it keeps dying.
 * Events that arrive while no wrapper is READY wait at most the start timeout.
 */
export class WrapperSupervisor {
  private current: WrapperConnection | undefined;
  private starting: Promise<void> | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly queue: Waiting[] = [];
  private readonly sentBy = new Map<object, number>();
  private readonly dying = new Set<Promise<WrapperExit>>();
  private readonly abort = new AbortController();
  private failures = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WrapperSupervisorOptions) {}

  /** The pid of the READY wrapper, if there is one. */
  get pid(): number | undefined {
    return this.current?.accepting ? this.current.pid : undefined;
  }

  /** Starts the first wrapper; rejects with its coded start error. */
  start(): Promise<void> {
    return this.launch();
  }

  /** Runs `event` on the wrapper, for `owner` (a worker), logging its LOG frames to `logger`. */
  submit(event: Event, logger: Logger, owner: object): Promise<Response> {
    if (this.closing) return Promise.reject(createError(ErrorCodes.SHUTTING_DOWN, `the ${this.options.name} runtime is stopping`));
    const c = this.current;
    if (c && c.accepting && c.load < c.capacity && this.queue.length === 0) return this.send(c, event, logger, owner);
    return new Promise<Response>((resolve, reject) => {
      const waiting: Waiting = { event, logger, owner, resolve, reject, timer: undefined };
      this.queue.push(waiting);
      if (!c?.accepting) this.armTimer(waiting);
    });
  }

  /** True while an event of `owner` is on the wrapper (sent, not answered). */
  busy(owner: object): boolean {
    return (this.sentBy.get(owner) ?? 0) > 0;
  }

  /** Refuses the events of `owner` that still wait for room. */
  cancelQueued(owner: object, error: Error): void {
    for (let i = this.queue.length - 1; i >= 0; i -= 1) {
      const waiting = this.queue[i] as Waiting;
      if (waiting.owner !== owner) continue;
      this.queue.splice(i, 1);
      disarm(waiting);
      waiting.reject(error);
    }
  }

  /** Kills the wrapper (its events in flight fail with WRAPPER_CRASHED) and starts a new one. */
  replace(reason: string): void {
    const c = this.current;
    if (!c || this.closing) return;
    this.current = undefined;
    this.options.logger.warnWith('killing the wrapper and starting a new one', { reason, wrapperPid: c.pid });
    c.kill(createError(ErrorCodes.WRAPPER_CRASHED, `wrapper ${this.options.name} (pid ${c.pid}) was killed: ${reason}`));
    this.bury(c);
    this.scheduleRestart();
  }

  /** Stops for good, gracefully: DRAIN, TERMINATE, exit (bounded), then SIGKILL. Idempotent. */
  stop(reason: string): Promise<void> {
    return this.close(createError(ErrorCodes.SHUTTING_DOWN, `the ${this.options.name} runtime is stopping`), (c) => c.stop(reason));
  }

  /** Stops for good, now: SIGKILL; waiting and in-flight events fail with `error`. Idempotent. */
  kill(error: Error): Promise<void> {
    return this.close(error, async (c) => c.kill(error));
  }

  private close(error: Error, end: (c: WrapperConnection) => Promise<void>): Promise<void> {
    return this.closing ??= (async () => {
      clearTimeout(this.restartTimer);
      this.abort.abort();
      for (const waiting of this.queue.splice(0)) {
        disarm(waiting);
        waiting.reject(error);
      }
      await this.starting;
      const c = this.current;
      this.current = undefined;
      if (c) {
        await end(c);
        this.bury(c);
      }
      await Promise.all(this.dying);
    })();
  }

  /** Remembers an ended wrapper until its process has exited, so close() can wait for it. */
  private bury(c: WrapperConnection): void {
    const exited = c.process.exited;
    this.dying.add(exited);
    void exited.then(() => this.dying.delete(exited));
  }

  private send(c: WrapperConnection, event: Event, logger: Logger, owner: object): Promise<Response> {
    this.sentBy.set(owner, (this.sentBy.get(owner) ?? 0) + 1);
    return c.send(event, logger).finally(() => {
      const left = (this.sentBy.get(owner) ?? 1) - 1;
      if (left === 0) this.sentBy.delete(owner);
      else this.sentBy.set(owner, left);
      this.pump();
    });
  }

  /** Moves waiting events onto the wrapper while it has room. */
  private pump(): void {
    const c = this.current;
    while (c && c.accepting && c.load < c.capacity && this.queue.length > 0) {
      const waiting = this.queue.shift() as Waiting;
      disarm(waiting);
      this.send(c, waiting.event, waiting.logger, waiting.owner).then(waiting.resolve, waiting.reject);
    }
  }

  private launch(): Promise<void> {
    const attempt = this.options.connect(this.abort.signal).then((c) => {
      if (this.closing) {
        c.kill(createError(ErrorCodes.SHUTTING_DOWN, `the ${this.options.name} runtime is stopping`));
        this.bury(c);
        return;
      }
      this.current = c;
      c.onBroken = (error) => this.crashed(c, error);
      for (const waiting of this.queue) disarm(waiting); // they wait for room now, not for a start
      this.pump();
    });
    this.starting = attempt.then(() => undefined, () => undefined);
    return attempt;
  }

  private crashed(c: WrapperConnection, error: Error): void {
    if (this.current !== c) return;
    this.current = undefined;
    this.bury(c);
    this.failures = performance.now() - c.readyAt < STEADY_MS ? this.failures + 1 : 1;
    this.options.logger.errorWith('wrapper ended; starting a new one', {
      code: (error as { code?: unknown }).code, error: error.message, wrapperPid: c.pid, restartInMs: this.backoff(),
    });
    this.scheduleRestart();
  }

  private backoff(): number {
    return BACKOFF_MS[Math.min(this.failures, BACKOFF_MS.length) - 1] ?? 0;
  }

  private scheduleRestart(): void {
    if (this.closing) return;
    for (const waiting of this.queue) this.armTimer(waiting);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.launch().catch((error: Error) => this.restartFailed(error));
    }, this.backoff());
  }

  private restartFailed(error: Error): void {
    if (this.closing) return;
    this.failures += 1;
    this.options.logger.errorWith('wrapper restart failed; trying again', {
      code: (error as { code?: unknown }).code, error: error.message, restartInMs: this.backoff(),
    });
    const refusal = createError(ErrorCodes.WRAPPER_START, `wrapper ${this.options.name} could not be restarted: ${error.message}`, { cause: error });
    for (const waiting of this.queue.splice(0)) {
      disarm(waiting);
      waiting.reject(refusal);
    }
    this.scheduleRestart();
  }

  /** Bounds how long `waiting` waits for a wrapper to become READY. */
  private armTimer(waiting: Waiting): void {
    if (waiting.timer) return;
    const { name, startTimeoutMs } = this.options;
    waiting.timer = setTimeout(() => {
      const at = this.queue.indexOf(waiting);
      if (at === -1) return;
      this.queue.splice(at, 1);
      waiting.reject(createError(ErrorCodes.WRAPPER_START, `wrapper ${name} was not ready again within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
  }
}
