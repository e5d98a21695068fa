import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventSubmitter } from '@nucleon/core';
import { backlogProbeOptions } from '@nucleon/core/testing';
import { CronTrigger } from './cron-trigger.js';
import plugin from './index.js';

const T0 = Date.parse('2026-03-01T10:20:03.000Z');
const SCALE_TO_ZERO = { minReplicas: 0 };

beforeEach(() => { vi.useFakeTimers({ now: T0 }); });
afterEach(() => { vi.useRealTimers(); });

/** The first tick the real trigger fires, started now with the same options. */
async function firstFiring(options: ReturnType<typeof backlogProbeOptions>): Promise<number> {
  const fired: number[] = [];
  const submitter: EventSubmitter = { submit: async () => { fired.push(Date.now()); return { body: Buffer.alloc(0), headers: {}, statusCode: 200, contentType: '' } as never; } };
  const trigger = new CronTrigger({ ...options, submitter });
  await trigger.start();
  for (let i = 0; i < 400 && fired.length === 0; i += 1) await vi.advanceTimersByTimeAsync(30_000);
  await trigger.stop(0);
  return fired[0]!;
}

describe('cron backlog probe', () => {
  it('says nothing is pending and wakes the function for its next cron tick, the one the trigger fires', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'cron', attributes: { schedule: '0 * * * *' }, spec: SCALE_TO_ZERO });
    const backlog = await plugin.backlog!(options);
    expect(backlog).toMatchObject({ pending: 0, wakeAt: new Date('2026-03-01T11:00:00.000Z'), detail: expect.stringContaining('next tick 2026-03-01T11:00:00.000Z') });
    expect(await firstFiring(options)).toBe(backlog.wakeAt!.getTime());
  });

  it('honours the trigger\'s time zone', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'cron', attributes: { schedule: '30 12 * * *', timezone: 'Asia/Tokyo' }, spec: SCALE_TO_ZERO });
    expect((await plugin.backlog!(options)).wakeAt).toEqual(new Date('2026-03-02T03:30:00.000Z'));
  });

  it('counts the interval ticks of a function that scales to zero from the epoch, so the tick it names stays put from probe to probe', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'cron', attributes: { interval: '7m' }, spec: SCALE_TO_ZERO });
    const period = 7 * 60_000;
    const expected = (Math.floor(T0 / period) + 1) * period;
    expect((await plugin.backlog!(options)).wakeAt?.getTime()).toBe(expected);
    vi.setSystemTime(T0 + 60_000);
    expect((await plugin.backlog!(options)).wakeAt?.getTime()).toBe(expected);
    vi.setSystemTime(T0);
    expect(await firstFiring(options)).toBe(expected);
  });

  it('keeps Nuclio\'s start-anchored interval for a function that does not scale to zero', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'cron', attributes: { interval: '7m' } });
    expect((await plugin.backlog!(options)).wakeAt?.getTime()).toBe(T0 + 7 * 60_000);
    expect(await firstFiring(options)).toBe(T0 + 7 * 60_000);
  });

  it('refuses a bad schedule with the attribute that is wrong', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'cron', attributes: { schedule: '61 * * * *' } });
    await expect(plugin.backlog!(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_INVALID_CONFIG', message: expect.stringContaining('schedule') });
  });
});
