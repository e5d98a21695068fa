import { ErrorCodes, isNucleonError } from '../errors.js';
import type { Event } from '../event.js';
import type { Logger } from '../logger.js';
import { sleep as defaultSleep } from '../platform-support.js';
import type { Response } from '../response.js';
import type { DeliveryOptions } from './attributes.js';
import { createDeadLetter, type DeadLetter } from './dead-letter.js';

/** Acknowledges the record being delivered; idempotent: the source sees at most one ack. */
export type ExplicitAck = () => Promise<void>;

/** What the policy hands the trigger's `submit` hook for one handler attempt. */
export interface DeliveryAttempt {
  /** 1 for the first try; worker back-pressure retries keep the number. */
  attempt: number;
  /**
   * The event to run: the record's event, with `ack` set on it in `enable` / `explicitOnly`
   * mode so the runtime can hand it to the handler. Triggers submit this one.
   */
  event: Event;
  /**
   * The record's ack, for the handler to call in `enable` / `explicitOnly` mode (the trigger
   * attaches it to what the handler sees). A no-op in `disable` mode, where only success acks.
   */
  ack: ExplicitAck;
}

/** What a trigger supplies for one record. */
export interface DeliveryHooks {
  /** Runs the handler once, through the worker pool (`submitter.submit(attempt.event)`). */
  submit(attempt: DeliveryAttempt): Promise<Response>;
  /** Acknowledges the record at the source (commit the offset, ack the message). */
  ack(): Promise<void>;
  /** Publishes the dead letter to `letter.target`; resolves once the broker has it. */
  deadLetter?(letter: DeadLetter): Promise<void>;
  /** Overrides the policy's sleep for this record. */
  sleep?(ms: number): Promise<void>;
  /** Aborted when the trigger stops or loses the partition: no further attempt, no ack. */
  signal?: AbortSignal;
}

/**
 * How delivery of one record ended. The trigger acts on `status`:
 * - `acked`: handled and acknowledged; or the handler acked explicitly and then failed (`error`
 *   set), which ends delivery: an acknowledged record is not retried.
 * - `handled`: handled, but `explicitOnly` leaves the ack to the handler, which did not ack.
 * - `dead-lettered`: exhausted and published to the dead-letter target, then acked
 *   (not acked in `explicitOnly` unless the handler did).
 * - `dropped`: exhausted, `onExhausted: drop`: logged at error and acked.
 * - `failed`: not acknowledged and must not be (dead letter or ack failed, or
 *   `onExhausted: stop`): the trigger redelivers it (nack, seek back) or stops.
 * - `not-acked`: not handled because the processor is shutting down, the trigger was aborted
 *   or no worker came free: not acknowledged, so the source redelivers it later.
 */
export type DeliveryStatus = 'acked' | 'handled' | 'dead-lettered' | 'dropped' | 'failed' | 'not-acked';

export interface DeliveryOutcome {
  status: DeliveryStatus;
  /** Handler attempts made. */
  attempts: number;
  /** Whether the record was acknowledged (by the policy or by the handler). */
  acked: boolean;
  /** The handler's response, when an attempt succeeded. */
  response?: Response;
  /** The last error, when no attempt succeeded or a hook failed. */
  error?: unknown;
}

/** How a policy is made: resolved delivery settings plus injectable time, for tests. */
export interface DeliveryPolicyOptions extends DeliveryOptions {
  logger?: Logger;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  /**
   * How many times a record waits for a free worker (NO_WORKER_AVAILABLE) before it is given
   * back as `not-acked`. These waits are back-pressure, not attempts. Default 100.
   */
  maxBusyRetries?: number;
}

/**
 * The one delivery contract of stream triggers: ack after success, bounded retries with
 * capped exponential backoff, dead letter then ack, Nuclio's explicit ack modes, at most one
 * ack per record. Stateless between records: one policy serves a whole trigger, and
 * `deliver` may run for many records at once.
 */
export class DeliveryPolicy {
  readonly options: Readonly<DeliveryPolicyOptions>;

  constructor(options: DeliveryPolicyOptions) {
    this.options = Object.freeze({ ...options });
  }

  /** The delay before retry number `retry` (1 = after the first failed attempt), capped. */
  retryDelay(retry: number): number {
    const { retryInitialDelayMs, retryMultiplier, retryMaxDelayMs } = this.options;
    return Math.min(retryMaxDelayMs, retryInitialDelayMs * retryMultiplier ** (retry - 1));
  }

  /** Delivers one record: runs the handler until it succeeds or attempts run out. */
  deliver(event: Event, hooks: DeliveryHooks): Promise<DeliveryOutcome> {
    return this.run(event, hooks, undefined);
  }

  /**
   * Goes on delivering a record whose first attempt the trigger ran itself and saw fail: for
   * a trigger's fast path (`explicitAckMode: disable`, the handler run through `dispatch`, and
   * acked by the trigger on success without a promise per record), which hands only failures
   * to the policy. `error` counts as attempt 1, unless it is back-pressure or shutdown
   * (NO_WORKER_AVAILABLE, SHUTTING_DOWN), which uses no attempt, as in `deliver`.
   */
  deliverAfterFailure(event: Event, hooks: DeliveryHooks, error: unknown): Promise<DeliveryOutcome> {
    const backPressure = isNucleonError(error, ErrorCodes.NO_WORKER_AVAILABLE) || isNucleonError(error, ErrorCodes.SHUTTING_DOWN);
    return this.run(event, hooks, backPressure ? undefined : { error });
  }

