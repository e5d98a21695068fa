import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sumMetric } from './metrics-text.js';
import { startScalerServer } from './scaler-server.js';
import { LocalHarness, zeroable } from './test-support/local-harness.js';

// The scaler on the real local platform with the real processor: idle to zero, the activator
// holding the port, wakes by request, a wake that fails, and a scaler stopped mid-wake.
const harness = new LocalHarness();
beforeEach(() => harness.setUp());
afterEach(() => harness.tearDown());

const ECHO = { 'main.js': 'exports.handler = async (context, event) => ({ path: event.path, pid: process.pid });\n' };

async function metricsOf(adminPort: number): Promise<string> {
  return (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
}

describe('scaler on the local platform', () => {
  it('idles a function to zero within its window, then 50 concurrent requests all succeed, each answered once', async () => {
    const dir = await harness.code('echo', ECHO);
    const deployed = await harness.deploy(zeroable('echo', '2s'), dir);
    const scaler = harness.scaler();
    const began = Date.now();
    scaler.start();
    const zero = await harness.waitFor('echo', 'scaledToZero', 15_000);
    // Window 2 s, polled every 200 ms: at zero within the window plus a few polls and the drain.
    expect(Date.now() - began).toBeLessThan(8_000);
    expect(zero.url).toBe(deployed.url);

    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${deployed.url}/req-${i}`)
      .then(async (res) => ({ status: res.status, body: await res.json() as { path: string; pid: number } }))));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(replies.map((r) => r.body.path)).toEqual(Array.from({ length: 50 }, (_, i) => `/req-${i}`));
    const woken = await harness.waitFor('echo', 'ready');
    expect(new Set(replies.map((r) => r.body.pid))).toEqual(new Set([woken.details?.pid]));
    // None handled twice: the processor counted exactly 50 events.
    expect(sumMetric(await metricsOf(woken.details?.adminPort as number), 'nucleon_events_total')).toBe(50);
    // Up again, requests go straight to the processor.
    expect((await fetch(`${deployed.url}/direct`)).status).toBe(200);
    // The phases are recorded just after the forwarded responses went out.
    let metrics = '';
    for (let i = 0; i < 50 && !metrics.includes('phase="total"'); i++) {
      metrics = await scaler.metrics.registry.metrics();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(metrics).toMatch(/nucleon_scaler_cold_start_seconds_count\{function="echo",phase="total"\} 1/);
    expect(metrics).toMatch(/nucleon_scaler_wakes_total\{function="echo",reason="http",result="ready"\} 1/);
  });

  it('answers 503 with a clear body when the function cannot start, stays healthy, and wakes it once it can', async () => {
    const dir = await harness.code('fragile', ECHO);
    const deployed = await harness.deploy(zeroable('fragile', '1s'), dir);
    const scaler = harness.scaler({ failBackoffMs: 500 });
    const server = await startScalerServer(scaler, { host: '127.0.0.1', port: 0 });
    scaler.start();
    await harness.waitFor('fragile', 'scaledToZero');
    await rm(join(dir, 'main.js'));
    const failed = await Promise.all(Array.from({ length: 5 }, () => fetch(`${deployed.url}/`)));
    for (const res of failed) {
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ function: 'fragile', error: expect.stringMatching(/could not wake function "fragile"/) });
    }
    expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(200);
    expect((await harness.platform().get('fragile'))?.state).toBe('scaledToZero');
    await writeFile(join(dir, 'main.js'), ECHO['main.js']);
    await new Promise((r) => setTimeout(r, 600));
    const res = await fetch(`${deployed.url}/back`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ path: '/back' });
    await server.close();
  });

  it('a scaler stopped mid-wake answers every request it accepted 503, leaves the function at zero, and the next scaler wakes it', async () => {
    const slow = { 'main.js': `exports.initContext = () => new Promise((r) => setTimeout(r, 3000));\n${ECHO['main.js']}` };
    const dir = await harness.code('slow', slow);
    const deployed = await harness.deploy(zeroable('slow', '1s'), dir);
    const first = harness.scaler();
    first.start();
    await harness.waitFor('slow', 'scaledToZero');
    const accepted = Array.from({ length: 10 }, (_, i) => fetch(`${deployed.url}/w${i}`).then(async (res) => ({ status: res.status, text: await res.text() })));
    await new Promise((r) => setTimeout(r, 700));
    await harness.stopScaler(first);
    for (const reply of await Promise.all(accepted)) {
      expect(reply.status).toBe(503);
      expect(reply.text).toMatch(/shutting down/);
    }
    expect((await harness.platform().get('slow'))?.state).toBe('scaledToZero');
    harness.scaler().start();
    await new Promise((r) => setTimeout(r, 500));
    const res = await fetch(`${deployed.url}/again`);
    expect(res.status).toBe(200);
  });
});
