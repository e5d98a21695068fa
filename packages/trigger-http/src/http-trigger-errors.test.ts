import { afterEach, describe, expect, it } from 'vitest';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  createError, ErrorCodes, Response, validateAttributes, validateFunctionConfig, type ErrorCode, type Event, type EventSubmitter,
} from '@nucleon/core';
import { InMemorySubmitter, noopLogger } from '@nucleon/core/testing';
import { createHttpTrigger, httpAttributes, type HttpTrigger } from './index.js';

const { config: fn } = validateFunctionConfig({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', handler: 'main:handler' } });
const triggers: HttpTrigger[] = [];
afterEach(async () => {
  await Promise.all(triggers.splice(0).map((t) => t.stop(100)));
});

function create(submitter: EventSubmitter, attributes: Record<string, unknown> = {}): HttpTrigger {
  const validated = validateAttributes('spec.triggers.web', '@nucleon/trigger-http', httpAttributes, { port: 0, host: '127.0.0.1', ...attributes });
  return createHttpTrigger({
    name: 'web', function: fn, submitter, logger: noopLogger,
    config: { kind: 'http', workerAvailabilityTimeoutMilliseconds: 1000, attributes: validated.attributes },
  });
}

async function start(submitter: EventSubmitter, attributes: Record<string, unknown> = {}) {
  const trigger = create(submitter, attributes);
  await trigger.start();
  triggers.push(trigger);
  const base = `http://127.0.0.1:${trigger.address()?.port}`;
  return { trigger, base, get: (path = '/', init?: RequestInit) => fetch(base + path, init) };
}

const ok = (): EventSubmitter => ({ submit: async () => new Response('ok', {}, 'text/plain', 200) });
const failing = (error: Error): EventSubmitter => ({ submit: async () => { throw error; } });

function counting(): { calls: Event[]; submitter: EventSubmitter } {
  const calls: Event[] = [];
  return { calls, submitter: { submit: async (e) => { calls.push(e); return new Response('ran', {}, 'text/plain', 200); } } };
}

describe('HTTP trigger: pool failures', () => {
  it.each([
    [ErrorCodes.NO_WORKER_AVAILABLE, 503],
    [ErrorCodes.SHUTTING_DOWN, 503],
    [ErrorCodes.EVENT_TIMEOUT, 504],
    [ErrorCodes.HANDLER_FAILED, 500],
    [ErrorCodes.INVALID_RESPONSE, 500],
    [ErrorCodes.RESPONSE_TOO_LARGE, 500],
    [ErrorCodes.OVERLOADED, 503],
  ])('maps %s to %i with the code and event id in a JSON body', async (code, status) => {
    const { get } = await start(failing(createError(code as ErrorCode, 'x')));
    const res = await get();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = await res.json() as { code: string; eventId: string };
    expect(body.code).toBe(code);
    expect(body.eventId).toMatch(/^[0-9a-f]{8}-\d+$/);
  });

  it('says a response passed its size limit, without the handler\'s own message', async () => {
    const { get } = await start(failing(createError(ErrorCodes.RESPONSE_TOO_LARGE, '/secret/path/main.sh wrote more than 10 bytes')));
    const body = await (await get()).json() as { error: string };
    expect(body.error).toBe("the function's response passed its size limit (maxResponseSize); it was not sent");
  });

  it('asks the client to retry after a second on 503', async () => {
    const { get } = await start(failing(createError(ErrorCodes.NO_WORKER_AVAILABLE, 'busy')));
    const res = await get();
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    await res.text();
  });

  it.each([
    ['a coded HANDLER_FAILED', () => { const cause = new Error('SECRET=hunter2'); return createError(ErrorCodes.HANDLER_FAILED, `handler failed: ${cause.message}`, { cause }); }],
    ['a plain Error', () => new Error('SECRET=hunter2')],
  ])('answers 500 to %s without leaking its message or stack', async (_name, make) => {
    const { get } = await start(failing(make()));
    const res = await get();
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('at ');
    expect(JSON.parse(text).code).toBe(ErrorCodes.HANDLER_FAILED);
  });

  it('answers 500 without leaking when an InMemorySubmitter handler throws', async () => {
    const { get } = await start(new InMemorySubmitter(() => { throw new Error('SECRET in handler'); }));
    const res = await get();
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('at ');
  });
});

describe('HTTP trigger: CORS', () => {
  const preflight = (origin: string, method = 'POST', headers?: string): RequestInit => ({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) },
  });

  it('answers an allowed preflight with 204 and the allowed methods and headers, without the handler', async () => {
    const { calls, submitter } = counting();
    const { get } = await start(submitter, { cors: { enabled: true, allowOrigins: ['https://app.example'], preflightMaxAgeSeconds: 600 } });
    const res = await get('/x', preflight('https://app.example', 'put', 'Content-Type'));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(res.headers.get('access-control-allow-headers')).toContain('Content-Type');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['an origin not allowed', 'https://evil.example', 'POST', undefined],
    ['a method not allowed', 'https://app.example', 'TRACE', undefined],
    ['a request header not allowed', 'https://app.example', 'POST', 'X-Secret-Header'],
  ])('answers 403 to a preflight with %s, without the handler', async (_name, origin, method, headers) => {
    const { calls, submitter } = counting();
    const { get } = await start(submitter, { cors: { enabled: true, allowOrigins: ['https://app.example'] } });
    const res = await get('/', preflight(origin, method, headers));
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('adds access-control-allow-origin to actual requests (wildcard by default), also on errors', async () => {
    const { get } = await start(ok(), { cors: { enabled: true } });
    const res = await get('/', { headers: { origin: 'https://any.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { get: getFailing } = await start(failing(createError(ErrorCodes.EVENT_TIMEOUT, 'slow')), { cors: { enabled: true } });
    const failed = await getFailing('/', { headers: { origin: 'https://any.example' } });
    expect(failed.status).toBe(504);
    expect(failed.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('runs the handler but adds no allow-origin for an origin not allowed', async () => {
    const { calls, submitter } = counting();
    const { get } = await start(submitter, { cors: { enabled: true, allowOrigins: ['https://app.example'] } });
    const res = await get('/', { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(calls).toHaveLength(1);
  });

  it('echoes the origin instead of "*" when credentials are allowed', async () => {
    const { get } = await start(ok(), { cors: { enabled: true, allowCredentials: true } });
    const res = await get('/', { headers: { origin: 'https://app.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('sends no CORS headers and passes OPTIONS to the handler when CORS is disabled', async () => {
    for (const cors of [undefined, { enabled: false, allowOrigins: ['*'] }]) {
      const { calls, submitter } = counting();
      const { get } = await start(submitter, cors ? { cors } : {});
      const res = await get('/', preflight('https://app.example'));
      expect(res.status).toBe(200);
      expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-'))).toEqual([]);
      expect(calls.map((e) => e.method)).toEqual(['OPTIONS']);
    }
  });
});

describe('HTTP trigger: start and stop', () => {
  it('lets an in-flight request finish on stop, then refuses connections', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const { trigger, get } = await start({ submit: async () => { await gate; return new Response('finished', {}, 'text/plain', 200); } });
    const inFlight = get('/');
    await sleep(30);
    const stopped = trigger.stop(5000);
    await sleep(30);
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('finished');
    await stopped;
    await expect(get('/')).rejects.toThrow();
  });

  it('closes a stuck request at the stop deadline', async () => {
    const { trigger, get } = await start({ submit: () => new Promise<Response>(() => {}) });
    const stuck = get('/').then((r) => r.status, () => 'closed');
    await sleep(30);
    const began = performance.now();
    await trigger.stop(100);
    expect(performance.now() - began).toBeGreaterThanOrEqual(90);
    expect(await stuck).toBe('closed');
  });

  it('fails to start on a port already in use, naming the port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(create(ok(), { port }).start()).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('with reusePort, shares the port with the activator holding it (SO_REUSEPORT), and only then', async () => {
    const holder = createServer((c) => c.end());
    await new Promise<void>((r) => holder.listen({ port: 0, host: '127.0.0.1', reusePort: true }, r));
    const port = (holder.address() as { port: number }).port;
    try {
      await expect(create(ok(), { port }).start()).rejects.toThrow('already in use');
      const trigger = create(ok(), { port, reusePort: true });
      await trigger.start();
      expect(trigger.address()?.port).toBe(port);
      // Once the holder lets go, every request reaches the trigger.
      await new Promise<void>((r) => holder.close(() => r()));
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      await trigger.stop(100);
    } finally {
      holder.close();
    }
  });
});

describe('HTTP trigger: response bounds', () => {
  it('answers 503 with a coded message while responses waiting on slow clients pass maxPendingResponseBytes', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 1);
    const { base, get } = await start({ submit: async () => new Response(big, {}, 'application/octet-stream', 200) },
      { maxPendingResponseBytes: 1024 * 1024 });
    // A client that reads nothing keeps its 4 MiB pending.
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('data', () => { socket.pause(); resolve(); }).write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    try {
      const refused = await get();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await refused.json()).toMatchObject({ code: ErrorCodes.OVERLOADED, limit: 1024 * 1024 });
    } finally {
      socket.destroy();
    }
    await sleep(100);
    expect((await get()).status).toBe(200);
  });
});

describe('HTTP trigger: half-closing clients', () => {
  it('sends the whole of a long string response, written piece by piece, to a client that half-closed after its request', async () => {
    const text = 'y'.repeat(3_000_000);
    const { base } = await start({ submit: async () => { await sleep(50); return new Response(text, {}, 'text/plain', 200); } });
    const socket = connect(Number(new URL(base).port), '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.end('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    const reply = Buffer.concat(parts).toString('latin1');
    expect(reply.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(reply.slice(reply.indexOf('\r\n\r\n') + 4)).toBe(text);
  });
});

describe('HTTP trigger: response framing', () => {
  it('ignores a handler Transfer-Encoding header, so a reply never carries both it and Content-Length', async () => {
    const { get } = await start({ submit: async () => new Response('hello', { 'Transfer-Encoding': 'chunked', 'X-Kept': 'yes' }, 'text/plain', 200) });
    const res = await get();
    expect(res.headers.get('transfer-encoding')).toBeNull();
    expect(res.headers.get('content-length')).toBe('5');
    expect(res.headers.get('x-kept')).toBe('yes');
    expect(await res.text()).toBe('hello');
  });
});
