import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from './config/validate.js';
import { hasHttpTrigger, needsDefaultHttpTrigger } from './platform-support.js';

const config = (spec: Record<string, unknown>) => validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', ...spec } }).config;
const cron = { kind: 'cron', attributes: { interval: '1h' } };

describe('the default HTTP trigger rule', () => {
  it('adds it to a function without triggers and to a cron-only function', () => {
    expect(needsDefaultHttpTrigger(config({}))).toBe(true);
    expect(needsDefaultHttpTrigger(config({ triggers: { tick: cron } }))).toBe(true);
    expect(hasHttpTrigger(config({ triggers: { tick: cron } }))).toBe(true);
  });

  it('adds none when an http trigger is configured, even a disabled one', () => {
    expect(needsDefaultHttpTrigger(config({ triggers: { web: { kind: 'http' } } }))).toBe(false);
    const disabled = config({ triggers: { web: { kind: 'http', disable: true }, tick: cron } });
    expect(needsDefaultHttpTrigger(disabled)).toBe(false);
    expect(hasHttpTrigger(disabled)).toBe(false);
  });

  it('adds none with disableDefaultHTTPTrigger: true, so a cron-only function has no URL', () => {
    const off = config({ triggers: { tick: cron }, disableDefaultHTTPTrigger: true });
    expect(needsDefaultHttpTrigger(off)).toBe(false);
    expect(hasHttpTrigger(off)).toBe(false);
  });
});
