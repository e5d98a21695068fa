import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCodes, Response, type Context, type Event, type NucleonError, type Runtime, type RuntimeWorker } from '@nucleon/core';
import { createTestEvent, noopLogger, noPlatform } from '@nucleon/core/testing';
import { createWorkerContext } from './context-factory.js';
import type { EventResult, TriggerMetrics } from './metrics.js';
import { WorkerPool } from './worker-pool.js';

type Handle = (event: Event, context: Context) => unknown;

/** A Runtime whose workers run `handle`; it records every initContext and close by worker id. */
class FakeRuntime implements Runtime {
  readonly inits: number[] = [];
  readonly closed: number[] = [];
  constructor(public handle: Handle = () => 'ok') {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async createWorker(context: Context): Promise<RuntimeWorker> {
    this.inits.push(context.workerId);
    return {
      handle: (event, ctx) => this.handle(event, ctx),
      close: async () => { this.closed.push(context.workerId); },
    };
  }
}

function deferred<T = unknown>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function makePool(runtime: FakeRuntime, options: { numWorkers?: number; availabilityTimeoutMs?: number; eventTimeoutMs?: number } = {}) {
  const results: EventResult[] = [];
  const metrics: TriggerMetrics = { handled: (result) => { results.push(result); }, waited: () => {} };
  const pool = await WorkerPool.create({
    triggerName: 'web', numWorkers: options.numWorkers ?? 1, availabilityTimeoutMs: options.availabilityTimeoutMs ?? 1000,
    eventTimeoutMs: options.eventTimeoutMs ?? 0, runtime, metrics, logger: noopLogger,
    createContext: (workerId) => createWorkerContext({ logger: noopLogger, functionName: 'fn', triggerName: 'web', workerId, platform: noPlatform }),
  });
  pools.push(pool);
  return { pool, results };
}

const event = (body = '') => createTestEvent({ body });

describe('WorkerPool: running events', () => {
  it('runs initContext once per worker at creation', async () => {
    const runtime = new FakeRuntime();
    await makePool(runtime, { numWorkers: 3 });
    expect([...runtime.inits].sort()).toEqual([0, 1, 2]);
  });

  it('runs an event on a free worker and resolves with the normalised response', async () => {
    const runtime = new FakeRuntime((e, ctx) => ({ echo: e.body.toString(), worker: ctx.workerId }));
    const { pool, results } = await makePool(runtime);
    const response = await pool.submit(event('hi'));
    expect(response).toMatchObject({ statusCode: 200, contentType: 'application/json', body: '{"echo":"hi","worker":0}' });
    expect(results).toEqual(['success']);
  });

  it('answers through dispatch exactly once, for sync and async handlers', async () => {
    const runtime = new FakeRuntime((e) => (e.body.toString() === 'async' ? Promise.resolve('later') : 'now'));
    const { pool } = await makePool(runtime);
    for (const [body, expected] of [['sync', 'now'], ['async', 'later']] as const) {
      const calls: Array<[Error | undefined, unknown]> = [];
      await new Promise<void>((resolve) => pool.dispatch(event(body), (err, res) => { calls.push([err, res?.body]); resolve(); }));
      await sleep(5);
      expect(calls).toEqual([[undefined, expected]]);
    }
  });

  it('makes a second event wait for the only worker, and keeps FIFO order for three waiters', async () => {
    const gate = deferred();
    const order: string[] = [];
    const runtime = new FakeRuntime(async (e) => {
      const name = e.body.toString();
      order.push(name);
      if (name === 'first') await gate.promise;
      return name;
    });
    const { pool } = await makePool(runtime);
    const first = pool.submit(event('first'));
    const waiters = ['a', 'b', 'c'].map((name) => pool.submit(event(name)));
    await sleep(20);
    expect(order).toEqual(['first']);
    expect(pool.inFlight).toBe(1);
    gate.resolve(undefined);
    expect((await first).body).toBe('first');
    expect((await Promise.all(waiters)).map((r) => r.body)).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['first', 'a', 'b', 'c']);
    expect(pool.inFlight).toBe(0);
  });

  it('counts running events in inFlight, not waiting ones', async () => {
    const gate = deferred();
    const { pool } = await makePool(new FakeRuntime(() => gate.promise.then(() => 'done')), { numWorkers: 2 });
    const all = [pool.submit(event()), pool.submit(event()), pool.submit(event())];
    await sleep(5);
    expect(pool.inFlight).toBe(2);
    gate.resolve(undefined);
    await Promise.all(all);
    expect(pool.inFlight).toBe(0);
  });

  it('refuses a waiter past the availability timeout with NO_WORKER_AVAILABLE, and never runs it', async () => {
    const gate = deferred();
    const ran: string[] = [];
    const runtime = new FakeRuntime(async (e) => { ran.push(e.body.toString()); await gate.promise; return 'ok'; });
    const { pool, results } = await makePool(runtime, { availabilityTimeoutMs: 30 });
    const first = pool.submit(event('first'));
    const started = performance.now();
    await expect(pool.submit(event('late'))).rejects.toMatchObject({ code: ErrorCodes.NO_WORKER_AVAILABLE });
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    gate.resolve(undefined);
    await first;
    await sleep(20);
    expect(ran).toEqual(['first']);
    expect(results).toEqual(['rejected', 'success']);
    expect((await pool.submit(event('next'))).body).toBe('ok');
  });
});

