import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { rawExchange, rssMiB, startHttpFunction, type StartedProcessor } from './real-processor.js';

// Hostile clients against the real processor and its HTTP trigger, over raw sockets on
// 127.0.0.1: what each sees back, and what the processor's resident memory does.

const ECHO_LENGTH = 'exports.handler = (context, event) => "got " + event.body.length;';
const started: StartedProcessor[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
});

async function serve(attributes: string[] = []) {
  const p = await startHttpFunction(ECHO_LENGTH, attributes);
  started.push(p);
  return p;
}

const POST_CHUNKED = 'POST / HTTP/1.1\r\nHost: fn\r\nTransfer-Encoding: chunked\r\n\r\n';

describe('HTTP trigger bounds: slow and endless requests (real processor, raw sockets)', () => {
  it('answers 408 and closes a connection whose headers are late (headersTimeout)', async () => {
    const p = await serve(['headersTimeout: 1s']);
    const reply = await rawExchange(p.port, ['GET / HTTP/1.1\r\n', 'Host: fn\r\n', 'X-Slow: 1\r\n'], { waitMs: 8000, gapMs: 300 });
    expect(reply.firstLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(reply.closedAfterMs).toBeGreaterThanOrEqual(900);
    expect(reply.closedAfterMs).toBeLessThan(5000);
  });

  it('answers 408 and closes a request whose body keeps trickling past requestTimeout', async () => {
    const p = await serve(['headersTimeout: 1s', 'requestTimeout: 2s']);
    const trickle = Array.from({ length: 40 }, () => '1\r\nx\r\n');
    const reply = await rawExchange(p.port, [POST_CHUNKED, ...trickle], { waitMs: 10_000, gapMs: 200 });
    expect(reply.firstLine).toBe('HTTP/1.1 408 Request Timeout');
    expect(reply.closedAfterMs).toBeGreaterThanOrEqual(1900);
    expect(reply.closedAfterMs).toBeLessThan(6000);
  });

  it('closes connections beyond maxConnections at once, while those within it are served', async () => {
    const p = await serve(['maxConnections: 3']);
    const held: Socket[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const socket = connect(p.port, '127.0.0.1');
        socket.on('error', () => undefined);
        held.push(socket);
        await new Promise((r) => socket.once('connect', r));
      }
      await sleep(200);
      const extra = await rawExchange(p.port, 'GET / HTTP/1.1\r\nHost: fn\r\n\r\n', { waitMs: 5000 });
      expect(extra.text).toBe('');
      expect(extra.closedAfterMs).toBeLessThan(2000);
      const within = held[0] as Socket;
      const answer = new Promise<string>((resolve) => within.once('data', (d: Buffer) => resolve(d.toString('latin1'))));
      within.write('GET / HTTP/1.1\r\nHost: fn\r\n\r\n');
      expect((await answer).split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  it('answers Expect: 100-continue over maxRequestBodySize with 413 first, never 100 Continue; under it with 100 then 200', async () => {
    const p = await serve(['maxRequestBodySize: 1000']);
    const over = await rawExchange(p.port, 'POST / HTTP/1.1\r\nHost: fn\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n', { waitMs: 5000 });
    expect(over.firstLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(over.text).not.toContain('100 Continue');
    expect(over.text).toContain('"code":"NUCLEON_ERR_BODY_TOO_LARGE"');
    expect(over.closedAfterMs).toBeLessThan(2000);
    const under = await rawExchange(p.port, ['POST / HTTP/1.1\r\nHost: fn\r\nContent-Length: 5\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n', 'hello'],
      { waitMs: 5000, gapMs: 300 });
    expect(under.firstLine).toBe('HTTP/1.1 100 Continue');
    expect(under.text).toContain('HTTP/1.1 200 OK');
    expect(under.text.endsWith('got 5')).toBe(true);
  });

  it('answers a chunk-size line of FFFFFFFFFFFFFFFF, an endless one, or an overflowing one, and closes, within a few seconds (defaults)', async () => {
    const p = await serve();
    const [huge, endless, overflow] = await Promise.all([
      rawExchange(p.port, `${POST_CHUNKED}FFFFFFFFFFFFFFFF\r\nabc`, { waitMs: 15_000 }),
      rawExchange(p.port, [POST_CHUNKED, ...Array.from({ length: 30 }, () => '0'.repeat(1000))], { waitMs: 15_000, gapMs: 10 }),
      rawExchange(p.port, `${POST_CHUNKED}FFFFFFFFFFFFFFFFF\r\n`, { waitMs: 15_000 }),
    ]);
    for (const reply of [huge, endless]) {
      expect(reply.firstLine).toBe('HTTP/1.1 408 Request Timeout');
      expect(reply.text).toContain('"code":"NUCLEON_ERR_REQUEST_TIMEOUT"');
      expect(reply.closedAfterMs).toBeLessThan(8000);
    }
    expect(overflow.firstLine).toBe('HTTP/1.1 400 Bad Request');
    expect(overflow.closedAfterMs).toBeLessThan(2000);
  });
});

describe('HTTP trigger bounds: memory under hostile uploads (real processor)', () => {
  it('100 never-ending chunked uploads leave resident memory within 20% of idle, and the function keeps serving', async () => {
    const p = await serve();
    // "Idle" is a processor that has served ordinary traffic: 100 clients at once and a few
    // uploads of the largest body, so what any busy function allocates once is counted in.
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(Array.from({ length: 100 }, async () => (await fetch(p.url, { method: 'POST', body: 'x'.repeat(60_000) })).text()));
    }
    for (let i = 0; i < 3; i += 1) await (await fetch(p.url, { method: 'POST', body: Buffer.alloc(4 * 1024 * 1024 - 10, 1) })).text();
    await sleep(1500);
    const idle = rssMiB(p.pid);

    // Each client writes 64 KiB chunks as fast as the socket takes them, for 4 s at most.
    const chunk = Buffer.from(`10000\r\n${'x'.repeat(0x10000)}\r\n`);
    const answers = new Map<string, number>();
    let stop = false;
    const sockets = Array.from({ length: 100 }, () => {
      const socket = connect(p.port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.once('data', (d: Buffer) => {
        const line = d.toString('latin1').split('\r\n')[0] ?? '';
        answers.set(line, (answers.get(line) ?? 0) + 1);
      });
      socket.write(POST_CHUNKED);
      const pump = (): void => {
        while (!stop && !socket.destroyed && socket.write(chunk));
        if (!stop && !socket.destroyed) socket.once('drain', pump);
      };
      pump();
      return socket;
    });
    let peak = idle;
    for (const until = Date.now() + 4000; Date.now() < until;) {
      peak = Math.max(peak, rssMiB(p.pid));
      await sleep(100);
    }
    stop = true;
    const closedByServer = sockets.filter((s) => s.destroyed || s.readableEnded).length;
    for (const socket of sockets) socket.destroy();
    await sleep(2000);
    const after = rssMiB(p.pid);
    const detail = `idle ${idle.toFixed(1)} MiB, peak ${peak.toFixed(1)} MiB, after ${after.toFixed(1)} MiB, answers ${JSON.stringify([...answers])}`;
    // Today's trigger read each body up to 4 MiB: ~75 -> ~440 MiB, and it stayed there.
    expect(after, detail).toBeLessThan(idle * 1.2);
    expect(peak, detail).toBeLessThan(idle + 100);
    // Refused at once (503: the bodies would not fit) or at 413, and their connections closed.
    expect(closedByServer, detail).toBeGreaterThanOrEqual(90);
    expect([...answers.keys()].every((l) => /^HTTP\/1\.1 (503|413) /.test(l)), detail).toBe(true);
    const res = await fetch(p.url, { method: 'POST', body: 'still here' });
    expect(await res.text()).toBe('got 10');
  });

  it('serves 20 small chunked uploads at once when maxBufferedRequestBytes is raised for them', async () => {
    // Each body of unknown length holds maxRequestBodySize (4 MiB) of the budget while it is read.
    const p = await serve(['maxBufferedRequestBytes: 104857600']);
    const bodies = Array.from({ length: 20 }, (_, i) => `upload ${i} `.repeat(50));
    const answers = await Promise.all(bodies.map(async (text) => {
      // A stream body: fetch sends it chunked, with no Content-Length.
      const body = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(text)); c.close(); } });
      const res = await fetch(p.url, { method: 'POST', body, duplex: 'half' } as RequestInit);
      return `${res.status} ${await res.text()}`;
    }));
    expect(answers).toEqual(bodies.map((b) => `200 got ${b.length}`));
  });

  it('refuses a body that does not fit maxBufferedRequestBytes with 503 and a clear coded message, before reading it', async () => {
    const p = await serve(['maxRequestBodySize: 1000000', 'maxBufferedRequestBytes: 1500000']);
    const first = connect(p.port, '127.0.0.1');
    first.on('error', () => undefined);
    first.write(`${POST_CHUNKED}5\r\nhello\r\n`); // holds 1,000,000 of the budget while its body is open
    await sleep(300);
    const refused = await rawExchange(p.port, 'POST / HTTP/1.1\r\nHost: fn\r\nContent-Length: 600000\r\n\r\n', { waitMs: 5000 });
    first.destroy();
    expect(refused.firstLine).toBe('HTTP/1.1 503 Service Unavailable');
    expect(refused.text).toContain('retry-after: 1');
    expect(refused.text).toContain('"code":"NUCLEON_ERR_OVERLOADED"');
    expect(refused.text).toContain('maxBufferedRequestBytes');
    expect(refused.closedAfterMs).toBeLessThan(2000);
    await sleep(200);
    const fits = await fetch(p.url, { method: 'POST', body: Buffer.alloc(600_000) });
    expect(await fits.text()).toBe('got 600000');
  });
});
