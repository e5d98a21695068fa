import { describe, expect, it } from 'vitest';
import { WorkQueue, type QueueTimers } from './work-queue.js';

/** Timers that fire only when the test says so, recording each delay asked for. */
function manualTimers() {
  const pending: Array<{ callback: () => void; ms: number; cleared: boolean }> = [];
  const timers: QueueTimers = {
    setTimeout: (callback, ms) => { const t = { callback, ms, cleared: false }; pending.push(t); return t; },
    clearTimeout: (handle) => { (handle as { cleared: boolean }).cleared = true; },
  };
  return {
    timers,
    delays: () => pending.map((t) => t.ms),
    fireAll: () => { for (const t of pending.splice(0)) if (!t.cleared) t.callback(); },
  };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WorkQueue', () => {
  it('processes a key added twice while waiting once', async () => {
    const queue = new WorkQueue();
    const seen: string[] = [];
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    queue.start(async (key) => { seen.push(key); });
    await tick();
    expect(seen).toEqual(['ns/a', 'ns/b']);
  });

  it('never runs one key twice at once: added while processing, it runs once more afterwards', async () => {
    const queue = new WorkQueue({ concurrency: 4 });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    queue.start(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      if (runs === 1) await gate.promise;
      running--;
    });
    queue.add('ns/a');
    await tick();
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/a');
    await tick();
    expect(runs).toBe(1);
    gate.resolve();
    await tick();
    await tick();
    expect(runs).toBe(2);
    expect(maxRunning).toBe(1);
  });

  it('runs at most `concurrency` different keys at once', async () => {
    const queue = new WorkQueue({ concurrency: 2 });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    queue.start(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await gate.promise;
      running--;
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(`ns/${key}`);
    await tick();
    expect(running).toBe(2);
    expect(queue.length).toBe(3);
    gate.resolve();
    await tick();
    await tick();
    expect(maxRunning).toBe(2);
    expect(queue.length).toBe(0);
  });

  it('retries with per-key exponential backoff, capped, and forget resets it', async () => {
    const clock = manualTimers();
    const queue = new WorkQueue({ timers: clock.timers, baseDelayMs: 200, maxDelayMs: 1000 });
    const seen: string[] = [];
    queue.start(async (key) => { seen.push(key); });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      queue.retry('ns/a');
      delays.push(...clock.delays());
      clock.fireAll();
      await tick();
    }
    expect(delays).toEqual([200, 400, 800, 1000, 1000]);
    expect(seen).toEqual(['ns/a', 'ns/a', 'ns/a', 'ns/a', 'ns/a']);
    queue.retry('ns/b');
    expect(clock.delays()).toEqual([200]);
    queue.forget('ns/a');
    queue.retry('ns/a');
    expect(clock.delays()).toEqual([200, 200]);
  });

  it('keeps one pending retry per key', () => {
    const clock = manualTimers();
    const queue = new WorkQueue({ timers: clock.timers });
    queue.retry('ns/a');
    queue.retry('ns/a');
    expect(clock.delays()).toEqual([200]);
  });

  it('shutDown waits for keys in flight, drops waiting ones and pending retries, and takes no more', async () => {
    const clock = manualTimers();
    const queue = new WorkQueue({ concurrency: 1, timers: clock.timers });
    const gate = deferred();
    const seen: string[] = [];
    let finished = false;
    queue.start(async (key) => {
      seen.push(key);
      if (key === 'ns/a') { await gate.promise; finished = true; }
    });
    queue.add('ns/a');
    queue.add('ns/b');
    queue.retry('ns/c');
    await tick();
    const stopped = queue.shutDown();
    queue.add('ns/d');
    gate.resolve();
    await stopped;
    expect(finished).toBe(true);
    clock.fireAll();
    await tick();
    expect(seen).toEqual(['ns/a']);
  });
});
