import { describe, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { ErrorCodes, isNucleonError, validateFunctionConfig } from '@nucleon/core';
import { buildFunctionImage, pluginSet } from './build-image.js';

describe('buildFunctionImage', () => {
  it('refuses a .NET function without spec.build.baseImage before touching the engine', async () => {
    const { config } = validateFunctionConfig({ metadata: { name: 'cs' }, spec: { runtime: 'dotnetcore', handler: 'nuclio:Main' } });
    const untouched = new Proxy({}, { get: () => { throw new Error('the engine was used'); } }) as unknown as Docker;
    const error = await buildFunctionImage({ docker: untouched, config, functionDir: '/nonexistent', locate: () => undefined })
      .then(() => undefined, (e: unknown) => e);
    expect(isNucleonError(error, ErrorCodes.BUILD_FAILED)).toBe(true);
    expect((error as Error).message).toMatch(/runtime dotnetcore has no built-in base image: set spec.build.baseImage/);
  });
});

describe('pluginSet', () => {
  const config = (spec: Record<string, unknown>) => validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', ...spec } }).config;

  it('includes the HTTP trigger a cron-only function gets by default, and not when it is disabled', async () => {
    const cron = { tick: { kind: 'cron', attributes: { interval: '1h' } } };
    expect((await pluginSet(config({ triggers: cron }), [])).packages).toContain('@nucleon/trigger-http');
    expect((await pluginSet(config({ triggers: cron, disableDefaultHTTPTrigger: true }), [])).packages).not.toContain('@nucleon/trigger-http');
  });
});
