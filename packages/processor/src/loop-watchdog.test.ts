import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.js';
import { LOOP_WATCHDOG_DEFAULTS, loopWatchdogOptions, startLoopWatchdog, watchdogPeriodMs } from './loop-watchdog.js';

describe('loopWatchdogOptions', () => {
  it('defaults to a 10 s bound, exiting, and SIGKILL 2 s after the exit was asked', () => {
    expect(loopWatchdogOptions({})).toEqual({ blockedAfterMs: 10_000, exitOnBlock: true, killAfterMs: 2000 });
    expect(LOOP_WATCHDOG_DEFAULTS).toEqual({ blockedAfterMs: 10_000, exitOnBlock: true, killAfterMs: 2000 });
  });

  it('reads the bound (0 = off), the exit switch and the kill delay', () => {
    expect(loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: '2500', NUCLEON_LOOP_BLOCK_EXIT: 'false' })).toEqual({ blockedAfterMs: 2500, exitOnBlock: false, killAfterMs: 2000 });
    expect(loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: '0', NUCLEON_LOOP_BLOCK_EXIT: '1', NUCLEON_LOOP_BLOCK_KILL_AFTER_MS: '500' }))
      .toEqual({ blockedAfterMs: 0, exitOnBlock: true, killAfterMs: 500 });
  });

  it('refuses bad values, naming the variable', () => {
    for (const value of ['soon', '-1', '1.5', '99999999999']) {
      expect(() => loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: value })).toThrow(/NUCLEON_LOOP_BLOCK_TIMEOUT_MS must be a whole number/);
    }
    expect(() => loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_EXIT: 'maybe' })).toThrow(/NUCLEON_LOOP_BLOCK_EXIT must be true or false/);
    expect(() => loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_KILL_AFTER_MS: 'later' })).toThrow(/NUCLEON_LOOP_BLOCK_KILL_AFTER_MS must be a whole number/);
  });
});

describe('watchdogPeriodMs', () => {
  it('is a quarter of the bound, between 10 and 250 ms', () => {
    expect(watchdogPeriodMs(10_000)).toBe(250);
    expect(watchdogPeriodMs(400)).toBe(100);
    expect(watchdogPeriodMs(1)).toBe(10);
  });
});

describe('startLoopWatchdog', () => {
  it('is off with a bound of 0', () => {
    expect(startLoopWatchdog({ ...LOOP_WATCHDOG_DEFAULTS, blockedAfterMs: 0, functionName: 'fn', logger: createLogger() })).toBeUndefined();
  });

  it('counts a block of this very thread past the bound, and not a loop that runs', async () => {
    const watchdog = startLoopWatchdog({ ...LOOP_WATCHDOG_DEFAULTS, blockedAfterMs: 200, exitOnBlock: false, functionName: 'fn', logger: createLogger() })!;
    try {
      await new Promise((r) => setTimeout(r, 600));
      expect(watchdog.state().blocks).toBe(0);
      const until = Date.now() + 800;
      while (Date.now() < until) { /* block the loop the watchdog watches */ }
      await new Promise((r) => setTimeout(r, 300));
      const state = watchdog.state();
      expect(state.blocks).toBe(1);
      expect(state.longestBlockMs).toBeGreaterThanOrEqual(200);
      expect(state.longestBlockMs).toBeLessThanOrEqual(900);
      expect(state.boundMs).toBe(200);
    } finally {
      await watchdog.stop();
    }
  });
});
