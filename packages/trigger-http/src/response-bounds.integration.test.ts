import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { rssMiB, startHttpFunction, type StartedProcessor } from './real-processor.js';

// Clients that read a large response slowly, against the real processor: what the
// processor's resident memory does, and what each client gets.

const MB50 = 50_000_000;
const started: StartedProcessor[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
});

/** A client that sends a GET, reads the status line, then stops reading until `resume()`. */
interface SlowReader {
  socket: Socket;
  status: Promise<string>;
  closed: Promise<void>;
  /** Reads the rest; resolves with the bytes of the whole reply (headers included). */
  resume(): Promise<Buffer>;
}

function slowReader(port: number): SlowReader {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const parts: Buffer[] = [];
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const status = new Promise<string>((resolve) => {
    socket.once('data', (d: Buffer) => {
      parts.push(d);
      socket.pause();
      resolve(d.toString('latin1').split('\r\n')[0] ?? '');
    });
  });
  socket.write('GET / HTTP/1.1\r\nHost: fn\r\n\r\n');
  // Reads until the reply is whole (its Content-Length) or the server closes. No half-close:
  // node:http ends a connection whose client has ended it, cutting a reply still being written.
  const resume = async () => {
    let size = parts.reduce((n, b) => n + b.length, 0);
    const whole = new Promise<void>((resolve) => {
      const check = () => {
        const head = Buffer.concat(parts.slice(0, 1)).toString('latin1');
        const length = /content-length: (\d+)/i.exec(head);
        if (length && size >= head.indexOf('\r\n\r\n') + 4 + Number(length[1])) resolve();
      };
      socket.on('data', (d: Buffer) => {
        parts.push(d);
        size += d.length;
        check();
      });
      check();
    });
    socket.resume();
    await Promise.race([whole, closed]);
    socket.destroy();
    return Buffer.concat(parts);
  };
  return { socket, status, closed, resume };
}

async function measureSlowReaders(handler: string, attributes: string[] = []) {
  const p = await startHttpFunction(handler, attributes);
  started.push(p);
  await (await fetch(p.url)).arrayBuffer(); // the handler's own memory, once
  await sleep(500);
  const idle = rssMiB(p.pid);
  const readers: SlowReader[] = [];
  for (let i = 0; i < 20; i += 1) readers.push(slowReader(p.port));
  const statuses = await Promise.all(readers.map((r) => r.status));
  let peak = idle;
  for (const until = Date.now() + 3000; Date.now() < until;) {
    peak = Math.max(peak, rssMiB(p.pid));
    await sleep(100);
  }
  return { p, idle, peak, statuses, readers };
}

describe('HTTP trigger bounds: slow readers of large responses (real processor)', () => {
  it('20 slow readers of a 50 MB string response: memory stays bounded, admitted readers get every byte, the rest a clear 503', async () => {
    const { p, idle, peak, statuses, readers } = await measureSlowReaders(`const big = 'x'.repeat(${MB50}); exports.handler = () => big;`);
    const detail = `idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, statuses ${JSON.stringify(statuses)}`;
    // Today's trigger copied the string per response: ~1.2 GiB for these 20.
    expect(peak - idle, detail).toBeLessThan(300);
    const admitted = readers.filter((_, i) => statuses[i] === 'HTTP/1.1 200 OK');
    const refused = readers.filter((_, i) => statuses[i] === 'HTTP/1.1 503 Service Unavailable');
    expect(admitted.length, detail).toBeGreaterThanOrEqual(1);
    expect(admitted.length + refused.length, detail).toBe(20);
    const refusal = (await (refused[0] as SlowReader).resume()).toString('latin1');
    expect(refusal).toContain('"code":"NUCLEON_ERR_OVERLOADED"');
    expect(refusal).toContain('maxPendingResponseBytes');
    expect(refusal.toLowerCase()).toContain('retry-after: 1');
    const reply = await (admitted[0] as SlowReader).resume();
    const body = reply.subarray(reply.indexOf('\r\n\r\n') + 4);
    expect(body.length).toBe(MB50);
    expect(body.every((b) => b === 0x78)).toBe(true);
    for (const r of readers) r.socket.destroy();
    await sleep(300);
    expect((await fetch(p.url)).status).toBe(200);
  });

  it('20 slow readers of a fresh 50 MB Buffer each: pending response bytes stay bounded by maxPendingResponseBytes', async () => {
    const { idle, peak, statuses, readers } = await measureSlowReaders(`exports.handler = () => Buffer.alloc(${MB50}, 0x79);`);
    const detail = `idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, statuses ${JSON.stringify(statuses)}`;
    // Today every response held its own 50 MB: ~1 GiB.
    expect(peak - idle, detail).toBeLessThan(300);
    expect(statuses.filter((s) => s === 'HTTP/1.1 503 Service Unavailable').length, detail).toBeGreaterThanOrEqual(15);
    for (const r of readers) r.socket.destroy();
  });

  it('closes the connection of a client that stops reading a large response (responseIdleTimeout), releasing its bytes', async () => {
    const p = await startHttpFunction(`exports.handler = () => Buffer.alloc(${MB50}, 0x7a);`, ['responseIdleTimeout: 1s']);
    started.push(p);
    const stuck = slowReader(p.port);
    expect(await stuck.status).toBe('HTTP/1.1 200 OK');
    // A paused client cannot see the close; reading again after the timeout shows it: what the
    // kernel buffers held, then the end, far short of the whole body.
    await sleep(3000);
    const reply = await stuck.resume();
    expect(reply.length).toBeLessThan(MB50 / 2);
    // Its bytes no longer count: a second large response is admitted.
    const next = await fetch(p.url);
    expect(next.status).toBe(200);
    expect((await next.arrayBuffer()).byteLength).toBe(MB50);
  });
});
