import { afterEach, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from './admin-server.js';
import { ProcessorMetrics } from './metrics.js';

let server: AdminServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The value of the sample `name` whose labels include `labels`, read from Prometheus text. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function start(isReady: () => boolean, metrics = new ProcessorMetrics('fn'), extra: Partial<Parameters<typeof startAdminServer>[0]> = {}) {
  server = await startAdminServer({ host: '127.0.0.1', port: 0, metrics: () => metrics.render(), isReady, ...extra });
  const { port } = server.address();
  return (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
}

describe('admin server', () => {
  it('listens on the given host and a free port', async () => {
    await start(() => true);
    const address = server?.address();
    expect(address?.host).toBe('127.0.0.1');
    expect(address?.port).toBeGreaterThan(0);
  });

  it('answers /live with 200 whether or not the processor is ready', async () => {
    const get = await start(() => false);
    const res = await get('/live');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('live\n');
  });

  it('answers /ready from isReady at each request', async () => {
    let ready = false;
    const get = await start(() => ready);
    expect((await get('/ready')).status).toBe(503);
    ready = true;
    const res = await get('/ready?probe=1');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ready\n');
  });

  it('serves Prometheus metrics with the events the processor recorded', async () => {
    const metrics = new ProcessorMetrics('my-fn');
    let inFlight = 2;
    const recorder = metrics.forTrigger('web', () => inFlight);
    recorder.handled('success', 0.01);
    recorder.handled('success', 0.02);
    recorder.handled('timeout', 1);
    recorder.handled('rejected', 0);
    recorder.waited(0.003);
    const get = await start(() => true, metrics);
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const web = { trigger: 'web', function: 'my-fn' };
    expect(sample(text, 'nucleon_events_total', { ...web, result: 'success' })).toBe(2);
    expect(sample(text, 'nucleon_events_total', { ...web, result: 'timeout' })).toBe(1);
    expect(sample(text, 'nucleon_events_total', { ...web, result: 'rejected' })).toBe(1);
    // Rejected events never ran, so they add no duration sample.
    expect(sample(text, 'nucleon_event_duration_seconds_count', web)).toBe(3);
    expect(sample(text, 'nucleon_worker_wait_seconds_count', web)).toBe(1);
    expect(sample(text, 'nucleon_events_in_flight', web)).toBe(2);
    inFlight = 0;
    expect(sample(await (await get('/metrics')).text(), 'nucleon_events_in_flight', web)).toBe(0);
  });

  it('answers /addresses with every trigger address, read at each request', async () => {
    let addresses = [{ trigger: 'a', kind: 'http', url: 'http://127.0.0.1:8080' }];
    const get = await start(() => true, undefined, { addresses: () => addresses });
    const res = await get('/addresses');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ addresses });
    addresses = [...addresses, { trigger: 'b', kind: 'http', url: 'http://[::1]:9090' }];
    expect(await (await get('/addresses')).json()).toEqual({ addresses });
  });

  it('answers /addresses with an empty list when nothing listens', async () => {
    const get = await start(() => true);
    expect(await (await get('/addresses')).json()).toEqual({ addresses: [] });
  });

  it('tells on /live of event-loop blocks the watchdog saw, still with 200', async () => {
    let loop = { blocks: 0, longestBlockMs: 0, boundMs: 10_000 };
    const get = await start(() => true, undefined, { loop: () => loop });
    expect(await (await get('/live')).text()).toBe('live\n');
    loop = { blocks: 2, longestBlockMs: 12_345, boundMs: 10_000 };
    const res = await get('/live');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('live; the event loop was blocked past 10000 ms 2 time(s), the longest for 12345 ms\n');
  });

  it('answers 404 for any other path', async () => {
    const get = await start(() => true);
    for (const path of ['/', '/metricsx', '/live/extra']) {
      const res = await get(path);
      expect(res.status).toBe(404);
      await res.text();
    }
  });

  it('stops accepting connections after close', async () => {
    const get = await start(() => true);
    await (await get('/live')).text();
    await server?.close();
    server = undefined;
    await expect(get('/live')).rejects.toThrow();
  });
});
