import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createError, ErrorCodes, type Event, type EventSubmitter, type TriggerConfig } from '@nucleon/core';
import { InMemoryLogger } from '@nucleon/core/testing';
import { CronTrigger } from './cron-trigger.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

interface Run { event: Event; start: number; end?: number }

/** A submitter whose handler takes `ms` (fake time) per run and records start and end. */
function slowSubmitter(ms: number, fail = false): EventSubmitter & { runs: Run[] } {
  const runs: Run[] = [];
  return {
    runs,
    submit(event) {
      const run: Run = { event, start: Date.now() };
      runs.push(run);
      return new Promise((resolve, reject) => setTimeout(() => {
        run.end = Date.now();
        if (fail) reject(createError(ErrorCodes.HANDLER_FAILED, 'boom'));
        else resolve({ body: Buffer.alloc(0), headers: {}, statusCode: 200, contentType: 'text/plain' } as never);
      }, ms));
    },
  };
}

function trigger(attributes: Record<string, unknown>, submitter: EventSubmitter, numWorkers = 1) {
  const logger = new InMemoryLogger();
  const config: TriggerConfig = { kind: 'cron', numWorkers, attributes, workerAvailabilityTimeoutMilliseconds: 10_000 };
  const t = new CronTrigger({ name: 'tick', config, function: {} as never, submitter, logger });
  return { t, logger };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CronTrigger', () => {
  it('fires an interval at fixed rate with the configured event and the scheduled time', async () => {
    const sub = slowSubmitter(10);
    const { t } = trigger({ interval: '1s', event: { body: 'hi', headers: { 'x-a': 'b' }, path: '/p', method: 'GET' } }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(3_500);
    expect(sub.runs.map((r) => r.start - T0)).toEqual([1000, 2000, 3000]);
    const e = sub.runs[1]?.event as Event;
    expect(e.timestamp.toISOString()).toBe('2026-03-01T10:00:02.000Z');
    expect(e.headers).toEqual({ 'x-a': 'b', 'x-nucleon-cron-scheduled-at': '2026-03-01T10:00:02.000Z' });
    expect([e.body.toString(), e.path, e.method, e.trigger]).toEqual(['hi', '/p', 'GET', { kind: 'cron', name: 'tick' }]);
    expect(e.fields).toEqual({});
    expect(new Set(sub.runs.map((r) => r.event.id)).size).toBe(3);
    await t.stop(1000);
  });

  it('fires a cron schedule on its wall-clock times', async () => {
    const sub = slowSubmitter(1);
    const { t } = trigger({ schedule: '*/20 * * * * *' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(61_000);
    expect(sub.runs.map((r) => new Date(r.start).toISOString().slice(14, 19))).toEqual(['00:20', '00:40', '01:00']);
    await t.stop(1000);
  });

  it('Forbid: never overlaps; ticks during a run are skipped and logged, not queued', async () => {
    const sub = slowSubmitter(2_500);
    const { t, logger } = trigger({ schedule: '@every 1s' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(9_900);
    // Runs at 1s (to 3.5s), 4s (to 6.5s), 7s (to 9.5s): 2,3,5,6,8,9 skipped.
    expect(sub.runs.map((r) => r.start - T0)).toEqual([1000, 4000, 7000]);
    for (let i = 1; i < sub.runs.length; i += 1) expect(sub.runs[i]!.start).toBeGreaterThanOrEqual(sub.runs[i - 1]!.end!);
    const skipped = logger.records.filter((r) => r.message.startsWith('cron tick skipped'));
    expect(skipped.map((r) => r.fields.scheduledAt)).toEqual([2, 3, 5, 6, 8, 9].map((s) => new Date(T0 + s * 1000).toISOString()));
    await t.stop(5000);
  });

  it('Allow: ticks run alongside each other, up to numWorkers', async () => {
    const sub = slowSubmitter(2_500);
    const { t } = trigger({ interval: '1s', concurrencyPolicy: 'Allow' }, sub, 2);
    await t.start();
    await vi.advanceTimersByTimeAsync(4_100);
    // 1s and 2s overlap; 3s is skipped (two running); 4s runs once the 1s run ended at 3.5s.
    expect(sub.runs.map((r) => r.start - T0)).toEqual([1000, 2000, 4000]);
    const stopping = t.stop(5000);
    await vi.advanceTimersByTimeAsync(5000);
    await stopping;
  });

  it('after a pause (clock jumped past several ticks) fires once, as the latest due tick', async () => {
    const sub = slowSubmitter(1);
    const { t, logger } = trigger({ interval: '1s' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(1_100);
    // The process is suspended for 5 s: the wall clock moves on, the pending timer fires 5 s late.
    vi.setSystemTime(T0 + 6_100);
    await vi.advanceTimersByTimeAsync(950);
    expect(sub.runs.map((r) => r.event.timestamp.getTime() - T0)).toEqual([1000, 7000]);
    const missed = logger.records.find((r) => r.message.startsWith('cron ticks missed'));
    expect(missed?.fields).toMatchObject({ missed: 5, firstMissed: new Date(T0 + 2000).toISOString(), firing: new Date(T0 + 7000).toISOString() });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sub.runs.map((r) => r.event.timestamp.getTime() - T0)).toEqual([1000, 7000, 8000]);
    await t.stop(1000);
  });

  it('logs a failed run at error level and keeps to the schedule (no retry, as Nuclio)', async () => {
    const sub = slowSubmitter(5, true);
    const { t, logger } = trigger({ interval: '1s' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(2_100);
    expect(sub.runs).toHaveLength(2);
    const failures = logger.records.filter((r) => r.level === 'error');
    expect(failures).toHaveLength(2);
    expect(failures[0]?.fields).toMatchObject({ code: ErrorCodes.HANDLER_FAILED, scheduledAt: new Date(T0 + 1000).toISOString() });
    await t.stop(1000);
  });

  it('stop waits for the run in progress (within the deadline) and fires no more', async () => {
    const sub = slowSubmitter(800);
    const { t } = trigger({ interval: '1s' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(1_100);
    let stopped = false;
    const stopping = t.stop(5_000).then(() => { stopped = true; });
    await vi.advanceTimersByTimeAsync(600);
    expect(stopped).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
    expect(sub.runs[0]?.end).toBeDefined();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sub.runs).toHaveLength(1);
  });

  it('stop gives up at the deadline when a run overruns it', async () => {
    const sub = slowSubmitter(60_000);
    const { t } = trigger({ interval: '1s' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(1_100);
    const stopping = t.stop(2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
    expect(t.running).toBe(1);
  });

  it('reaches a far tick through capped timers and re-reads the clock', async () => {
    const sub = slowSubmitter(1);
    const { t } = trigger({ schedule: '@hourly' }, sub);
    await t.start();
    await vi.advanceTimersByTimeAsync(3_600_000 + 100);
    expect(sub.runs.map((r) => new Date(r.start).toISOString())).toEqual(['2026-03-01T11:00:00.000Z']);
    await t.stop(1000);
  });

  it('logs the skip as a busy pool when the processor has no free worker', async () => {
    const submitter: EventSubmitter = { submit: () => Promise.reject(createError(ErrorCodes.NO_WORKER_AVAILABLE, 'busy')) };
    const { t, logger } = trigger({ interval: '1s' }, submitter);
    await t.start();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(logger.messages('warn')).toContain('cron tick skipped: no free worker');
    await t.stop(1000);
  });
});
