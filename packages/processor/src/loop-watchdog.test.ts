import { describe, expect, it } from 'vitest';
import { createLogger } from './logging.js';
import { LOOP_WATCHDOG_DEFAULTS, loopWatchdogOptions, startLoopWatchdog, watchdogPeriodMs } from './loop-watchdog.js';

describe('loopWatchdogOptions', () => {
  it('defaults to a 10 s bound and exiting', () => {
    expect(loopWatchdogOptions({})).toEqual({ blockedAfterMs: 10_000, exitOnBlock: true });
    expect(LOOP_WATCHDOG_DEFAULTS).toEqual({ blockedAfterMs: 10_000, exitOnBlock: true });
  });

  it('reads the bound (0 = off) and the exit switch', () => {
    expect(loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: '2500', NUCLEON_LOOP_BLOCK_EXIT: 'false' })).toEqual({ blockedAfterMs: 2500, exitOnBlock: false });
    expect(loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: '0', NUCLEON_LOOP_BLOCK_EXIT: '1' })).toEqual({ blockedAfterMs: 0, exitOnBlock: true });
  });

  it('refuses bad values, naming the variable', () => {
    for (const value of ['soon', '-1', '1.5', '99999999999']) {
      expect(() => loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: value })).toThrow(/NUCLEON_LOOP_BLOCK_TIMEOUT_MS must be a whole number/);
    }
    expect(() => loopWatchdogOptions({ NUCLEON_LOOP_BLOCK_EXIT: 'maybe' })).toThrow(/NUCLEON_LOOP_BLOCK_EXIT must be true or false/);
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
    expect(startLoopWatchdog({ blockedAfterMs: 0, exitOnBlock: true, functionName: 'fn', logger: createLogger() })).toBeUndefined();
  });

  it('counts a block of this very thread past the bound, and not a loop that runs', async () => {
    const watchdog = startLoopWatchdog({ blockedAfterMs: 200, exitOnBlock: false, functionName: 'fn', logger: createLogger() })!;
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