  private async run(event: Event, hooks: DeliveryHooks, failedFirst: { error: unknown } | undefined): Promise<DeliveryOutcome> {
    const { maxAttempts, explicitAckMode, onExhausted, deadLetter: target } = this.options;
    // The default wait ends as soon as the trigger aborts, so a stop never waits out a backoff.
    const sleep = hooks.sleep ?? this.options.sleep ?? ((ms: number) => defaultSleep(ms, hooks.signal));
    const now = this.options.now ?? (() => new Date());
    const maxBusy = this.options.maxBusyRetries ?? 100;

    let ackPromise: Promise<void> | undefined;
    const ackOnce = (): Promise<void> => (ackPromise ??= hooks.ack());
    const explicitAck: ExplicitAck = explicitAckMode === 'disable' ? () => Promise.resolve() : ackOnce;
    const acked = (): boolean => ackPromise !== undefined;
    // Set on the trigger's own event, not a copy: a trigger's event may be a class with lazy getters.
    if (explicitAckMode !== 'disable') event.ack = explicitAck;
    const aborted = (): boolean => hooks.signal?.aborted === true;

    let attempts = 0;
    let busy = 0;
    let lastError: unknown;
    let firstFailedAt: Date | undefined;
    if (failedFirst) {
      attempts = 1;
      lastError = failedFirst.error;
      firstFailedAt = now();
      if (attempts < maxAttempts) await sleep(this.retryDelay(attempts));
    }
    while (attempts < maxAttempts) {
      if (aborted()) return { status: 'not-acked', attempts, acked: acked(), error: lastError };
      try {
        const response = await hooks.submit({ attempt: attempts + 1, event, ack: explicitAck });
        attempts += 1;
        if (explicitAckMode === 'explicitOnly') {
          if (ackPromise) return this.settleAck(ackPromise, 'acked', attempts, response);
          return { status: 'handled', attempts, acked: false, response };
        }
        return await this.settleAck(ackOnce(), 'acked', attempts, response);
      } catch (err) {
        if (isNucleonError(err, ErrorCodes.SHUTTING_DOWN)) {
          return { status: 'not-acked', attempts, acked: acked(), error: err };
        }
        if (isNucleonError(err, ErrorCodes.NO_WORKER_AVAILABLE)) {
          busy += 1;
          if (busy > maxBusy) return { status: 'not-acked', attempts, acked: acked(), error: err };
          await sleep(this.retryDelay(busy));
          continue;
        }
        attempts += 1;
        lastError = err;
        if (ackPromise) {
          // The handler acknowledged its record before failing: the source is done with it,
          // so another attempt or a dead letter would act on a record that is already gone.
          this.options.logger?.warnWith('handler failed after acknowledging its record; not retried',
            { eventId: event.id, topic: event.topic, shardId: event.shardId, offset: event.offset, attempts, error: errorText(err) });
          const outcome = await this.settleAck(ackPromise, 'acked', attempts, undefined);
          return { ...outcome, error: outcome.error ?? err };
        }
        firstFailedAt ??= now();
        if (attempts < maxAttempts) await sleep(this.retryDelay(attempts));
      }
    }

    const lastFailedAt = now();
    const logFields = { eventId: event.id, topic: event.topic, shardId: event.shardId, offset: event.offset, attempts };
    if (onExhausted === 'stop') {
      this.options.logger?.errorWith('record failed every attempt; not acknowledged (onExhausted: stop)',
        { ...logFields, error: errorText(lastError) });
      return { status: 'failed', attempts, acked: acked(), error: lastError };
    }
    if (onExhausted === 'dead-letter' && target !== undefined) {
      try {
        if (!hooks.deadLetter) throw new TypeError('deadLetter is configured but the trigger gave no deadLetter hook');
        await hooks.deadLetter(createDeadLetter(event, target, lastError, attempts, firstFailedAt ?? lastFailedAt, lastFailedAt));
      } catch (err) {
        this.options.logger?.errorWith('dead letter could not be published; record not acknowledged',
          { ...logFields, target, error: errorText(err) });
        return { status: 'failed', attempts, acked: acked(), error: err };
      }
      this.options.logger?.warnWith('record dead-lettered after its last attempt',
        { ...logFields, target, error: errorText(lastError) });
      return this.settleExhausted(ackOnce, acked, 'dead-lettered', attempts, lastError);
    }
    this.options.logger?.errorWith('record failed every attempt; dropped and acknowledged (no dead letter)',
      { ...logFields, error: errorText(lastError) });
    return this.settleExhausted(ackOnce, acked, 'dropped', attempts, lastError);
  }

  private async settleExhausted(ackOnce: () => Promise<void>, acked: () => boolean, status: 'dead-lettered' | 'dropped',
    attempts: number, error: unknown): Promise<DeliveryOutcome> {
    if (this.options.explicitAckMode === 'explicitOnly' && !acked()) return { status, attempts, acked: false, error };
    const outcome = await this.settleAck(ackOnce(), status, attempts, undefined);
    return outcome.status === 'failed' ? outcome : { ...outcome, error };
  }

  private async settleAck(ack: Promise<void>, status: DeliveryStatus, attempts: number,
    response: Response | undefined): Promise<DeliveryOutcome> {
    try {
      await ack;
    } catch (err) {
      return { status: 'failed', attempts, acked: false, error: err, ...(response ? { response } : {}) };
    }
    return { status, attempts, acked: true, ...(response ? { response } : {}) };
  }
}

/** Creates the delivery policy of one trigger. */
export function createDeliveryPolicy(options: DeliveryPolicyOptions): DeliveryPolicy {
  return new DeliveryPolicy(options);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
