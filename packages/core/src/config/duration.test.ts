import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration (Go duration syntax, as Nuclio eventTimeout uses)', () => {
  it.each([
    ['0', 0], ['1s', 1000], ['500ms', 500], ['1.5s', 1500], ['2m', 120_000], ['1h', 3_600_000],
    ['1m30s', 90_000], ['1h2m3s', 3_723_000], ['1500us', 1.5], ['1500µs', 1.5], ['2000000ns', 2], [' 30s ', 30_000], ['.5s', 500], ['1.s', 1000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '   ', '10', 's', '1x', '1 s', '-1s', '+1s', '.s', '1..5s', '1s garbage', 'forever'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('reads "ms" as milliseconds, not minutes then seconds', () => {
    expect(parseDuration('5ms')).toBe(5);
    expect(parseDuration('5m5s')).toBe(305_000);
  });

  it('can be called repeatedly (no state left between calls)', () => {
    expect(parseDuration('1x')).toBeUndefined();
    expect(parseDuration('3s')).toBe(3000);
    expect(parseDuration('3s')).toBe(3000);
  });
});
