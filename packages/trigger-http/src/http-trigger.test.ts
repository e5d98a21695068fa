import { afterEach, describe, expect, it } from 'vitest';
import { request, type IncomingHttpHeaders } from 'node:http';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Response, validateAttributes, validateFunctionConfig, type Event, type EventCallback, type EventSubmitter,
} from '@nucleon/core';
import { InMemorySubmitter, noopLogger } from '@nucleon/core/testing';
import httpPlugin, { DEFAULT_MAX_BODY, createHttpTrigger, httpAttributes, type HttpTrigger } from './index.js';

const { config: fn } = validateFunctionConfig({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', handler: 'main:handler' } });
const triggers: HttpTrigger[] = [];
afterEach(async () => {
  await Promise.all(triggers.splice(0).map((t) => t.stop(100)));
});

async function start(submitter: EventSubmitter, attributes: Record<string, unknown> = {}): Promise<number> {
  const validated = validateAttributes('spec.triggers.web', httpPlugin.name, httpAttributes, { port: 0, host: '127.0.0.1', ...attributes });
  const trigger = createHttpTrigger({
    name: 'web', function: fn, submitter, logger: noopLogger,
    config: { kind: 'http', workerAvailabilityTimeoutMilliseconds: 1000, attributes: validated.attributes },
  });
  await trigger.start();
  triggers.push(trigger);
  return trigger.address()?.port as number;
}

interface Reply { status: number; headers: IncomingHttpHeaders; body: Buffer }

/**
 * One request on its own connection; `chunks` are written apart in time (chunked encoding),
 * `partial` is written and the request never finished.
 */
function send(port: number, options: { method?: string; path?: string; headers?: Record<string, string | number>; body?: Buffer | string; chunks?: Buffer[]; partial?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers, agent: false }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', (err) => { if (!answered) reject(err); });
    if (options.partial) req.write(options.partial);
    else if (options.chunks) {
      void (async () => {
        for (const chunk of options.chunks ?? []) {
          if (req.destroyed) return;
          req.write(chunk);
          await sleep(10);
        }
        req.end();
      })();
    } else req.end(options.body);
  });
}

/** A submitter that records events and replies with a ready-to-send (normalised) Response. */
function replying(make: (event: Event) => Response = () => new Response('ok', {}, 'text/plain', 200)) {
  const events: Event[] = [];
  const submitter: EventSubmitter = { submit: async (event) => { events.push(event); return make(event); } };
  return { events, submitter };
}

describe('HTTP trigger attributes', () => {
  it('defaults to Nuclio\'s port 8080, all interfaces and a 4 MiB body limit', () => {
    const { attributes } = validateAttributes('spec.triggers.web', httpPlugin.name, httpAttributes, {});
    expect(attributes).toMatchObject({ port: 8080, host: '0.0.0.0', maxRequestBodySize: 4194304 });
    expect(DEFAULT_MAX_BODY).toBe(4194304);
    expect(httpPlugin).toMatchObject({ kind: 'trigger', name: '@nucleon/trigger-http', defaultWorkers: 1 });
  });
});

describe('HTTP trigger: request to Event', () => {
  it('passes method, path, query fields, headers, content type, body and trigger to the handler', async () => {
    const submitter = new InMemorySubmitter(() => new Response('ok', {}, 'text/plain', 200));
    const port = await start(submitter);
    const res = await send(port, {
      method: 'PUT', path: '/items/7?x=1&tag=a&tag=b&empty=',
      headers: { 'content-type': 'application/json', 'x-custom': 'yes' }, body: '{"a":1}',
    });
    expect(res.status).toBe(200);
    const [event] = submitter.events;
    expect(event).toMatchObject({
      method: 'PUT', path: '/items/7', url: '/items/7?x=1&tag=a&tag=b&empty=',
      fields: { x: '1', tag: ['a', 'b'], empty: '' }, contentType: 'application/json', trigger: { kind: 'http', name: 'web' },
    });
    expect(event?.headers['x-custom']).toBe('yes');
    expect(event?.body.toString()).toBe('{"a":1}');
    expect(event?.timestamp).toBeInstanceOf(Date);
  });

  it('gives a bodiless GET an empty body, no fields and a fresh id per request', async () => {
    const { events, submitter } = replying();
    const port = await start(submitter);
    await send(port, { path: '/a' });
    await send(port, { path: '/b' });
    expect(events.map((e) => [e.method, e.path, e.body.length, e.fields, e.contentType])).toEqual([
      ['GET', '/a', 0, {}, ''], ['GET', '/b', 0, {}, ''],
    ]);
    expect(events[0]?.id).not.toBe(events[1]?.id);
  });

  it('delivers a binary body byte for byte and sends binary replies back unchanged', async () => {
    const bytes = Buffer.concat([Buffer.from([...Array(256).keys()]), randomBytes(100_000)]);
    const { events, submitter } = replying((e) => new Response(e.body, {}, 'application/octet-stream', 200));
    const port = await start(submitter);
    const res = await send(port, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes });
    expect(Buffer.compare(events[0]?.body as Buffer, bytes)).toBe(0);
    expect(Buffer.compare(res.body, bytes)).toBe(0);
    expect(res.headers['content-length']).toBe(String(bytes.length));
  });

  it('assembles a chunked body that stays under the limit', async () => {
    const { events, submitter } = replying();
    const port = await start(submitter, { maxRequestBodySize: 100 });
    const res = await send(port, { method: 'POST', chunks: [Buffer.from('abc'), Buffer.from('def')] });
    expect(res.status).toBe(200);
    expect(events[0]?.body.toString()).toBe('abcdef');
  });
});

