import { createServer, type Server } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { probeReady } from '@nucleon/core';
import { isOurProcessor, isPidAlive, processStartTime } from './liveness.js';

const DEAD_PID = 2 ** 31 - 1;

describe('isPidAlive / isOurProcessor', () => {
  it('reports a dead pid as not alive', () => {
    expect(isPidAlive(DEAD_PID)).toBe(false);
    expect(isPidAlive(0)).toBe(false);
    expect(isOurProcessor(DEAD_PID, '/x/main.js', '/state/functions/f')).toBe(false);
  });

  it('takes a live pid whose command line lacks the entry for a reused pid', () => {
    expect(isPidAlive(process.pid)).toBe(true);
    expect(isOurProcessor(process.pid, '/nowhere/processor/main.js', '/state/functions/f')).toBe(false);
  });

  it("accepts a live pid only when its command line has the entry and a --config in the function's own folder", async () => {
    const proc = await mkdtemp(join(tmpdir(), 'nucleon-proc-'));
    await mkdir(join(proc, String(process.pid)));
    await writeFile(join(proc, String(process.pid), 'cmdline'), 'node\0/opt/processor/main.js\0--config\0/state/functions/f/function.json\0');
    expect(isOurProcessor(process.pid, '/opt/processor/main.js', '/state/functions/f', proc)).toBe(true);
    expect(isOurProcessor(process.pid, '/opt/other/main.js', '/state/functions/f', proc)).toBe(false);
    // Another function's processor (or one planted in this function's status.json) is not this one's.
    expect(isOurProcessor(process.pid, '/opt/processor/main.js', '/state/functions/g', proc)).toBe(false);
    expect(isOurProcessor(process.pid, '/opt/processor/main.js', '/state/functions/f/../g', proc)).toBe(false);
    await rm(proc, { recursive: true, force: true });
  });

  it('takes a pid with the right command line but another start time for a recycled pid', async () => {
    const proc = await mkdtemp(join(tmpdir(), 'nucleon-proc-'));
    await mkdir(join(proc, 'self'));
    await writeFile(join(proc, 'self', 'cmdline'), 'node\0');
    await mkdir(join(proc, String(process.pid)));
    await writeFile(join(proc, String(process.pid), 'cmdline'), 'node\0/opt/processor/main.js\0--config\0/state/functions/f/function.json\0');
    // A command name with spaces and parentheses does not shift the fields.
    await writeFile(join(proc, String(process.pid), 'stat'), `${process.pid} (no de) (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4242 1000 10\n`);
    expect(processStartTime(process.pid, proc)).toBe(4242);
    expect(isOurProcessor(process.pid, '/opt/processor/main.js', '/state/functions/f', proc, 4242)).toBe(true);
    expect(isOurProcessor(process.pid, '/opt/processor/main.js', '/state/functions/f', proc, 4243)).toBe(false);
    await rm(proc, { recursive: true, force: true });
  });

  it('reads the real start time of this process from /proc', () => {
    const ticks = processStartTime(process.pid);
    expect(ticks).toBeGreaterThan(0);
    expect(processStartTime(process.pid)).toBe(ticks);
    expect(processStartTime(DEAD_PID)).toBeUndefined();
  });
});

describe('probeReady', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(status: number): Promise<number> {
    server = createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as { port: number }).port;
  }

  it('is true only for 200', async () => {
    expect(await probeReady(await serve(200))).toBe(true);
  });

  it('is false for 503 and for a closed port', async () => {
    const port = await serve(503);
    expect(await probeReady(port)).toBe(false);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    expect(await probeReady(port, 300)).toBe(false);
  });
});
