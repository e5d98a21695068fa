import {
  scaleToZeroPolicy, sleep, type FunctionConfig, type FunctionStatus, type Logger, type Platform, type ScaleToZeroPolicy,
} from '@nucleon/core';
import { DEFAULT_HOLD_LIMITS, FunctionHold, type HoldLimits } from './function-hold.js';
import { IdleDetector } from './idle-detector.js';
import { sumMetric } from './metrics-text.js';
import { ScalerMetrics, type WakeReason } from './scaler-metrics.js';
import { hasStreamTriggers, streamDemand, type TriggerResolver } from './stream-wake.js';

/** The longest pause between two reads of a running function's metrics (a tenth of its window, at least the tick). */
const MAX_SCRAPE_INTERVAL_MS = 30_000;
/** The longest pause between wakes of a function that keeps failing to start. */
const MAX_WAKE_BACKOFF_MS = 300_000;
/** How long after a tick it was woken for a cron function is kept up, for the tick to fire and be counted. */
const CRON_FIRE_MARGIN_MS = 2000;

/** What a scaler is given. */
export interface ScalerOptions {
  /** The platform whose functions it scales; it must implement `scale`. */
  platform: Platform;
  logger: Logger;
  metrics?: ScalerMetrics;
  /** How often functions are listed and their processors' metrics read (default 1 s). */
  intervalMs?: number;
  /** How often a zeroed function's stream triggers are probed (default 1 s). */
  probeIntervalMs?: number;
  /** How long before a cron tick a zeroed function is woken (default 5 s: a cold start with room to spare). */
  cronLeadMs?: number;
  /** After a failed wake, requests are answered 503 at once for this long (default 5 s), doubling with each failure in a row (at most 5 min). */
  failBackoffMs?: number;
  holdLimits?: Partial<HoldLimits>;
  /** Resolves trigger plugins for stream wake; without it, functions wake only through the activator. */
  resolveTrigger?: TriggerResolver;
  /** Where processors' admin servers and HTTP ports are reached (default 127.0.0.1). */
  functionHost?: string;
}

/** What the scaler knows of one function. */
interface Watched {
  name: string;
  createdAt: string;
  config?: FunctionConfig;
  policy?: ScaleToZeroPolicy;
  detector?: IdleDetector;
  hold?: FunctionHold;
  /** A wake or a scale-down in progress: one at a time per function. */
  busy?: Promise<void>;
  busyWith?: 'wake' | 'scale-down';
  /** Demand that came during a scale-down, acted on when it ends (demand during a wake is served by that wake). */
  pendingDemand?: WakeReason;
  firstDemandAt?: number;
  lastProbeAt: number;
  /** Woken for a cron tick: not idle before the tick had time to fire, whatever the window says. */
  upUntil?: number;
  lastScrapeAt: number;
  /** Why the activator could not hold the port at the last try (logged once). */
  holdRefused?: string;
  /** The status the last tick saw (its admin port, for the wake's `/live` watch). */
  lastStatus?: FunctionStatus;
  /** Wakes that failed in a row, and until when no stream or cron demand wakes it again. */
  failedWakes: number;
  retryAt: number;
}

/** One function as `status()` and `/status` report it. */
export interface WatchedStatus {
  name: string;
  policy: boolean;
  holding: boolean;
  buffered: number;
  waking: boolean;
  watchedMs: number;
}

/**
 * The platform-neutral scaler: every `intervalMs` it lists the platform's functions; a running
 * one with a scale-to-zero policy has its processor's counters read and, once idle for its whole
 * window, goes to zero (the activator takes its port first); a zeroed one is held by the
 * activator and woken by the first request, by work at its stream sources, or before its cron
 * tick. Platforms differ only behind `Platform.scale`.
 */