describe('WorkerPool: failures', () => {
  it('wraps a thrown error in HANDLER_FAILED keeping it as cause, sync or async', async () => {
    const boom = new Error('boom');
    const runtime = new FakeRuntime((e) => {
      if (e.body.toString() === 'sync') throw boom;
      return Promise.reject(boom);
    });
    const { pool, results } = await makePool(runtime);
    for (const body of ['sync', 'async']) {
      const err = await pool.submit(event(body)).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: ErrorCodes.HANDLER_FAILED, cause: boom });
      expect((err as Error).message).toContain('boom');
    }
    expect(results).toEqual(['error', 'error']);
    runtime.handle = () => 'recovered';
    expect((await pool.submit(event())).body).toBe('recovered');
  });

  it.each([
    ['a function', () => () => 1],
    ['a BigInt', () => 10n],
    ['a circular object', () => { const o: Record<string, unknown> = {}; o.self = o; return o; }],
    ['a Response with statusCode 42', () => new Response('x', {}, 'text/plain', 42)],
  ])('refuses %s with INVALID_RESPONSE', async (_name, make) => {
    const { pool, results } = await makePool(new FakeRuntime(make));
    await expect(pool.submit(event())).rejects.toMatchObject({ code: ErrorCodes.INVALID_RESPONSE });
    expect(results).toEqual(['error']);
    expect(pool.inFlight).toBe(0);
  });
});

describe('WorkerPool: eventTimeout', () => {
  it('answers EVENT_TIMEOUT, replaces the worker and runs the next event on the fresh one', async () => {
    const stuck = deferred();
    let calls = 0;
    const runtime = new FakeRuntime(() => (calls++ === 0 ? stuck.promise : 'fresh'));
    const { pool, results } = await makePool(runtime, { eventTimeoutMs: 100 });
    const started = performance.now();
    await expect(pool.submit(event())).rejects.toMatchObject({ code: ErrorCodes.EVENT_TIMEOUT });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(95);
    expect(elapsed).toBeLessThan(400);
    expect(pool.inFlight).toBe(0);
    expect((await pool.submit(event())).body).toBe('fresh');
    expect(runtime.closed).toEqual([0]);
    expect(runtime.inits).toEqual([0, 0]);

    // The abandoned handler finishing late reaches nobody and counts nothing.
    stuck.resolve('too late');
    await sleep(10);
    expect(results).toEqual(['timeout', 'success']);
    expect(pool.inFlight).toBe(0);
  });

  it('ignores a late failure of the abandoned event', async () => {
    const stuck = deferred();
    let calls = 0;
    const runtime = new FakeRuntime(() => (calls++ === 0 ? stuck.promise : 'ok'));
    const { pool, results } = await makePool(runtime, { eventTimeoutMs: 50 });
    const answers: string[] = [];
    pool.dispatch(event(), (err) => answers.push(err ? (err as NucleonError).code : 'ok'));
    await sleep(150);
    stuck.reject(new Error('late'));
    await sleep(10);
    expect(answers).toEqual([ErrorCodes.EVENT_TIMEOUT]);
    expect(results).toEqual(['timeout']);
  });

  it('hands the replacement worker to an event that was waiting behind the stuck one', async () => {
    let calls = 0;
    const runtime = new FakeRuntime((e) => (calls++ === 0 ? new Promise(() => {}) : `ran ${e.body.toString()}`));
    const { pool } = await makePool(runtime, { eventTimeoutMs: 60, availabilityTimeoutMs: 2000 });
    const stuck = pool.submit(event('stuck'));
    const waiter = pool.submit(event('waiter'));
    await expect(stuck).rejects.toMatchObject({ code: ErrorCodes.EVENT_TIMEOUT });
    expect((await waiter).body).toBe('ran waiter');
    expect(runtime.inits).toEqual([0, 0]);
  });

  it('does not time out a handler when eventTimeout is 0', async () => {
    const { pool } = await makePool(new FakeRuntime(() => sleep(120).then(() => 'slow')), { eventTimeoutMs: 0 });
    expect((await pool.submit(event())).body).toBe('slow');
  });
});

