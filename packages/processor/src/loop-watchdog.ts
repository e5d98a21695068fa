import { Worker } from 'node:worker_threads';
import type { Logger } from '@nucleon/core';
import { ExitCodes } from './exit-codes.js';
import { errorFields } from './logging.js';
import { LOOP_WATCHDOG_THREAD_SOURCE } from './loop-watchdog-thread.js';

/** How the event-loop watchdog behaves; `blockedAfterMs: 0` turns it off. */
export interface LoopWatchdogOptions {
  /** A loop that runs no timer for this long counts as blocked (default 10 s). */
  blockedAfterMs: number;
  /** End the processor with {@link ExitCodes.LOOP_BLOCKED} when blocked (default true). */
  exitOnBlock: boolean;
  /** After asking the main thread to exit, how long before SIGKILL: the loop may be stuck in native code (default 2 s). */
  killAfterMs: number;
}

/** What `/live` tells about the loop: blocks seen so far and the longest one. */
export interface LoopState {
  blocks: number;
  longestBlockMs: number;
  boundMs: number;
}

export interface LoopWatchdog {
  state(): LoopState;
  stop(): Promise<void>;
}

/**
 * Defaults. 10 s: far above any pause a healthy processor has (GC, a large JSON parse, a
 * busy 2-CPU machine), and well inside the 30 s after which Docker's health check or a
 * Kubernetes liveness probe with default settings would give up on the processor anyway.
 * Exit on by default: nothing inside a blocked processor can recover it (triggers, /live and
 * the SIGTERM drain all wait on the loop), and a platform restarts an exited one.
 */
export const LOOP_WATCHDOG_DEFAULTS: LoopWatchdogOptions = Object.freeze({ blockedAfterMs: 10_000, exitOnBlock: true, killAfterMs: 2_000 });

const MAX_TIMER_MS = 2 ** 31 - 1;

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number, zero: string): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be a whole number of milliseconds (${zero}), got "${raw}"`);
  }
  return value;
}

/**
 * The watchdog's settings from `NUCLEON_LOOP_BLOCK_TIMEOUT_MS` (0 = off),
 * `NUCLEON_LOOP_BLOCK_EXIT` (`true`/`false`) and `NUCLEON_LOOP_BLOCK_KILL_AFTER_MS`; throws a
 * RangeError naming the variable on bad input.
 */
export function loopWatchdogOptions(env: NodeJS.ProcessEnv): LoopWatchdogOptions {
  const blockedAfterMs = milliseconds(env, 'NUCLEON_LOOP_BLOCK_TIMEOUT_MS', LOOP_WATCHDOG_DEFAULTS.blockedAfterMs, '0 turns the watchdog off');
  const killAfterMs = milliseconds(env, 'NUCLEON_LOOP_BLOCK_KILL_AFTER_MS', LOOP_WATCHDOG_DEFAULTS.killAfterMs, '0: at once');
  const rawExit = env.NUCLEON_LOOP_BLOCK_EXIT;
  let exitOnBlock = LOOP_WATCHDOG_DEFAULTS.exitOnBlock;
  if (rawExit !== undefined && rawExit !== '') {
    if (!['true', 'false', '1', '0'].includes(rawExit)) {
      throw new RangeError(`NUCLEON_LOOP_BLOCK_EXIT must be true or false, got "${rawExit}"`);
    }
    exitOnBlock = rawExit === 'true' || rawExit === '1';
  }
  return { blockedAfterMs, exitOnBlock, killAfterMs };
}

/** The heartbeat and check period: fine enough to report within a quarter of the bound, never busier than 4 times a second. */
export function watchdogPeriodMs(blockedAfterMs: number): number {
  return Math.min(250, Math.max(10, Math.floor(blockedAfterMs / 4)));
}

/**
 * Starts the watchdog: the main loop beats a shared counter; a worker thread, which a
 * blocked main loop does not stop, reports a counter that stands still past the bound and,
 * when so configured, ends the process. Neither the timer nor the thread keeps the process
 * alive. Returns undefined when turned off.
 */
export function startLoopWatchdog(options: LoopWatchdogOptions & { functionName: string; logger: Logger }): LoopWatchdog | undefined {
  if (options.blockedAfterMs === 0) return undefined;
  const buffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const cells = new Int32Array(buffer);
  const periodMs = watchdogPeriodMs(options.blockedAfterMs);
  const worker = new Worker(LOOP_WATCHDOG_THREAD_SOURCE, {
    eval: true,
    workerData: {
      buffer, blockedAfterMs: options.blockedAfterMs, checkEveryMs: periodMs, exitOnBlock: options.exitOnBlock,
      exitCode: ExitCodes.LOOP_BLOCKED, killAfterMs: options.killAfterMs, functionName: options.functionName,
    },
  });
  worker.unref();
  worker.on('error', (err) => options.logger.errorWith('event-loop watchdog failed; the loop is no longer watched', errorFields(err)));
  const beat = setInterval(() => Atomics.add(cells, 0, 1), periodMs);
  beat.unref();
  return {
    state: () => ({
      blocks: Atomics.load(cells, 1), longestBlockMs: Atomics.load(cells, 2), boundMs: options.blockedAfterMs,
    }),
    async stop() {
      clearInterval(beat);
      await worker.terminate();
    },
  };
}
