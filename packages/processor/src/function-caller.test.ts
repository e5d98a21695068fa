import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes, findFreePort, writeFunctionAddress, type NucleonError } from '@nucleon/core';
import { noopLogger } from '@nucleon/core/testing';
import { createFunctionCaller } from './function-caller.js';

// A real loopback HTTP server stands in for the callee; the caller finds it through an address file.
let dir: string;
let server: Server;
let seen: { method?: string; url?: string; headers?: IncomingHttpHeaders; body?: string } = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nucleon-caller-'));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() };
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 1000);
      res.writeHead(207, { 'content-type': 'application/x-test', 'x-answer': '42' }).end(Buffer.from([0, 1, 255]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await writeFunctionAddress(dir, 'callee', { url: `http://127.0.0.1:${port}` });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const caller = (env: NodeJS.ProcessEnv = { NUCLEON_FUNCTION_ADDRESSES: dir, NUCLEON_PLATFORM: 'local' }) =>
  createFunctionCaller({ env, callerName: 'me', defaultTimeoutMs: 5000, logger: noopLogger });

async function rejection(promise: Promise<unknown>): Promise<NucleonError> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (err: NucleonError) => err);
}

describe('createFunctionCaller', () => {
  it('POSTs a JSON body to the callee and returns its status, headers and raw body', async () => {
    const response = await caller().callFunction('callee', { body: { a: 1 }, path: '/sum?x=1', headers: { 'x-trace': 't' } });
    expect(response).toEqual({
      statusCode: 207, contentType: 'application/x-test', body: Buffer.from([0, 1, 255]),
      headers: expect.objectContaining({ 'content-type': 'application/x-test', 'x-answer': '42' }),
    });
    expect(seen).toMatchObject({ method: 'POST', url: '/sum?x=1', body: '{"a":1}' });
    expect(seen.headers).toMatchObject({ 'content-type': 'application/json', 'x-trace': 't', 'x-nuclio-target': 'callee', 'x-nucleon-caller': 'me' });
  });

  it('sends text as text/plain, keeps the event method, and sends no body with GET', async () => {
    await caller().callFunction('callee', { body: 'hi' });
    expect(seen).toMatchObject({ method: 'POST', url: '/', body: 'hi', headers: expect.objectContaining({ 'content-type': 'text/plain' }) });
    await caller().callFunction('callee', { method: 'get', body: 'ignored' });
    expect(seen).toMatchObject({ method: 'GET', body: '' });
  });

  it('a function with no address file is CALLEE_NOT_FOUND, naming the platform', async () => {
    const err = await rejection(caller().callFunction('ghost'));
    expect(err.code).toBe(ErrorCodes.CALLEE_NOT_FOUND);
    expect(err.message).toBe('function "ghost" not found on the local platform');
  });

  it('refuses names that could leave the address directory', async () => {
    for (const name of ['../callee', 'a/b', 'Callee', '']) {
      const err = await rejection(caller().callFunction(name));
      expect(err.code).toBe(ErrorCodes.CALLEE_NOT_FOUND);
      expect(err.message).toContain('not a function name');
    }
  });

  it('outside a platform says so', async () => {
    const err = await rejection(caller({}).callFunction('callee'));
    expect(err.code).toBe(ErrorCodes.CALLEE_NOT_FOUND);
    expect(err.message).toContain('NUCLEON_FUNCTION_ADDRESSES is not set');
  });

  it('gives up after the timeout with CALL_FAILED', async () => {
    const err = await rejection(caller().callFunction('callee', { path: '/slow' }, { timeout: '100ms' }));
    expect(err.code).toBe(ErrorCodes.CALL_FAILED);
    expect(err.message).toMatch(/^calling function "callee" \(http:\/\/127\.0\.0\.1:\d+\/slow\) timed out after 100 ms$/);
  });

  it('a callee that does not answer at all is CALL_FAILED with the cause', async () => {
    await writeFunctionAddress(dir, 'gone', { url: `http://127.0.0.1:${await findFreePort()}` });
    const err = await rejection(caller().callFunction('gone'));
    expect(err.code).toBe(ErrorCodes.CALL_FAILED);
    expect(err.message).toContain('ECONNREFUSED');
  });
});
