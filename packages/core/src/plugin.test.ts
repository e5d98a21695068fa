import { describe, expect, it } from 'vitest';
import { definePlatform, defineRuntime, defineTrigger } from './plugin.js';
import { CORE_VERSION } from './version.js';
import pkg from '../package.json' with { type: 'json' };

describe('plugin helpers', () => {
  it('defineTrigger / defineRuntime / definePlatform add the kind and keep the rest', () => {
    const create = () => ({ start: async () => {}, stop: async () => {} });
    const trigger = defineTrigger({ name: 'nucleon-trigger-x', coreRange: '^0.1.0', attributes: {}, defaultWorkers: 2, create });
    expect(trigger).toEqual({ kind: 'trigger', name: 'nucleon-trigger-x', coreRange: '^0.1.0', attributes: {}, defaultWorkers: 2, create });
    expect(defineRuntime({ name: 'r', coreRange: '^0.1.0', create: () => { throw new Error('unused'); } }).kind).toBe('runtime');
    expect(definePlatform({ name: 'p', coreRange: '^0.1.0', create: () => { throw new Error('unused'); } }).kind).toBe('platform');
  });

  it('CORE_VERSION is the package version, which plugins\' coreRange is checked against', () => {
    expect(CORE_VERSION).toBe(pkg.version);
    expect(CORE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