export class Scaler {
  readonly metrics: ScalerMetrics;
  private readonly watched = new Map<string, Watched>();
  private readonly abort = new AbortController();
  private readonly limits: HoldLimits;
  private loop: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: ScalerOptions) {
    if (!options.platform.scale) throw new TypeError('the platform cannot scale functions (no Platform.scale)');
    this.metrics = options.metrics ?? new ScalerMetrics();
    this.limits = { ...DEFAULT_HOLD_LIMITS, ...options.holdLimits };
  }

  private get host(): string {
    return this.options.functionHost ?? '127.0.0.1';
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops watching; every request held and not answered gets 503; a wake in progress is abandoned (the function stays at zero). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    const busy = [...this.watched.values()].map((w) => w.busy);
    await Promise.all([...this.watched.values()].map((w) => w.hold?.close('the scaler is shutting down; retry')));
    await Promise.race([Promise.allSettled(busy), sleep(15_000)]);
    await this.loop;
  }

  status(): WatchedStatus[] {
    return [...this.watched.values()].map((w) => ({
      name: w.name, policy: w.policy !== undefined, holding: w.hold?.isHolding ?? false, buffered: w.hold?.buffered ?? 0,
      waking: w.busy !== undefined, watchedMs: w.detector?.watchedMs() ?? 0,
    }));
  }

  /** One pass over every function (also what the loop runs; tests call it directly). */
  async tick(): Promise<void> {
    const statuses = await this.options.platform.list();
    const seen = new Set<string>();
    for (const status of statuses) {
      seen.add(status.name);
      await this.visit(status).catch((err: unknown) => {
        this.options.logger.warnWith('scaler: could not handle function', { function: status.name, error: (err as Error).message });
      });
    }
    for (const [name, w] of this.watched) {
      if (seen.has(name) || w.busy) continue;
      await w.hold?.close(`function "${name}" was deleted`);
      this.metrics.forget(name);
      this.watched.delete(name);
    }
  }

  private async run(): Promise<void> {
    const interval = this.options.intervalMs ?? 1000;
    while (!this.stopped) {
      await this.tick().catch((err: unknown) => {
        this.options.logger.warnWith('scaler: could not list functions', { error: (err as Error).message });
      });
      await sleep(interval, this.abort.signal);
    }
  }

  private async visit(status: FunctionStatus): Promise<void> {
    let w = this.watched.get(status.name);
    // New, redeployed, or its configuration not readable yet (a first deploy still under way): read it, watch it afresh.
    if (!w || w.createdAt !== status.createdAt || !w.config) {
      if (w?.busy) return;
      const config = await this.options.platform.getConfig?.(status.name);
      w = {
        ...w, name: status.name, createdAt: status.createdAt, config, policy: config && scaleToZeroPolicy(config), detector: undefined,
        lastProbeAt: 0, lastScrapeAt: 0, failedWakes: 0, retryAt: 0,
      };
      this.watched.set(status.name, w);
    }
    this.metrics.zero(w.name, status.state === 'scaledToZero');
    w.lastStatus = status;
    if (w.busy) return;
    // Up again (woken by hand, redeployed, even without a policy now): whatever the activator still holds goes to the function.
    if (status.state !== 'scaledToZero' && w.hold) await this.releaseHold(w, status);
    if (!w.policy) return;
    if (status.state === 'scaledToZero') return this.atZero(w, status);
    if (status.state === 'ready') await this.watchIdle(w, w.policy, status);
  }

  private async watchIdle(w: Watched, policy: ScaleToZeroPolicy, status: FunctionStatus): Promise<void> {
    const adminPort = status.details?.adminPort;
    if (typeof adminPort !== 'number') return;
    // A tenth of the window is fine enough to see it pass, and spares a busy function a scrape every tick.
    const scrapeEveryMs = Math.min(MAX_SCRAPE_INTERVAL_MS, Math.max(this.options.intervalMs ?? 1000, policy.windowMs / 10));
    if (Date.now() - w.lastScrapeAt < scrapeEveryMs) return;
    w.lastScrapeAt = Date.now();
    const text = await fetch(`http://${this.host}:${adminPort}/metrics`, { signal: AbortSignal.timeout(2000) })
      .then((res) => (res.ok ? res.text() : undefined), () => undefined);
    if (text === undefined) return;
    const values: Record<string, number> = {};
    for (const r of policy.resources) values[r.metricName] = sumMetric(text, r.metricName) ?? 0;
    w.detector ??= new IdleDetector(policy);
    w.detector.observe({ at: Date.now(), values, inFlight: sumMetric(text, 'nucleon_events_in_flight') ?? 0 });
    if (Date.now() < (w.upUntil ?? 0)) return;
    if (w.detector.isIdle()) this.runBusy(w, 'scale-down', () => this.scaleDown(w, status));
  }

  private async atZero(w: Watched, status: FunctionStatus): Promise<void> {
    if (!w.hold && status.httpPort !== undefined) {
      const hold = this.newHold(w, status.httpPort, status);
      // The processor is gone, so the port is free (or held by an activator of a scaler that just restarted, with SO_REUSEPORT).
      await hold.listen().then(() => {
        w.hold = hold;
        w.holdRefused = undefined;
      }, (err: Error) => {
        // Said once, not every tick, until the port can be held again.
        if (w.holdRefused !== err.message) this.options.logger.warnWith('activator: cannot hold the function\'s port', { function: w.name, error: err.message });
        w.holdRefused = err.message;
      });
    }
    const resolve = this.options.resolveTrigger;
    const probeEvery = this.options.probeIntervalMs ?? 1000;
    if (!resolve || !w.config || !hasStreamTriggers(w.config) || Date.now() - w.lastProbeAt < probeEvery || Date.now() < w.retryAt) return;
    w.lastProbeAt = Date.now();
    const demand = await streamDemand(w.config, {
      resolve, logger: this.options.logger, leadMs: this.options.cronLeadMs ?? 5000, signal: this.abort.signal,
    });
    if (demand) {
      this.options.logger.infoWith('waking function: its source has work', { function: w.name, trigger: demand.trigger, detail: demand.detail });
      if (demand.tickAt !== undefined) w.upUntil = demand.tickAt + CRON_FIRE_MARGIN_MS;
      this.demand(w, demand.reason);
    }
  }

  private newHold(w: Watched, port: number, status: FunctionStatus): FunctionHold {
    const bindHost = typeof status.details?.httpHost === 'string' ? status.details.httpHost : this.host;
    return new FunctionHold(w.name, { host: bindHost, port }, this.limits, {
      onDemand: () => this.demand(w, 'http'),
      onBuffered: (count) => this.metrics.bufferedRequests(w.name, count),
    }, this.options.logger);
  }

  /** Something waits for a zeroed function: wake it (once; demand while busy is kept for after). */
  private demand(w: Watched, reason: WakeReason): void {
    w.firstDemandAt ??= Date.now();
    if (this.stopped) return;
    if (w.busyWith === 'scale-down') w.pendingDemand ??= reason;
    if (w.busy) return;
    this.runBusy(w, 'wake', () => this.wake(w, reason));
  }

  private runBusy(w: Watched, kind: 'wake' | 'scale-down', job: () => Promise<void>): void {
    w.busyWith = kind;
    w.busy = job().catch((err: unknown) => {
      this.options.logger.warnWith('scaler: operation failed', { function: w.name, error: (err as Error).message });
    }).finally(() => {
      w.busy = undefined;
      w.busyWith = undefined;
      const pending = w.pendingDemand;
      w.pendingDemand = undefined;
      // Something came for the function while it was going down: wake it straight away.
      if (pending && w.hold) this.demand(w, pending);
    });
  }

  private async scaleDown(w: Watched, status: FunctionStatus): Promise<void> {
    const port = status.httpPort;
    // Take the port first (beside the processor, SO_REUSEPORT), so no connection is refused while it stops.
    let hold = port !== undefined ? this.newHold(w, port, status) : undefined;
    if (hold) await hold.listen().catch((err: Error) => {
      this.options.logger.warnWith('activator: cannot share the port before scaling down; taking it after', { function: w.name, error: err.message });
      hold = undefined;
    });
    this.options.logger.infoWith('scaling idle function to zero', { function: w.name, windowMs: w.policy?.windowMs });
    try {
      await this.options.platform.scale!(w.name, 0, { signal: this.abort.signal });
    } catch (err) {
      // Still running: hand back whatever came to the activator meanwhile.
      if (hold) await hold.release({ host: this.host, port: port! });
      throw err;
    }
    this.metrics.scaledDown(w.name);
    this.metrics.zero(w.name, true);
    w.detector = undefined;
    if (!hold && port !== undefined) {
      hold = this.newHold(w, port, status);
      await listenWithRetry(hold, 2000);
    }
    w.hold = hold;
  }

  private async wake(w: Watched, reason: WakeReason): Promise<void> {
    const firstAt = w.firstDemandAt ?? Date.now();
    const decidedAt = Date.now();
    const adminPort = w.lastStatus?.details?.adminPort;
    let liveAt: number | undefined;
    const done = new AbortController();
    if (typeof adminPort === 'number') void pollLive(this.host, adminPort, done.signal).then((at) => { liveAt = at; });
    try {
      const status = await this.options.platform.scale!(w.name, 1, { signal: this.abort.signal });
      const readyAt = Date.now();
      done.abort();
      this.metrics.wake(w.name, reason, 'ready');
      w.failedWakes = 0;
      w.retryAt = 0;
      const hold = w.hold;
      w.hold = undefined;
      w.firstDemandAt = undefined;
      let firstResponseAt: number | undefined;
      if (hold) {
        const buffered = hold.buffered;
        const firstResponse = new Promise<void>((resolve) => {
          hold.onFirstResponse = () => {
            firstResponseAt = Date.now();
            resolve();
          };
        });
        await hold.release({ host: this.host, port: status.httpPort ?? hold.address.port });
        if (buffered > 0) await Promise.race([firstResponse, sleep(1000)]);
      }
      this.recordPhases(w.name, { firstAt, decidedAt, liveAt, readyAt, firstResponseAt });
      this.options.logger.infoWith('function woken', { function: w.name, reason, ms: (firstResponseAt ?? readyAt) - firstAt });
    } catch (err) {
      done.abort();
      this.metrics.wake(w.name, reason, 'failed');
      w.firstDemandAt = undefined;
      const message = `could not wake function "${w.name}": ${(err as Error).message.split('\n')[0]}`;
      // A function that keeps failing to start is not restarted in a loop: 5 s, 10 s, 20 s, ... up to 5 min.
      w.failedWakes += 1;
      const backoffMs = Math.min(MAX_WAKE_BACKOFF_MS, (this.options.failBackoffMs ?? 5000) * 2 ** (w.failedWakes - 1));
      w.retryAt = Date.now() + backoffMs;
      this.options.logger.warnWith('wake failed', { function: w.name, reason, error: (err as Error).message, retryInMs: backoffMs });
      w.hold?.failWaiting(message, backoffMs);
    }
  }

  private recordPhases(fn: string, t: { firstAt: number; decidedAt: number; liveAt?: number; readyAt: number; firstResponseAt?: number }): void {
    const s = (ms: number) => Math.max(0, ms) / 1000;
    this.metrics.phase(fn, 'decide', s(t.decidedAt - t.firstAt));
    const liveAt = t.liveAt !== undefined && t.liveAt <= t.readyAt ? t.liveAt : undefined;
    if (liveAt !== undefined) this.metrics.phase(fn, 'start', s(liveAt - t.decidedAt));
    this.metrics.phase(fn, 'ready', s(t.readyAt - (liveAt ?? t.decidedAt)));
    if (t.firstResponseAt !== undefined) this.metrics.phase(fn, 'first_response', s(t.firstResponseAt - t.readyAt));
    this.metrics.phase(fn, 'total', s((t.firstResponseAt ?? t.readyAt) - t.firstAt));
  }

  private async releaseHold(w: Watched, status: FunctionStatus): Promise<void> {
    const hold = w.hold!;
    w.hold = undefined;
    await hold.release({ host: this.host, port: status.httpPort ?? hold.address.port });
  }
}

/** Resolves with the time the processor's admin server first answered `/live`, or never (aborted). */
async function pollLive(host: string, adminPort: number, signal: AbortSignal): Promise<number | undefined> {
  while (!signal.aborted) {
    const ok = await fetch(`http://${host}:${adminPort}/live`, { signal: AbortSignal.timeout(500) })
      .then(async (res) => { await res.body?.cancel(); return res.ok; }, () => false);
    if (ok) return Date.now();
    await sleep(10, signal);
  }
  return undefined;
}

/** After a processor that did not share its port stopped: bind as soon as the port is free. */
async function listenWithRetry(hold: FunctionHold, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await hold.listen();
    } catch (err) {
      if (Date.now() > until) throw err;
      await sleep(10);
    }
  }
}
