import { PassThrough } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { BodyRefusedError, readBody } from './body-reader.js';
import { ByteBudget } from './byte-budget.js';

/** A request stand-in: a stream with headers and a socket that records being paused. */
function request(headers: Record<string, string> = {}) {
  const stream = new PassThrough();
  const socket = { paused: false, pause() { this.paused = true; } };
  return { req: Object.assign(stream, { headers, socket }) as unknown as IncomingMessage & PassThrough, socket, stream };
}

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as BodyRefusedError);

describe('readBody', () => {
  it('collects a body and keeps its length taken from the budget', async () => {
    const budget = new ByteBudget(100);
    const { req, stream } = request();
    const body = readBody(req, { limit: 50, idleMs: 1000, budget });
    expect(budget.inUse).toBe(50); // unknown length: the body limit is taken up front
    stream.write('abc');
    stream.end('def');
    expect((await body).toString()).toBe('abcdef');
    expect(budget.inUse).toBe(6);
  });

  it('takes a declared length whole, and refuses at once with 503 what does not fit, before reading', async () => {
    const budget = new ByteBudget(100);
    budget.take(60);
    const { req } = request({ 'content-length': '50' });
    const err = await refusal(readBody(req, { limit: 1000, idleMs: 1000, budget }));
    expect(err).toMatchObject({ reason: 'overloaded', status: 503, limit: 100 });
    expect(err?.message).toMatch(/more than 100 bytes, maxBufferedRequestBytes\); retry later/);
    expect(budget.inUse).toBe(60);
  });

  it('refuses a declared length over the limit with 413 before reading', async () => {
    const budget = new ByteBudget(0);
    const err = await refusal(readBody(request({ 'content-length': '51' }).req, { limit: 50, idleMs: 1000, budget }));
    expect(err).toMatchObject({ reason: 'too-large', status: 413, message: 'request body larger than 50 bytes' });
  });

  it('refuses a streamed body passing the limit with 413, pauses its socket and gives its budget back', async () => {
    const budget = new ByteBudget(100);
    const { req, stream, socket } = request();
    const body = refusal(readBody(req, { limit: 10, idleMs: 1000, budget }));
    stream.write('0123456789');
    stream.write('x');
    expect(await body).toMatchObject({ reason: 'too-large', status: 413 });
    expect(socket.paused).toBe(true);
    expect(budget.inUse).toBe(0);
  });

  it('refuses a body that stops arriving with 408 after idleMs, counting from its last piece', async () => {
    const { req, stream } = request();
    const began = Date.now();
    const body = refusal(readBody(req, { limit: 100, idleMs: 150, budget: new ByteBudget(0) }));
    setTimeout(() => stream.write('a'), 100);
    const err = await body;
    expect(err).toMatchObject({ reason: 'stalled', status: 408, message: 'the request body stopped arriving for 150 ms (bodyIdleTimeout)' });
    expect(Date.now() - began).toBeGreaterThanOrEqual(240);
  });

  it('takes the rest as it comes when the budget is smaller than the body limit', async () => {
    const budget = new ByteBudget(8);
    const { req, stream } = request();
    const body = refusal(readBody(req, { limit: 100, idleMs: 1000, budget }));
    expect(budget.inUse).toBe(8);
    stream.write('12345678');
    stream.write('9');
    expect(await body).toMatchObject({ reason: 'overloaded' });
    expect(budget.inUse).toBe(0);
  });
});
