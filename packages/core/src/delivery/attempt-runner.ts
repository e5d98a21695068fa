import type { Event } from '../event.js';
import type { EventCallback, EventSubmitter } from '../plugin.js';
import type { Response } from '../response.js';

/**
 * Runs one partition's (or shard's) records through the pool's callback-style `dispatch`, one at a time,
 * and answers synchronously when the handler did (a sync Node handler on a free worker): the
 * per-record hot path then allocates no promise and no closure. After `run`, `error` and
 * `response` hold the answer until the next `run`.
 */
export class AttemptRunner {
  error: Error | undefined;
  response: Response | undefined;
  private answered = false;
  private waiting: (() => void) | undefined;
  private readonly onAnswer: EventCallback = (error, response) => {
    this.error = error;
    this.response = response;
    this.answered = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  };

  constructor(private readonly dispatch: (event: Event, done: EventCallback) => void) {}

  /** Runs the handler once: undefined when it already answered, else a promise of the answer. */
  run(event: Event): Promise<void> | undefined {
    this.answered = false;
    this.error = undefined;
    this.response = undefined;
    this.dispatch(event, this.onAnswer);
    if (this.answered) return undefined;
    return new Promise((resolve) => { this.waiting = resolve; });
  }
}

/** The submitter's `dispatch`, or one made from `submit` for a submitter without it. */
export function dispatcherOf(submitter: EventSubmitter): (event: Event, done: EventCallback) => void {
  if (submitter.dispatch) return submitter.dispatch.bind(submitter);
  return (event, done) => {
    submitter.submit(event).then((response) => done(undefined, response), (error: unknown) => done(error as Error));
  };
}
