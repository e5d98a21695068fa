import { randomBytes } from 'node:crypto';
import {
  ErrorCodes, isNucleonError, type Event, type EventSubmitter, type Logger, type Trigger, type TriggerCreateOptions,
  type TriggerInfo,
} from '@nucleon/core';
import { readCronSettings, tickHeaders, type CronSettings } from './config.js';
import { intervalAnchor } from './schedule/anchor.js';
import { createSchedule, type Schedule } from './schedule/schedule.js';

/**
 * Longest single timer: a far tick is reached in steps, re-reading the clock each time, so a
 * wall-clock step (NTP) or a suspended process is noticed within this long.
 */
const MAX_TIMER_MS = 30_000;
/** Bound on counting the ticks missed while the process was paused. */
const MAX_MISSED_COUNT = 100_000;

/**
 * The cron trigger: fires the configured event on a cron schedule or a fixed interval.
 * Default `concurrencyPolicy: Forbid`: a tick while a run is going is skipped, never queued;
 * ticks missed while the process was paused or its event loop blocked fire once, not each.
 */
export class CronTrigger implements Trigger {
  private readonly settings: CronSettings;
  private readonly submitter: EventSubmitter;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  private readonly maxInFlight: number;
  private schedule: Schedule | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextTick: number | undefined;
  private nextId = 0;
  private inFlight = 0;
  private onIdle: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readCronSettings(options.name, options.config);
    this.submitter = options.submitter;
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
    this.maxInFlight = this.settings.concurrencyPolicy === 'Allow' ? Math.max(1, options.config.numWorkers ?? 1) : 1;
  }

  async start(): Promise<void> {
    for (const w of this.settings.warnings) this.logger.warnWith('configuration warning', { path: w.path, warning: w.message });
    const now = Date.now();
    this.schedule = createSchedule(this.settings.schedule, intervalAnchor(this.options.function, now));
    this.arm(this.schedule.next(now));
    this.logger.infoWith('cron trigger started', {
      schedule: this.schedule.description, concurrencyPolicy: this.settings.concurrencyPolicy,
      firstTick: this.nextTick === undefined ? null : new Date(this.nextTick).toISOString(),
    });
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight === 0) return;
    // Runs past the deadline are left to the processor's own drain; a cron tick has nothing to hand back.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, deadlineMs);
      this.onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Number of runs in progress (for tests). */
  get running(): number {
    return this.inFlight;
  }

  private arm(tick: number | undefined): void {
    this.nextTick = tick;
    if (this.stopped) return;
    if (tick === undefined) {
      this.logger.warnWith('cron schedule has no further ticks in the next five years; the trigger is idle', {});
      return;
    }
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, tick - Date.now()));
    this.timer = setTimeout(() => this.onTimer(tick), delay);
  }

  private onTimer(tick: number): void {
    this.timer = undefined;
    if (this.stopped) return;
    const now = Date.now();
    if (now < tick) {
      this.arm(tick);
      return;
    }
    const schedule = this.schedule as Schedule;
    // Ticks that came due while the process could not run timers fire once, as the latest of them.
    let latest = tick;
    let missed = 0;
    for (let next = schedule.next(latest); next !== undefined && next <= now && missed < MAX_MISSED_COUNT; next = schedule.next(latest)) {
      latest = next;
      missed += 1;
    }
    if (missed > 0) {
      this.logger.infoWith('cron ticks missed while the process was paused or busy; firing once', {
        missed, firstMissed: new Date(tick).toISOString(), firing: new Date(latest).toISOString(),
      });
    }
    this.fire(latest);
    this.arm(schedule.next(latest));
  }

  private fire(scheduled: number): void {
    if (this.inFlight >= this.maxInFlight) {
      this.logger.infoWith('cron tick skipped: the previous run is still in progress', {
        scheduledAt: new Date(scheduled).toISOString(), running: this.inFlight, concurrencyPolicy: this.settings.concurrencyPolicy,
      });
      return;
    }
    const event = this.toEvent(scheduled);
    this.inFlight += 1;
    this.submitter.submit(event).then(
      () => this.settled(),
      (err: unknown) => {
        this.logFailure(event, err);
        this.settled();
      },
    );
  }

  private toEvent(scheduled: number): Event {
    const template = this.settings.event;
    const timestamp = new Date(scheduled);
    return {
      id: this.idPrefix + (this.nextId += 1),
      body: template.body,
      contentType: template.contentType,
      headers: tickHeaders(template, timestamp),
      fields: {},
      method: template.method,
      path: template.path,
      url: template.path,
      timestamp,
      trigger: this.info,
    };
  }

  private logFailure(event: Event, err: unknown): void {
    const fields = {
      eventId: event.id, scheduledAt: event.timestamp.toISOString(),
      error: (err as Error)?.message ?? String(err), ...(isNucleonError(err) ? { code: err.code } : {}),
    };
    if (isNucleonError(err) && err.code === ErrorCodes.SHUTTING_DOWN) {
      this.logger.debugWith('cron tick not run: the processor is shutting down', fields);
    } else if (isNucleonError(err) && err.code === ErrorCodes.NO_WORKER_AVAILABLE) {
      this.logger.warnWith('cron tick skipped: no free worker', fields);
    } else {
      // As Nuclio: a failed run is logged, not retried; the next tick runs as scheduled.
      this.logger.errorWith('cron run failed', fields);
    }
  }

  private settled(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.onIdle) this.onIdle();
  }
}

export function createCronTrigger(options: TriggerCreateOptions): CronTrigger {
  return new CronTrigger(options);
}
