import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCodes, Response, validateFunctionConfig, type Context, type Event } from '@nucleon/core';
import { createTestEvent, InMemoryLogger, noopLogger, noPlatform } from '@nucleon/core/testing';
import nodeRuntimePlugin, { NodeRuntime, NodeWorker } from './index.js';
import type { HandlerFunction } from './handler-module.js';

function newContext(workerId = 0): Context {
  return { logger: noopLogger, userData: {}, Response, callback() {}, workerId, functionName: 'fn', triggerName: 'web', platform: noPlatform };
}

/** A worker for `handler` and a function that runs one event through it. */
function workerFor(handler: HandlerFunction) {
  const context = newContext();
  const worker = new NodeWorker(handler, context);
  return { worker, context, run: (body = '') => worker.handle(createTestEvent({ body }), context) };
}

/** Resolves with the result, or with 'pending' if it has not settled within `ms`. */
async function within(value: unknown, ms = 50): Promise<unknown> {
  return Promise.race([Promise.resolve(value), sleep(ms).then(() => 'pending')]);
}

describe('NodeWorker: results', () => {
  it('returns a synchronous result as is, without a promise', () => {
    const { run } = workerFor((_c, e) => `sync ${e.body.toString()}`);
    expect(run('a')).toBe('sync a');
  });

  it('resolves a returned promise', async () => {
    const { run } = workerFor(async (_c, e) => { await sleep(5); return { got: e.body.toString() }; });
    expect(await run('b')).toEqual({ got: 'b' });
  });

  it('takes a callback made synchronously', async () => {
    const { run } = workerFor((context) => { context.callback('called back'); });
    expect(await run()).toBe('called back');
  });

  it('waits for a callback made later', async () => {
    const { run } = workerFor((context) => { setTimeout(() => context.callback('later'), 20); });
    const result = run();
    expect(await within(result, 5)).toBe('pending');
    expect(await result).toBe('later');
  });

  it('takes the callback of an async handler that then returns undefined', async () => {
    const { run } = workerFor(async (context) => { await sleep(5); context.callback('from async'); });
    expect(await run()).toBe('from async');
  });

  it('waits for the callback when an async handler returns undefined first', async () => {
    const { run } = workerFor(async (context) => { setTimeout(() => context.callback('after return'), 20); });
    expect(await run()).toBe('after return');
  });

  it('prefers a returned value over a callback', async () => {
    const { run } = workerFor((context) => { context.callback('ignored'); return 'returned'; });
    expect(await run()).toBe('returned');
  });

  it('uses the first callback and ignores a second', async () => {
    const { run } = workerFor((context) => { context.callback('first'); context.callback('second'); });
    expect(await run()).toBe('first');
    const later = workerFor((context) => { setTimeout(() => { context.callback('one'); context.callback('two'); }, 5); });
    expect(await later.run()).toBe('one');
  });

  it('turns Nuclio\'s [status, body] reply into a Response, returned or called back', async () => {
    const { run } = workerFor((_c, e) => (e.body.toString() === 'return' ? [201, 'made'] : undefined));
    expect(await run('return')).toMatchObject({ statusCode: 201, body: 'made' });
    const cb = workerFor((context) => { context.callback([404, 'nope']); });
    expect(await cb.run()).toMatchObject({ statusCode: 404, body: 'nope' });
    expect(workerFor(() => [1, 2]).run()).toEqual([1, 2]);
  });

  it('lets a thrown error and a rejection through unchanged', async () => {
    const boom = new Error('boom');
    expect(() => workerFor(() => { throw boom; }).run()).toThrow(boom);
    await expect(workerFor(async () => { throw boom; }).run()).rejects.toBe(boom);
  });

  it('starts each event afresh: a callback from one event does not answer the next', async () => {
    let n = 0;
    const { run } = workerFor((context) => {
      n += 1;
      if (n === 1) context.callback('first event');
      else setTimeout(() => context.callback('second event'), 10);
    });
    expect(await run()).toBe('first event');
    expect(await run()).toBe('second event');
  });

  it('ignores a late callback after close()', async () => {
    const { worker, run } = workerFor((context) => { setTimeout(() => context.callback('too late'), 20); });
    const result = run();
    await worker.close();
    expect(await within(result, 60)).toBe('pending');
  });
});

describe('NodeRuntime', () => {
  const root = mkdtempSync(join(tmpdir(), 'nucleon-runtime-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let counter = 0;

  function runtimeFor(source: string, logger = new InMemoryLogger()) {
    counter += 1;
    writeFileSync(join(root, `main${counter}.mjs`), source);
    const { config } = validateFunctionConfig({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', handler: `main${counter}:handler` } });
    return new NodeRuntime({ function: config, functionDir: root, logger });
  }

  it('is a runtime plugin for core ^0.1.0', () => {
    expect(nodeRuntimePlugin).toMatchObject({ kind: 'runtime', name: '@nucleon/runtime-node', coreRange: '^0.1.0' });
  });

  it('runs initContext once per worker with that worker\'s context, and the handler sees its userData', async () => {
    const runtime = runtimeFor(`
      let inits = 0;
      export function initContext(context) { inits += 1; context.userData.greeting = 'hi from ' + context.workerId; context.userData.inits = inits; }
      export const handler = (context, event) => context.userData.greeting + ' (' + context.userData.inits + ')';
    `);
    await runtime.start();
    const contexts = [newContext(0), newContext(1)];
    const workers = await Promise.all(contexts.map((c) => runtime.createWorker(c)));
    const event: Event = createTestEvent();
    expect(contexts.map((c) => c.userData.inits).sort()).toEqual([1, 2]);
    expect(String(workers[1]?.handle(event, contexts[1] as Context))).toMatch(/^hi from 1 \(\d\)$/);
  });

  it('wraps an initContext failure in INIT_CONTEXT_FAILED naming the worker, keeping the cause', async () => {
    const runtime = runtimeFor(`
      export function initContext() { throw new Error('database unreachable'); }
      export const handler = () => 'never';
    `);
    await runtime.start();
    const err = await runtime.createWorker(newContext(3)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.INIT_CONTEXT_FAILED });
    expect((err as Error).message).toContain('worker 3');
    expect((err as Error).message).toContain('database unreachable');
    expect(((err as Error).cause as Error).message).toBe('database unreachable');
  });

  it('wraps an async initContext rejection too', async () => {
    const runtime = runtimeFor(`
      export async function initContext() { await null; throw new Error('late failure'); }
      export const handler = () => 'never';
    `);
    await runtime.start();
    await expect(runtime.createWorker(newContext())).rejects.toMatchObject({ code: ErrorCodes.INIT_CONTEXT_FAILED });
  });

  it('reports a missing handler at start with HANDLER_NOT_FOUND', async () => {
    const runtime = runtimeFor('export const other = () => 1;\n');
    await expect(runtime.start()).rejects.toMatchObject({ code: ErrorCodes.HANDLER_NOT_FOUND });
  });

  it('refuses to create a worker before start()', async () => {
    const runtime = runtimeFor('export const handler = () => 1;\n');
    await expect(runtime.createWorker(newContext())).rejects.toThrow(/before start/);
  });
});
