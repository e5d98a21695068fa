import { describe, expect, it } from 'vitest';
import { EVENTS_METRIC, type ScaleToZeroPolicy } from '@nucleon/core';
import { IdleDetector } from './idle-detector.js';

const policy = (threshold = 0, windowMs = 10_000): ScaleToZeroPolicy => ({
  resources: [{ metricName: EVENTS_METRIC, windowSize: `${windowMs}ms`, windowMs, threshold }], windowMs,
});
const sample = (at: number, events: number, inFlight = 0) => ({ at, values: { [EVENTS_METRIC]: events }, inFlight });

describe('IdleDetector', () => {
  it('is idle only after a whole window without events', () => {
    const d = new IdleDetector(policy());
    d.observe(sample(0, 5));
    d.observe(sample(5_000, 5));
    expect(d.isIdle()).toBe(false);
    d.observe(sample(10_000, 5));
    expect(d.isIdle()).toBe(true);
  });

  it('is not idle while events come, up to the threshold, or while one is in flight', () => {
    const d = new IdleDetector(policy(2));
    d.observe(sample(0, 0));
    d.observe(sample(10_000, 3));
    expect(d.isIdle()).toBe(false);
    d.observe(sample(20_000, 5));
    expect(d.isIdle()).toBe(true);
    d.observe(sample(21_000, 5, 1));
    expect(d.isIdle()).toBe(false);
  });

  it('starts the watch again when the counter went down (the processor restarted)', () => {
    const d = new IdleDetector(policy());
    d.observe(sample(0, 9));
    d.observe(sample(10_000, 9));
    d.observe(sample(11_000, 0));
    expect(d.isIdle()).toBe(false);
    d.observe(sample(21_000, 0));
    expect(d.isIdle()).toBe(true);
  });

  it('needs every resource idle', () => {
    const d = new IdleDetector({
      resources: [
        { metricName: 'a', windowSize: '1s', windowMs: 1000, threshold: 0 },
        { metricName: 'b', windowSize: '5s', windowMs: 5000, threshold: 0 },
      ],
      windowMs: 5000,
    });
    d.observe({ at: 0, values: { a: 0, b: 0 }, inFlight: 0 });
    d.observe({ at: 4000, values: { a: 1, b: 1 }, inFlight: 0 });
    d.observe({ at: 5000, values: { a: 1, b: 1 }, inFlight: 0 });
    expect(d.isIdle()).toBe(false);
    d.observe({ at: 9000, values: { a: 1, b: 1 }, inFlight: 0 });
    expect(d.isIdle()).toBe(true);
  });
});
