import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff.js';

describe('RestartBackoff', () => {
  it('doubles from 1 s to at most 30 s while the processor keeps dying quickly', () => {
    const backoff = new RestartBackoff();
    expect(Array.from({ length: 8 }, () => backoff.next(500))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over after a run of a stable minute', () => {
    const backoff = new RestartBackoff();
    backoff.next(10);
    backoff.next(10);
    expect(backoff.next(10)).toBe(4_000);
    expect(backoff.next(60_000)).toBe(1_000);
    expect(backoff.next(59_999)).toBe(2_000);
  });

  it('takes its bounds from the options', () => {
    const backoff = new RestartBackoff({ initialMs: 10, maxMs: 25, stableMs: 100 });
    expect([backoff.next(0), backoff.next(0), backoff.next(0), backoff.next(100)]).toEqual([10, 20, 25, 10]);
  });
});
