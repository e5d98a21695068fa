import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { httpTriggers, publishableExtraPorts } from './http-triggers.js';

const config = (triggers: Record<string, unknown>) =>
  validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', image: 'fn:1', triggers } }).config;

describe('httpTriggers', () => {
  it('lists enabled HTTP triggers in configuration order, the first marked', () => {
    expect(httpTriggers(config({
      tick: { kind: 'cron', attributes: { interval: '1m' } }, off: { kind: 'http', disable: true }, a: { kind: 'http' },
      b: { kind: '@nucleon/trigger-http', attributes: { port: 0, host: '::' } },
    }))).toEqual([
      { name: 'a', port: undefined, host: undefined, first: true },
      { name: 'b', port: 0, host: '::', first: false },
    ]);
  });
});

describe('publishableExtraPorts', () => {
  it('gives the fixed container ports of the other HTTP triggers on all interfaces (8080 when none is set)', () => {
    expect(publishableExtraPorts(config({
      a: { kind: 'http', attributes: { port: 9999 } }, b: { kind: 'http', attributes: { port: 9000 } }, c: { kind: 'http', attributes: { port: 0 } },
      d: { kind: 'http', attributes: { port: 9001, host: '127.0.0.1' } }, e: { kind: 'http', attributes: { port: 9002, host: '0.0.0.0' } }, f: { kind: 'http' },
    }))).toEqual([9000, 9002, 8080]);
  });
});
