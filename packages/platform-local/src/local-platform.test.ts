import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNucleonError } from '@nucleon/core';
import plugin from './index.js';
import { LocalPlatform } from './local-platform.js';
import { StateStore, type FunctionRecord } from './state-store.js';

const DEAD_PID = 2 ** 31 - 1;
const ENTRY = '/opt/nucleon/processor/main.js';
const standIns: ChildProcess[] = [];

/**
 * A live process whose command line is the one the platform checks (the processor entry and a
 * --config inside the function's state folder), standing in for a running processor.
 */
function standInProcessor(): number {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', ENTRY, '--config', store.configFile('hello')], { stdio: 'ignore' });
  standIns.push(child);
  return child.pid!;
}

async function untilCommandLine(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(ENTRY)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let stateDir: string;
let store: StateStore;
let server: Server | undefined;

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nucleon-local-'));
  store = new StateStore(stateDir);
});
afterEach(async () => {
  for (const child of standIns.splice(0)) child.kill('SIGKILL');
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  await rm(stateDir, { recursive: true, force: true });
});

function platform(): LocalPlatform {
  return plugin.create({ settings: { processorEntry: '/opt/nucleon/processor/main.js', stateDir } }) as LocalPlatform;
}

async function record(overrides: Partial<FunctionRecord> = {}): Promise<FunctionRecord> {
  const rec: FunctionRecord = {
    name: 'hello', pid: DEAD_PID, httpPort: 40001, adminPort: 40002, functionDir: '/src/hello',
    createdAt: '2025-01-01T00:00:00.000Z', runtime: 'nodejs', handler: 'main:handler',
    processorEntry: '/opt/nucleon/processor/main.js', ...overrides,
  };
  await store.ensureDir(rec.name);
  await store.write(rec);
  return rec;
}

async function readyServer(status: number): Promise<number> {
  server = createServer((_req, res) => res.writeHead(status).end());
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('LocalPlatform get/list', () => {
  it('reports a record whose pid is dead as stopped, with url and details', async () => {
    await record();
    const status = await platform().get('hello');
    expect(status).toMatchObject({
      name: 'hello', platform: 'local', state: 'stopped', url: 'http://127.0.0.1:40001', httpPort: 40001,
      runtime: 'nodejs', handler: 'main:handler',
      details: { pid: DEAD_PID, adminPort: 40002, functionDir: '/src/hello', logFile: join(stateDir, 'functions/hello/processor.log') },
    });
  });

  it('reports a live pid running another program (pid reuse) as stopped', async () => {
    await record({ pid: process.pid });
    expect((await platform().get('hello'))?.state).toBe('stopped');
  });

  it('reports our live processor as ready when /ready answers 200, else error', async () => {
    const pid = standInProcessor();
    await untilCommandLine(pid);
    await record({ pid, adminPort: await readyServer(200) });
    expect((await platform().get('hello'))?.state).toBe('ready');
    await record({ pid, adminPort: await readyServer(503) });
    expect((await platform().get('hello'))?.state).toBe('error');
  });

  it('has no url for a function without an HTTP trigger', async () => {
    await record({ hasHttpTrigger: false });
    expect((await platform().get('hello'))?.url).toBeUndefined();
  });

  it('lists every record, read back by a fresh instance, and skips folders without one', async () => {
    await record();
    await record({ name: 'another' });
    await store.ensureDir('half-deployed');
    expect((await platform().list()).map((s) => s.name)).toEqual(['another', 'hello']);
    expect(await platform().get('half-deployed')).toBeUndefined();
  });
});

describe('LocalPlatform delete', () => {
  it('refuses an unknown name with FUNCTION_NOT_FOUND', async () => {
    const error = await platform().delete('nope').catch((err: unknown) => err);
    expect(isNucleonError(error, 'NUCLEON_ERR_FUNCTION_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe('function "nope" not found on the local platform');
  });

  it('removes the state folder of a stopped function without signalling anyone', async () => {
    await record({ pid: process.pid });
    await platform().delete('hello');
    expect(await readdir(join(stateDir, 'functions'))).toEqual([]);
  });
});

describe('LocalPlatform logs', () => {
  it('yields the log lines, oldest first', async () => {
    await record();
    await writeFile(store.logFile('hello'), '{"msg":"one"}\n{"msg":"two"}\n');
    const lines: string[] = [];
    for await (const line of platform().logs('hello')) lines.push(line);
    expect(lines).toEqual(['{"msg":"one"}', '{"msg":"two"}']);
  });

  it('follows appended lines until the signal aborts', async () => {
    const pid = standInProcessor();
    await untilCommandLine(pid);
    await record({ pid });
    await writeFile(store.logFile('hello'), 'first\n');
    const controller = new AbortController();
    const lines: string[] = [];
    const timer = setTimeout(() => void appendFile(store.logFile('hello'), 'second\nthi'), 100);
    for await (const line of platform().logs('hello', { follow: true, signal: controller.signal })) {
      lines.push(line);
      if (line === 'second') setTimeout(() => controller.abort(), 50);
    }
    clearTimeout(timer);
    expect(lines).toEqual(['first', 'second', 'thi']);
  });

  it('stops following once the processor is gone', async () => {
    await record();
    await writeFile(store.logFile('hello'), 'last words');
    const lines: string[] = [];
    for await (const line of platform().logs('hello', { follow: true })) lines.push(line);
    expect(lines).toEqual(['last words']);
  });

  it('refuses an unknown name', async () => {
    const iterate = async (): Promise<void> => {
      for await (const _ of platform().logs('nope')) { /* none */ }
    };
    await expect(iterate()).rejects.toMatchObject({ code: 'NUCLEON_ERR_FUNCTION_NOT_FOUND' });
  });
});
