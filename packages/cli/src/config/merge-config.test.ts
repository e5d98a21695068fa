import { describe, expect, it } from 'vitest';
import type { ConfigOverrides } from './function-flags.js';
import { mergeConfig } from './merge-config.js';

const none: ConfigOverrides = { env: [] };
const file = {
  metadata: { name: 'from-file', labels: { team: 'a' } },
  spec: {
    runtime: 'nodejs', handler: 'main:handler',
    env: [{ name: 'A', value: 'file' }, { name: 'B', value: 'file' }],
    triggers: { http: { kind: 'http', numWorkers: 2 } },
  },
};

describe('mergeConfig', () => {
  it('lets flags override the file and leaves the input untouched', () => {
    const merged = mergeConfig(file, {
      name: 'from-flag', runtime: 'typescript', handler: 'other:run', env: [{ name: 'B', value: 'flag' }, { name: 'C', value: 'flag' }],
      triggers: { cron: { kind: 'cron' } }, readinessTimeoutSeconds: 9,
    });
    expect(merged).toEqual({
      metadata: { name: 'from-flag', labels: { team: 'a' } },
      spec: {
        runtime: 'typescript', handler: 'other:run', readinessTimeoutSeconds: 9,
        env: [{ name: 'A', value: 'file' }, { name: 'B', value: 'flag' }, { name: 'C', value: 'flag' }],
        triggers: { cron: { kind: 'cron' } },
      },
    });
    expect(file.spec.runtime).toBe('nodejs');
  });

  it('fills inferred runtime and handler only where the file and flags say nothing', () => {
    expect(mergeConfig({}, none, { runtime: 'nodejs', handler: 'hello:handler' })).toEqual({ spec: { runtime: 'nodejs', handler: 'hello:handler' } });
    expect(mergeConfig(file, none, { runtime: 'typescript', handler: 'x:handler' })).toMatchObject({ spec: { runtime: 'nodejs', handler: 'main:handler' } });
    expect(mergeConfig({}, { env: [], runtime: 'typescript' }, { runtime: 'nodejs' })).toMatchObject({ spec: { runtime: 'typescript' } });
  });

  it('keeps the file as is when there is nothing to override', () => {
    expect(mergeConfig(file, none)).toEqual(file);
    expect(mergeConfig({ spec: {} }, none)).toEqual({ spec: {} });
  });

  it('hands malformed configs through for validation to report', () => {
    expect(mergeConfig('text', { env: [], runtime: 'nodejs' })).toBe('text');
    expect(mergeConfig({ spec: [1] }, { env: [], runtime: 'nodejs' })).toEqual({ spec: [1] });
  });
});
