import { describe, expect, it } from 'vitest';
import { parseCronExpression } from './cron-expression.js';
import { nextCronTime } from './next-time.js';
import { timeZone } from './time-zone.js';

/** The next `count` ticks after `from` (ISO), as ISO strings in UTC. */
function ticks(expr: string, zone: string, from: string, count = 1): string[] {
  const spec = parseCronExpression(expr);
  const tz = timeZone(zone);
  const out: string[] = [];
  let t = Date.parse(from);
  for (let i = 0; i < count; i += 1) {
    const next = nextCronTime(spec, tz, t);
    if (next === undefined) break;
    out.push(new Date(next).toISOString());
    t = next;
  }
  return out;
}

describe('nextCronTime in UTC', () => {
  it('is strictly after the given instant, on whole seconds', () => {
    expect(ticks('* * * * *', 'UTC', '2026-01-01T10:00:00.000Z', 2)).toEqual(['2026-01-01T10:01:00.000Z', '2026-01-01T10:02:00.000Z']);
    expect(ticks('*/1 * * * * *', 'UTC', '2026-01-01T10:00:00.400Z', 2)).toEqual(['2026-01-01T10:00:01.000Z', '2026-01-01T10:00:02.000Z']);
  });

  it('walks steps, ranges and lists', () => {
    expect(ticks('*/15 9-10 * * *', 'UTC', '2026-01-01T10:40:00Z', 3))
      .toEqual(['2026-01-01T10:45:00.000Z', '2026-01-02T09:00:00.000Z', '2026-01-02T09:15:00.000Z']);
  });

  it('crosses month and year ends and skips short months', () => {
    expect(ticks('0 0 31 * *', 'UTC', '2026-01-31T00:00:00Z', 3))
      .toEqual(['2026-03-31T00:00:00.000Z', '2026-05-31T00:00:00.000Z', '2026-07-31T00:00:00.000Z']);
    expect(ticks('@yearly', 'UTC', '2026-06-01T00:00:00Z')).toEqual(['2027-01-01T00:00:00.000Z']);
    expect(ticks('0 12 29 FEB *', 'UTC', '2026-03-01T00:00:00Z')).toEqual(['2028-02-29T12:00:00.000Z']);
  });

  it('ORs day-of-month and day-of-week when both are restricted (robfig / classic cron)', () => {
    // 2026-03-01 is a Sunday: the 13th (Friday) or any Monday.
    expect(ticks('0 0 13 * MON', 'UTC', '2026-03-01T00:00:00Z', 4)).toEqual([
      '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-13T00:00:00.000Z', '2026-03-16T00:00:00.000Z',
    ]);
  });

  it('ANDs them when either is * (so "* * 1-7 * MON" is every day 1-7, not just Mondays)', () => {
    expect(ticks('0 0 * * MON', 'UTC', '2026-03-01T00:00:00Z', 2)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z']);
    expect(ticks('0 0 13 * *', 'UTC', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-13T00:00:00.000Z']);
    // */2 on day-of-month is restricted (no star mark): OR with Monday.
    expect(ticks('0 0 */10 * MON', 'UTC', '2026-03-01T00:00:00Z', 3)).toEqual([
      '2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-11T00:00:00.000Z',
    ]);
  });

  it('returns undefined for a date that never comes (February 30th)', () => {
    expect(ticks('0 0 30 FEB *', 'UTC', '2026-01-01T00:00:00Z')).toEqual([]);
  });

  it('finds the next tick of a sparse schedule quickly', () => {
    const t0 = performance.now();
    expect(ticks('0 0 29 2 MON', 'UTC', '2026-01-01T00:00:00Z')).toEqual(['2026-02-02T00:00:00.000Z']);
    expect(ticks('0 0 29 2 *', 'UTC', '2026-03-01T00:00:00Z')).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('nextCronTime in a zone without DST (Asia/Tokyo, UTC+9)', () => {
  it('reads the hours on the zone\'s wall clock', () => {
    expect(ticks('0 9 * * *', 'Asia/Tokyo', '2026-03-01T00:30:00Z', 2)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
  });

  it('takes the day and weekday in Tokyo, not in UTC', () => {
    // 2026-03-06T20:00Z is Saturday 05:00 in Tokyo; the next Saturday-only midnight is 2026-03-14 00:00 JST.
    expect(ticks('0 0 * * SAT', 'Asia/Tokyo', '2026-03-06T20:00:00Z')).toEqual(['2026-03-13T15:00:00.000Z']);
    expect(ticks('@monthly', 'Asia/Tokyo', '2026-03-15T00:00:00Z')).toEqual(['2026-03-31T15:00:00.000Z']);
  });
});

describe('nextCronTime in a zone with DST (Europe/Berlin)', () => {
  it('follows the offset change: 09:00 local is 08:00Z in winter, 07:00Z in summer', () => {
    expect(ticks('0 9 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    expect(ticks('0 9 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z')).toEqual(['2026-03-28T08:00:00.000Z']);
  });

  it('skips a time inside the spring-forward gap that day (02:30 does not exist on 2026-03-29), as robfig', () => {
    expect(ticks('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual(['2026-03-30T00:30:00.000Z', '2026-03-31T00:30:00.000Z']);
  });

  it('runs hourly ticks through both occurrences of the repeated hour on fall-back day', () => {
    // 2026-10-25: 03:00 CEST becomes 02:00 CET; 01:00Z and 02:00Z are both "02:xx" or "03:00" local.
    expect(ticks('0 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', 4)).toEqual([
      '2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('runs a fixed time inside the repeated hour twice on fall-back day (robfig; documented)', () => {
    expect(ticks('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 3))
      .toEqual(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('reads every 30 minutes over the spring-forward gap without a hole or a double', () => {
    expect(ticks('*/30 * * * *', 'Europe/Berlin', '2026-03-29T00:10:00Z', 4)).toEqual([
      '2026-03-29T00:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-29T02:00:00.000Z',
    ]);
  });
});
