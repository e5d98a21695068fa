import { describe, expect, it } from 'vitest';
import { ErrorCodes, validateAttributes } from '@nucleon/core';
import { httpAttributes } from './attributes.js';
import { ByteBudget } from './byte-budget.js';
import { readHttpLimits } from './http-limits.js';

const attributes = (raw: Record<string, unknown> = {}) =>
  validateAttributes('spec.triggers.web', '@nucleon/trigger-http', httpAttributes, raw).attributes;

describe('readHttpLimits', () => {
  it('has a bound for everything by default', () => {
    expect(readHttpLimits('web', attributes())).toEqual({
      maxBody: 4 * 1024 * 1024, maxConnections: 1024, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, bodyIdleTimeoutMs: 5000,
      maxBufferedRequestBytes: 2 * 4 * 1024 * 1024, maxPendingResponseBytes: 64 * 1024 * 1024, responseIdleTimeoutMs: 30_000,
    });
  });

  it('sizes the default request-body budget by workers and body limit, unless it is given', () => {
    expect(readHttpLimits('web', attributes({ maxRequestBodySize: 1000 }), 4).maxBufferedRequestBytes).toBe(5000);
    expect(readHttpLimits('web', attributes({ maxBufferedRequestBytes: 0 }), 4).maxBufferedRequestBytes).toBe(0);
  });

  it('reads Go-style durations', () => {
    expect(readHttpLimits('web', attributes({ headersTimeout: '1.5s', requestTimeout: '2m', bodyIdleTimeout: '250ms' }))).toMatchObject({
      headersTimeoutMs: 1500, requestTimeoutMs: 120_000, bodyIdleTimeoutMs: 250,
    });
  });

  it('reports every bad duration, and headers due after the whole request, at once with their paths', () => {
    const error = (() => {
      try {
        readHttpLimits('web', attributes({ headersTimeout: '2m', requestTimeout: '1m', bodyIdleTimeout: '0s', responseIdleTimeout: 'soon' }));
      } catch (e) {
        return e as Error & { code: string };
      }
    })();
    expect(error?.code).toBe(ErrorCodes.INVALID_CONFIG);
    expect(error?.message).toContain('spec.triggers.web.attributes.bodyIdleTimeout: is not a positive duration');
    expect(error?.message).toContain('spec.triggers.web.attributes.responseIdleTimeout: is not a positive duration (like "10s" or "500ms"): "soon"');
    expect(error?.message).toContain('spec.triggers.web.attributes.headersTimeout: must not be longer than requestTimeout (1m)');
  });

  it('refuses a connection cap below 1 at validation', () => {
    expect(() => attributes({ maxConnections: 0 })).toThrow(/maxConnections: expected a number >= 1/);
  });
});

describe('ByteBudget', () => {
  it('takes what fits, refuses what does not, and is spent at its limit', () => {
    const budget = new ByteBudget(100);
    expect(budget.tryTake(60)).toBe(true);
    expect(budget.tryTake(50)).toBe(false);
    expect(budget.inUse).toBe(60);
    expect(budget.spent).toBe(false);
    budget.take(50);
    expect(budget.spent).toBe(true);
    budget.give(110);
    expect(budget.inUse).toBe(0);
    budget.give(5);
    expect(budget.inUse).toBe(0);
  });

  it('never refuses with a limit of 0', () => {
    const budget = new ByteBudget(0);
    expect(budget.tryTake(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(budget.spent).toBe(false);
  });
});