describe('WorkerPool: drain', () => {
  it('refuses new events with SHUTTING_DOWN and rejects waiters, then resolves true once in-flight finish', async () => {
    const gate = deferred();
    const { pool, results } = await makePool(new FakeRuntime(() => gate.promise.then(() => 'finished')));
    const running = pool.submit(event());
    const waiting = pool.submit(event());
    await sleep(5);
    let drained: boolean | undefined;
    const draining = pool.drain(5000).then((d) => { drained = d; });
    await expect(waiting).rejects.toMatchObject({ code: ErrorCodes.SHUTTING_DOWN });
    await expect(pool.submit(event())).rejects.toMatchObject({ code: ErrorCodes.SHUTTING_DOWN });
    await sleep(10);
    expect(drained).toBeUndefined();
    gate.resolve(undefined);
    expect((await running).body).toBe('finished');
    await draining;
    expect(drained).toBe(true);
    expect(results).toContain('rejected');
  });

  it('counts each waiter refused by drain as rejected', async () => {
    const gate = deferred();
    const { pool, results } = await makePool(new FakeRuntime(() => gate.promise.then(() => 'finished')));
    const running = pool.submit(event());
    const waiting = pool.submit(event());
    await sleep(5);
    const draining = pool.drain(5000);
    await expect(waiting).rejects.toMatchObject({ code: ErrorCodes.SHUTTING_DOWN });
    gate.resolve(undefined);
    await running;
    await draining;
    expect(results).toEqual(['rejected', 'success']);
  });

  it('resolves true at once when idle, false at the deadline when an event is stuck', async () => {
    const idle = await makePool(new FakeRuntime());
    expect(await idle.pool.drain(1000)).toBe(true);

    const { pool } = await makePool(new FakeRuntime(() => new Promise(() => {})));
    void pool.submit(event()).catch(() => {});
    await sleep(5);
    const started = performance.now();
    expect(await pool.drain(60)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });
});

describe('WorkerPool: keeping its workers', () => {
  it('retries a replacement worker whose initContext fails, instead of shrinking for good', async () => {
    let failInits = 0;
    const runtime = new FakeRuntime();
    const create = runtime.createWorker.bind(runtime);
    runtime.createWorker = async (context) => {
      if (failInits > 0) {
        failInits -= 1;
        throw new Error('database unreachable');
      }
      return create(context);
    };
    const hang = new Promise(() => {});
    runtime.handle = (ev) => (ev.body.toString() === 'hang' ? hang : 'ok');
    const { pool } = await makePool(runtime, { numWorkers: 1, eventTimeoutMs: 50, availabilityTimeoutMs: 5000 });
    failInits = 1;
    await expect(pool.submit(event('hang'))).rejects.toMatchObject({ code: 'NUCLEON_ERR_EVENT_TIMEOUT' });
    // The first replacement fails; the retry half a second later brings the worker back.
    const started = Date.now();
    const response = await pool.submit(event('after'));
    expect(response.body).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(runtime.inits.filter((id) => id === 0).length).toBe(2);
  });

  it('returns the worker to the pool even when the trigger callback throws', async () => {
    const { pool } = await makePool(new FakeRuntime(), { numWorkers: 1, availabilityTimeoutMs: 200 });
    expect(() => pool.dispatch(event(), () => { throw new Error('trigger bug'); })).toThrow('trigger bug');
    expect((await pool.submit(event())).body).toBe('ok');
  });
});
