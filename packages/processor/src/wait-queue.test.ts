import { describe, expect, it, vi } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { WaitQueue } from './wait-queue.js';

const timeoutError = () => new Error('timed out');

/** Settles to the value, or to `error: message` on rejection, so tests can compare outcomes. */
function outcome<T>(promise: Promise<T>): Promise<T | string> {
  return promise.then((v) => v, (e: Error) => `error: ${e.message}`);
}

describe('WaitQueue', () => {
  it('hands values to waiters in the order they started waiting', async () => {
    const queue = new WaitQueue<string>();
    const waiters = [1, 2, 3].map(() => queue.wait(1000, timeoutError));
    expect(queue.handOff('a')).toBe(true);
    expect(queue.handOff('b')).toBe(true);
    expect(queue.handOff('c')).toBe(true);
    expect(await Promise.all(waiters)).toEqual(['a', 'b', 'c']);
  });

  it('returns false from handOff when nobody waits', () => {
    const queue = new WaitQueue<number>();
    expect(queue.handOff(1)).toBe(false);
  });

  it('rejects a waiter at its deadline with the error it was given, and skips it on handOff', async () => {
    const queue = new WaitQueue<string>();
    const short = outcome(queue.wait(10, timeoutError));
    const long = outcome(queue.wait(5000, timeoutError));
    await sleep(30);
    expect(await short).toBe('error: timed out');
    expect(queue.handOff('x')).toBe(true);
    expect(await long).toBe('x');
  });

  it('returns false from handOff when every waiter has timed out', async () => {
    const queue = new WaitQueue<string>();
    const waiters = [outcome(queue.wait(5, timeoutError)), outcome(queue.wait(5, timeoutError))];
    await sleep(25);
    expect(queue.handOff('x')).toBe(false);
    expect(await Promise.all(waiters)).toEqual(['error: timed out', 'error: timed out']);
  });

  it('does not call onTimeout for a waiter that was served', async () => {
    const queue = new WaitQueue<string>();
    const onTimeout = vi.fn(timeoutError);
    const waiter = queue.wait(20, onTimeout);
    queue.handOff('served');
    expect(await waiter).toBe('served');
    await sleep(40);
    expect(onTimeout).not.toHaveBeenCalled();
  });

  it('rejectAll rejects every live waiter, cancels their deadlines, and leaves the queue empty', async () => {
    const queue = new WaitQueue<string>();
    const onTimeout = vi.fn(timeoutError);
    const served = queue.wait(1000, onTimeout);
    const rest = [outcome(queue.wait(20, onTimeout)), outcome(queue.wait(20, onTimeout))];
    queue.handOff('first');
    let n = 0;
    queue.rejectAll(() => new Error(`shutting down ${(n += 1)}`));
    expect(await served).toBe('first');
    expect(await Promise.all(rest)).toEqual(['error: shutting down 1', 'error: shutting down 2']);
    await sleep(40);
    expect(onTimeout).not.toHaveBeenCalled();
    expect(queue.handOff('nobody')).toBe(false);
    // Still usable afterwards.
    const later = queue.wait(1000, timeoutError);
    expect(queue.handOff('later')).toBe(true);
    expect(await later).toBe('later');
  });

  it('keeps FIFO order across 2000 waits with interleaved timeouts and the queue compacting', async () => {
    const queue = new WaitQueue<number>();
    const got = new Map<number, number | string>();
    // Every fourth waiter times out almost at once; the rest wait long enough to be served.
    const live = (id: number) => id % 4 !== 3;
    const track = (id: number) => {
      void outcome(queue.wait(live(id) ? 10_000 : 1, timeoutError)).then((v) => { got.set(id, v); });
    };
    for (let id = 0; id < 2000; id += 1) track(id);
    await sleep(50);
    // Serving 1100 consumes more than 1024 entries, so the queue compacts (with a live waiter next).
    for (let v = 0; v < 1100; v += 1) expect(queue.handOff(v)).toBe(true);
    // New waiters join behind the 400 live ones still waiting, with more timeouts among them.
    for (let id = 2000; id < 2200; id += 1) track(id);
    await sleep(50);
    for (let v = 1100; v < 1650; v += 1) expect(queue.handOff(v)).toBe(true);
    expect(queue.handOff(-1)).toBe(false);
    await sleep(0);

    const ids = [...Array(2200).keys()];
    const liveIds = ids.filter(live);
    expect(liveIds.map((id) => got.get(id))).toEqual(liveIds.map((_, i) => i));
    expect(ids.filter((id) => !live(id)).every((id) => got.get(id) === 'error: timed out')).toBe(true);
  });
});
