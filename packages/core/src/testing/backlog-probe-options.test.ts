import { describe, expect, it } from 'vitest';
import { defineTrigger } from '../plugin.js';
import { backlogProbeOptions } from './backlog-probe-options.js';

const plugin = defineTrigger({
  name: 'test-trigger', coreRange: '*', create: () => { throw new Error('not used'); },
  attributes: { topic: { type: 'string', required: true, description: 't' }, depth: { type: 'integer', default: 3, description: 'd' } },
});

describe('backlogProbeOptions', () => {
  it('gives the probe the trigger config the processor would give create: attributes defaulted, function validated', () => {
    const options = backlogProbeOptions(plugin, { kind: 'x', attributes: { topic: 'a' }, spec: { minReplicas: 0 } });
    expect(options.name).toBe('probe');
    expect(options.config.attributes).toEqual({ topic: 'a', depth: 3 });
    expect(options.config.workerAvailabilityTimeoutMilliseconds).toBeGreaterThan(0);
    expect(options.function.spec.minReplicas).toBe(0);
  });
  it('refuses attributes the plugin would refuse', () => {
    expect(() => backlogProbeOptions(plugin, { kind: 'x', attributes: {} })).toThrow(/topic/);
  });
});
