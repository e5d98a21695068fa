import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@nucleon/core';
import { createTestEvent } from '@nucleon/core/testing';
import { checkNothingLeftBehind, echoRuntime, failure, eventually, isAlive, pidOf, run, type Harness } from './integration-harness.js';

// Sharing one wrapper between workers, closing workers (eventTimeout) and stopping the runtime.

checkNothingLeftBehind();
type Worker = Awaited<ReturnType<Harness['worker']>>;
const sleepOn = (h: Harness, w: Worker, ms: number) => run(h, w, '/sleep', { fields: { ms: String(ms) } }).then((r) => String(r.body));

describe('shared wrapper', () => {
  const shared = (maxInFlight: number) => echoRuntime({
    runtimeAttributes: { wrapperSharing: 'shared' }, env: () => ({ ECHO_WRAPPER_MAX_IN_FLIGHT: String(maxInFlight), ECHO_WRAPPER_STUBBORN: '1' }),
  });

  it('serves every worker from one wrapper, several events in flight, answered out of order', async () => {
    const h = await shared(4);
    expect(h.runtime.sharing).toBe('shared');
    const workers = [await h.worker(0), await h.worker(1), await h.worker(2)];
    expect(h.runtime.wrapperPids()).toHaveLength(1);
    const pids = new Set(await Promise.all(workers.map((w) => pidOf(h, w))));
    expect(pids.size).toBe(1);
    const finished: string[] = [];
    const started = Date.now();
    await Promise.all([[0, 300], [1, 150], [2, 10]].map(([i, ms]) => sleepOn(h, workers[i!]!, ms!).then((b) => finished.push(b))));
    expect(finished).toEqual(['slept 10', 'slept 150', 'slept 300']);
    expect(Date.now() - started).toBeLessThan(600); // concurrent, not 460 ms one after another plus overhead
  });

  it('holds events beyond maxInFlight and sends them first in, first out as room frees', async () => {
    const h = await shared(2);
    const [a, b, c] = [await h.worker(0), await h.worker(1), await h.worker(2)];
    const finished: string[] = [];
    const started = Date.now();
    const order = [sleepOn(h, a, 600), sleepOn(h, b, 100), sleepOn(h, c, 60), sleepOn(h, a, 10), sleepOn(h, b, 1)];
    await Promise.all(order.map((p) => p.then((r) => finished.push(r))));
    // 600 and 100 run at once; 60 waits for the 100 (ends ~160), then 10 (ends ~170), then 1; 600 ends
    // last (wide margin: on a loaded machine each hop can take tens of milliseconds).
    expect(finished).toEqual(['slept 100', 'slept 60', 'slept 10', 'slept 1', 'slept 600']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('a crash fails the events of every worker on it, and all workers go on with the replacement', async () => {
    const h = await shared(4);
    const [a, b] = [await h.worker(0), await h.worker(1)];
    const pid = await pidOf(h, a);
    const pending = [failure(run(h, a, '/hang')), failure(run(h, b, '/hang'))];
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(pid, 'SIGKILL');
    for (const err of await Promise.all(pending)) expect(err).toMatchObject({ code: ErrorCodes.WRAPPER_CRASHED, message: expect.stringContaining('SIGKILL') });
    const next = await pidOf(h, b);
    expect(next).not.toBe(pid);
    expect(await pidOf(h, a)).toBe(next);
  });

  it('closing a worker with an event on the wrapper replaces the wrapper; closing an idle one leaves it', async () => {
    const h = await shared(4);
    const [a, b] = [await h.worker(0), await h.worker(1)];
    const pid = await pidOf(h, a);
    await b.worker.close?.();
    expect(await pidOf(h, a)).toBe(pid);
    const hanging = failure(run(h, a, '/hang'));
    await a.worker.close?.(); // what the pool does on eventTimeout (the wrapper ignores a closed socket)
    expect(await hanging).toMatchObject({ code: ErrorCodes.WRAPPER_CRASHED, message: expect.stringContaining('was killed: its worker was closed') });
    expect(await eventually(() => !isAlive(pid))).toBe(true);
    const fresh = await h.worker(0);
    expect(await pidOf(h, fresh)).not.toBe(pid);
  });

  it('closing a worker whose event still waits for room refuses that event and leaves the wrapper alone', async () => {
    const h = await shared(1);
    const [a, b] = [await h.worker(0), await h.worker(1)];
    const pid = await pidOf(h, a);
    const running = sleepOn(h, a, 150);
    const queued = failure(run(h, b, '/echo'));
    await b.worker.close?.();
    expect(await queued).toMatchObject({ code: ErrorCodes.WRAPPER_CRASHED, message: expect.stringContaining('waited for the wrapper') });
    expect(await running).toBe('slept 150');
    expect(await pidOf(h, a)).toBe(pid);
  });
});

describe('closing a worker (per-worker wrappers)', () => {
  it('with an event in flight (eventTimeout): SIGKILL at once; a new worker gets a new wrapper', async () => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_STUBBORN: '1' }) });
    const w = await h.worker();
    const pid = await pidOf(h, w);
    const hanging = failure(run(h, w, '/hang'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const closedAt = Date.now();
    await w.worker.close?.();
    expect(Date.now() - closedAt).toBeLessThan(500);
    expect(isAlive(pid)).toBe(false);
    expect((await hanging).code).toBe(ErrorCodes.WRAPPER_CRASHED);
    expect(h.logger.records.some((r) => r.message.startsWith('terminate:'))).toBe(false);
    const fresh = await h.worker();
    expect(await pidOf(h, fresh)).not.toBe(pid);
  });

  it('idle: the wrapper is told to terminate and exits', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const pid = await pidOf(h, w);
    await w.worker.close?.();
    expect(isAlive(pid)).toBe(false);
    expect(h.logger.messages('warn')).toContain('terminate: worker closed');
    expect(h.runtime.wrapperPids()).toEqual([]);
  });
});

