import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { clientHost, httpBinding } from './http-binding.js';

const config = (spec: Record<string, unknown>) => validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', ...spec } }).config;

describe('httpBinding', () => {
  it('reads port and host of the first enabled http trigger', () => {
    const c = config({ triggers: { off: { kind: 'http', disable: true, attributes: { port: 1 } }, web: { kind: 'http', attributes: { port: 9090, host: '0.0.0.0' } } } });
    expect(httpBinding(c)).toEqual({ trigger: 'web', port: 9090, host: '0.0.0.0' });
  });

  it('treats port 0 and a missing host as not configured', () => {
    expect(httpBinding(config({ triggers: { web: { kind: 'http', attributes: { port: 0 } } } }))).toEqual({ trigger: 'web', port: undefined, host: undefined });
  });

  it('names the default HTTP trigger for a cron-only function, and none when it is disabled', () => {
    const cron = { tick: { kind: 'cron', attributes: { interval: '1h' } } };
    expect(httpBinding(config({ triggers: cron }))).toEqual({ trigger: 'default-http' });
    expect(httpBinding(config({ triggers: cron, disableDefaultHTTPTrigger: true }))).toBeUndefined();
  });
});

describe('clientHost', () => {
  it('reaches an any-address bind on loopback and brackets IPv6', () => {
    expect(clientHost('0.0.0.0')).toBe('127.0.0.1');
    expect(clientHost('::')).toBe('127.0.0.1');
    expect(clientHost('::1')).toBe('[::1]');
    expect(clientHost('192.168.1.5')).toBe('192.168.1.5');
  });
});
