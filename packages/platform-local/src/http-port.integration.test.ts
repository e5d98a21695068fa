import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFreePort } from '@nucleon/core';
import { functionConfig, RealProcessorHarness } from './test-fixtures/real-processor.js';

// The HTTP address of a function on the local platform, with the real processor: the
// configured port and host are used, a port stays put across redeploys, a taken port is refused.
const harness = new RealProcessorHarness();
let dir: string;
const HANDLER = `export function handler(context, event) {
  return { pid: process.pid, marker: process.env.MARKER ?? null, trigger: event.trigger?.name ?? null };
}
`;

beforeEach(async () => {
  await harness.setUp();
  dir = await harness.code('web', { 'main.js': HANDLER });
});
afterEach(() => harness.tearDown());

const marker = (value: string) => [{ name: 'MARKER', value }];
const getJson = async (url: string) => (await fetch(url)).json() as Promise<{ pid: number; marker: string | null; trigger: string | null }>;

describe('local platform: HTTP port and host', () => {
  it('serves on the configured port, and keeps serving there after a redeploy', async () => {
    const port = await findFreePort();
    const triggers = { web: { kind: 'http', attributes: { port } } };
    const progress: string[] = [];
    const first = await harness.deploy(functionConfig('web', { triggers, env: marker('one') }), dir, progress);
    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    expect(progress).toContain(`starting processor on 127.0.0.1:${port}`);
    expect(progress.at(-1)).toBe(`ready at http://127.0.0.1:${port}`);
    expect(await getJson(first.url!)).toMatchObject({ marker: 'one' });

    const second = await harness.deploy(functionConfig('web', { triggers, env: marker('two') }), dir);
    expect(second.url).toBe(first.url);
    expect(second.details?.pid).not.toBe(first.details?.pid);
    expect(await getJson(second.url!)).toMatchObject({ marker: 'two', pid: second.details?.pid });
  });

  it('keeps the previous port on redeploy when none is configured', async () => {
    const first = await harness.deploy(functionConfig('web', { env: marker('one') }), dir);
    const second = await harness.deploy(functionConfig('web', { env: marker('two') }), dir);
    expect(second.url).toBe(first.url);
    expect(await getJson(second.url!)).toMatchObject({ marker: 'two' });
    expect(await harness.platform().get('web')).toMatchObject({ state: 'ready', url: first.url });
  });

  it('refuses a taken port before starting anything, naming the port and the trigger', async () => {
    const port = await findFreePort();
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const config = functionConfig('web', { triggers: { api: { kind: 'http', attributes: { port } } } });
      const progress: string[] = [];
      const error = await harness.deploy(config, dir, progress).catch((err: unknown) => err);
      expect(error).toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_FAILED', details: { port, trigger: 'api' } });
      expect((error as Error).message).toBe(
        `deploying function "web" on the local platform: port ${port} on 127.0.0.1 (spec.triggers.api.attributes.port) is already in use; nothing was started`);
      expect(progress.some((line) => line.startsWith('starting processor'))).toBe(false);
      expect(await harness.platform().list()).toEqual([]);
      expect(existsSync(join(harness.stateDir, 'functions', 'web'))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});

describe('local platform: the default HTTP trigger', () => {
  it('gives a cron-only function a URL it answers on', async () => {
    const cronOnly = functionConfig('web', { triggers: { tick: { kind: 'cron', attributes: { interval: '1h' } } } });
    const status = await harness.deploy(cronOnly, dir);
    expect(status.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await getJson(status.url!)).toMatchObject({ trigger: 'default-http' });
  });

  it('gives none with disableDefaultHTTPTrigger: true', async () => {
    const config = functionConfig('web', { triggers: { tick: { kind: 'cron', attributes: { interval: '1h' } } }, disableDefaultHTTPTrigger: true });
    const progress: string[] = [];
    const status = await harness.deploy(config, dir, progress);
    expect(status.state).toBe('ready');
    expect(status.url).toBeUndefined();
    expect((await harness.platform().get('web'))?.url).toBeUndefined();
    expect(progress).toContain('starting processor (no HTTP trigger)');
  });
});
