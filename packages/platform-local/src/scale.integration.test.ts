import { createServer, type Server } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@nucleon/core';
import { functionConfig, RealProcessorHarness } from './test-fixtures/real-processor.js';

// Scale to zero and back on the real processor: the port and configuration survive, a
// process holding the port with SO_REUSEPORT (what the scaler's activator does) does not stop
// the wake, and a wake that fails leaves the function at zero with the processor's own words.
const harness = new RealProcessorHarness();
beforeEach(() => harness.setUp());
afterEach(() => harness.tearDown());

const HELLO = { 'main.js': 'exports.handler = async (context, event) => `hello ${event.path}`;\n' };
const zeroable = (name: string) => functionConfig(name, { minReplicas: 0, scaleToZero: { scaleResources: [{ windowSize: '1m' }] } });

function holdPort(port: number): Promise<Server> {
  const holder = createServer((socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
  return new Promise((resolve, reject) => {
    holder.once('error', reject);
    holder.listen({ port, host: '127.0.0.1', reusePort: true }, () => resolve(holder));
  });
}

const refused = (url: string) => fetch(url).then(() => false, () => true);

describe('local platform: scale to zero and back', () => {
  it('stops the processor, keeps port and config, and starts it again on the same port while an activator holds it', async () => {
    const dir = await harness.code('idle', HELLO);
    const deployed = await harness.deploy(zeroable('idle'), dir);
    const zero = await harness.platform().scale('idle', 0);
    expect(zero).toMatchObject({ state: 'scaledToZero', url: deployed.url, httpPort: deployed.httpPort });
    expect(await refused(`${deployed.url}/`)).toBe(true);
    // A new platform instance (a new CLI) reads the same state; list agrees.
    expect((await harness.platform().get('idle'))?.state).toBe('scaledToZero');
    expect((await harness.platform().list()).map((s) => s.state)).toEqual(['scaledToZero']);
    // Scaling to the count it has is a no-op.
    expect((await harness.platform().scale('idle', 0)).state).toBe('scaledToZero');

    const holder = await holdPort(deployed.httpPort!);
    const progress: string[] = [];
    const woken = await harness.platform().scale('idle', 1, { onProgress: (m) => progress.push(m) });
    harness.track(woken);
    holder.close();
    expect(woken).toMatchObject({ state: 'ready', url: deployed.url });
    expect(progress).toContain('ready');
    expect(await (await fetch(`${deployed.url}/again`)).text()).toBe('hello /again');
    expect((await harness.platform().scale('idle', 1)).details?.supervisorPid).toBe(woken.details?.supervisorPid);

    await harness.platform().scale('idle', 0);
    await harness.platform().delete('idle');
    expect(await harness.platform().get('idle')).toBeUndefined();
  });

  it('a wake that fails says why and leaves the function at zero', async () => {
    const dir = await harness.code('broken', HELLO);
    await harness.deploy(zeroable('broken'), dir);
    await harness.platform().scale('broken', 0);
    await rm(join(dir, 'main.js'));
    const error = await harness.platform().scale('broken', 1, { readinessTimeoutMs: 15_000 }).catch((e: unknown) => e as Error & { code?: string });
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/waking function "broken" on the local platform failed/);
    expect(error.message).toMatch(/main/);
    expect((await harness.platform().get('broken'))?.state).toBe('scaledToZero');
  });

  it('refuses more than one processor, a negative count, and an unknown function', async () => {
    const dir = await harness.code('one', HELLO);
    await harness.deploy(zeroable('one'), dir);
    await expect(harness.platform().scale('one', 2)).rejects.toMatchObject({ code: ErrorCodes.USAGE, message: expect.stringMatching(/one processor per function/) });
    await expect(harness.platform().scale('one', -1)).rejects.toMatchObject({ code: ErrorCodes.USAGE });
    await expect(harness.platform().scale('nobody', 0)).rejects.toMatchObject({ code: ErrorCodes.FUNCTION_NOT_FOUND });
  });
});
