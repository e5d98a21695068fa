import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { noopLogger } from '@nucleon/core/testing';
import { DEFAULT_HOLD_LIMITS, FunctionHold, type HoldLimits } from './function-hold.js';

// Real sockets on loopback: the hold is an HTTP server, the "function" another one on the same port (SO_REUSEPORT).
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function hold(limits: Partial<HoldLimits> = {}) {
  const port = await freePort();
  let demands = 0;
  const h = new FunctionHold('fn', { host: '127.0.0.1', port }, { ...DEFAULT_HOLD_LIMITS, ...limits }, { onDemand: () => { demands += 1; } }, noopLogger);
  await h.listen();
  cleanup.push(() => h.close('test over'));
  return { h, port, demands: () => demands };
}

/** A "function" on the same port, echoing method, path, a header and the body. */
async function fn(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(JSON.stringify({ method: req.method, path: req.url, who: req.headers['x-who'], body: Buffer.concat(chunks).toString() })));
  });
  await new Promise<void>((r) => server.listen({ port, host: '127.0.0.1', reusePort: true }, r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return server;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('FunctionHold', () => {
  it('keeps every request until release, then each gets its own answer from the function', async () => {
    const { h, port, demands } = await hold();
    const replies = Array.from({ length: 20 }, (_, i) => fetch(`http://127.0.0.1:${port}/r${i}`, {
      method: 'POST', body: `body-${i}`, headers: { 'x-who': String(i) },
    }).then(async (res) => ({ status: res.status, body: await res.json() as Record<string, string>, connection: res.headers.get('connection') })));
    await until(() => h.buffered === 20);
    expect(h.buffered).toBe(20);
    expect(demands()).toBe(20);
    await fn(port);
    await h.release({ host: '127.0.0.1', port });
    const got = await Promise.all(replies);
    got.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ method: 'POST', path: `/r${i}`, who: String(i), body: `body-${i}` });
      expect(r.connection).toBe('close');
    });
    // After the release the port is the function's alone.
    expect((await (await fetch(`http://127.0.0.1:${port}/after`)).json())).toMatchObject({ path: '/after' });
  });

  it('answers 503 with the reason when the wake fails, and keeps answering so during the backoff', async () => {
    const { h, port } = await hold();
    const waiting = fetch(`http://127.0.0.1:${port}/`);
    await until(() => h.buffered === 1);
    h.failWaiting('could not wake function "fn": boom', 60_000);
    const res = await waiting;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'could not wake function "fn": boom', function: 'fn' });
    const next = await fetch(`http://127.0.0.1:${port}/`);
    expect(next.status).toBe(503);
    expect(h.buffered).toBe(0);
  });

  it('bounds what it keeps: count, bytes, body size, and waiting time', async () => {
    const { h, port } = await hold({ maxRequests: 2, maxBodyBytes: 10, maxBytes: 15, waitTimeoutMs: 300 });
    const a = fetch(`http://127.0.0.1:${port}/a`, { method: 'POST', body: '0123456789' });
    await until(() => h.buffered === 1);
    expect((await fetch(`http://127.0.0.1:${port}/big`, { method: 'POST', body: '0123456789A' })).status).toBe(413);
    expect((await fetch(`http://127.0.0.1:${port}/b`, { method: 'POST', body: '0123456789' })).status).toBe(503);
    const c = fetch(`http://127.0.0.1:${port}/c`);
    await until(() => h.buffered === 2);
    const third = await fetch(`http://127.0.0.1:${port}/d`);
    expect(third.status).toBe(503);
    expect(await third.text()).toMatch(/already holds 2 requests/);
    const expired = await a;
    expect(expired.status).toBe(503);
    expect(await expired.text()).toMatch(/did not wake within 300 ms/);
    expect((await c).status).toBe(503);
  });

  it('on close answers every waiting request 503 instead of dropping it', async () => {
    const { h, port } = await hold();
    const waiting = Array.from({ length: 5 }, () => fetch(`http://127.0.0.1:${port}/`));
    await until(() => h.buffered === 5);
    await h.close('the scaler is shutting down; retry');
    for (const res of await Promise.all(waiting)) {
      expect(res.status).toBe(503);
      expect(await res.text()).toMatch(/shutting down/);
    }
  });

  it('answers 502 with the reason when the function is not there after the release', async () => {
    const { h, port } = await hold();
    const waiting = fetch(`http://127.0.0.1:${port}/`);
    await until(() => h.buffered === 1);
    await h.release({ host: '127.0.0.1', port });
    const res = await waiting;
    expect(res.status).toBe(502);
    expect(await res.text()).toMatch(/could not forward/);
  });
});