describe('HTTP trigger: responses', () => {
  it('writes status, content type, headers and the byte length of a text reply', async () => {
    const { submitter } = replying(() => new Response('héllo', { 'x-count': 3, 'set-cookie': ['a=1', 'b=2'] }, 'text/plain; charset=utf-8', 201));
    const res = await send(await start(submitter));
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['content-length']).toBe('6');
    expect(res.headers['x-count']).toBe('3');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(res.body.toString()).toBe('héllo');
  });

  it('sends a JSON reply with its content type', async () => {
    const { submitter } = replying(() => new Response('{"ok":true}', {}, 'application/json', 200));
    const res = await send(await start(submitter));
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
  });

  it('uses dispatch when the submitter has it', async () => {
    const calls: string[] = [];
    const submitter: EventSubmitter = {
      submit: async () => { calls.push('submit'); return new Response('via submit', {}, 'text/plain', 200); },
      dispatch: (_event: Event, done: EventCallback) => { calls.push('dispatch'); setImmediate(() => done(undefined, new Response('via dispatch', {}, 'text/plain', 202))); },
    };
    const res = await send(await start(submitter));
    expect(res.status).toBe(202);
    expect(res.body.toString()).toBe('via dispatch');
    expect(calls).toEqual(['dispatch']);
  });

  it('answers 500 to headers that cannot be sent and keeps serving', async () => {
    let bad = true;
    const { submitter } = replying(() => new Response('x', bad ? { 'x-bad': 'line\nbreak' } : {}, 'text/plain', 200));
    const port = await start(submitter);
    const res = await send(port);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body.toString()).code).toBe('NUCLEON_ERR_INVALID_RESPONSE');
    bad = false;
    expect((await send(port)).status).toBe(200);
  });
});

describe('HTTP trigger: body size limit', () => {
  it('answers 413 to a Content-Length over maxRequestBodySize without calling the handler', async () => {
    const { events, submitter } = replying();
    const port = await start(submitter, { maxRequestBodySize: 1000 });
    const res = await send(port, { method: 'POST', headers: { 'content-length': 2000 }, body: Buffer.alloc(2000, 1) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString())).toMatchObject({ code: 'NUCLEON_ERR_BODY_TOO_LARGE', limit: 1000 });
    expect(events).toHaveLength(0);
  });

  it('answers 413 from the declared Content-Length before the body arrives', async () => {
    const port = await start(replying().submitter, { maxRequestBodySize: 1000 });
    const res = await send(port, { method: 'POST', headers: { 'content-length': 10_000_000 }, partial: Buffer.from('abc') });
    expect(res.status).toBe(413);
    expect(res.headers.connection).toBe('close');
  });

  it('answers 413 to a chunked body that grows past the limit without calling the handler', async () => {
    const { events, submitter } = replying();
    const port = await start(submitter, { maxRequestBodySize: 1000 });
    const res = await send(port, { method: 'POST', chunks: [Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)] });
    expect(res.status).toBe(413);
    await sleep(50);
    expect(events).toHaveLength(0);
  });

  it('accepts a body of exactly maxRequestBodySize', async () => {
    const { events, submitter } = replying();
    const port = await start(submitter, { maxRequestBodySize: 1000 });
    expect((await send(port, { method: 'POST', body: Buffer.alloc(1000, 7) })).status).toBe(200);
    expect(events[0]?.body.length).toBe(1000);
  });
});