describe('Runtime.stop()', () => {
  it('drains: events in flight finish, then every wrapper gets TERMINATE and exits; later events are refused', async () => {
    const h = await echoRuntime();
    const workers = [await h.worker(0), await h.worker(1)];
    const pids = await Promise.all(workers.map((w) => pidOf(h, w)));
    const inFlight = workers.map((w) => sleepOn(h, w, 200));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await h.runtime.stop();
    expect(await Promise.all(inFlight)).toEqual(['slept 200', 'slept 200']);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(h.logger.messages('warn').filter((m) => m === 'terminate: the processor is stopping')).toHaveLength(2);
    const err = await failure(Promise.resolve(workers[0]!.worker.handle(createTestEvent(), workers[0]!.context)));
    expect(err.code).toBe(ErrorCodes.SHUTTING_DOWN);
    expect((await failure(h.runtime.createWorker(h.context()))).code).toBe(ErrorCodes.SHUTTING_DOWN);
  });

  it('kills a wrapper that ignores DRAIN and TERMINATE, within its bounds', async () => {
    const h = await echoRuntime({ env: () => ({ ECHO_WRAPPER_MODE: 'no-drain', ECHO_WRAPPER_STUBBORN: '1' }) });
    const w = await h.worker();
    const pid = await pidOf(h, w);
    const started = Date.now();
    await h.runtime.stop();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isAlive(pid)).toBe(false);
  });

  it('stops a shared wrapper the same way', async () => {
    const h = await echoRuntime({ runtimeAttributes: { wrapperSharing: 'shared' } });
    const w = await h.worker();
    const pid = await pidOf(h, w);
    await h.runtime.stop();
    expect(isAlive(pid)).toBe(false);
    expect(h.logger.messages('warn')).toContain('terminate: the processor is stopping');
  });
});
