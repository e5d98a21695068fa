import { describe, expect, it } from 'vitest';
import { parseCronExpression, splitZonePrefix, type CronField } from './cron-expression.js';

const on = (f: CronField): number[] => f.values.flatMap((v, i) => (v ? [i] : []));

describe('parseCronExpression (robfig/cron v3 grammar, as Nuclio parses it)', () => {
  it('reads 5 fields as minute hour dom month dow, seconds at 0', () => {
    const s = parseCronExpression('5 4 * * *');
    expect(on(s.second)).toEqual([0]);
    expect(on(s.minute)).toEqual([5]);
    expect(on(s.hour)).toEqual([4]);
    expect(s.dom.star && s.dow.star && s.month.star).toBe(true);
  });

  it('reads 6 fields with seconds first; a * seconds field means second 0 (Nuclio)', () => {
    expect(on(parseCronExpression('30 * * * * *').second)).toEqual([30]);
    expect(on(parseCronExpression('* * * * * *').second)).toEqual([0]);
    expect(on(parseCronExpression('*/20 * * * * *').second)).toEqual([0, 20, 40]);
  });

  it('supports ranges, steps, lists and n/step (= n-max/step)', () => {
    const s = parseCronExpression('0,15,30-32 */6 1-10/3 * 1-5');
    expect(on(s.minute)).toEqual([0, 15, 30, 31, 32]);
    expect(on(s.hour)).toEqual([0, 6, 12, 18]);
    expect(on(s.dom)).toEqual([1, 4, 7, 10]);
    expect(on(s.dow)).toEqual([1, 2, 3, 4, 5]);
    expect(on(parseCronExpression('50/4 * * * *').minute)).toEqual([50, 54, 58]);
  });

  it('accepts month names JAN-DEC and weekday names SUN-SAT, any case, in ranges and lists', () => {
    const s = parseCronExpression('0 0 * jan,Mar-MAY,dec MON-fri');
    expect(on(s.month)).toEqual([1, 3, 4, 5, 12]);
    expect(on(s.dow)).toEqual([1, 2, 3, 4, 5]);
    expect(on(parseCronExpression('0 0 * * sun,SAT').dow)).toEqual([0, 6]);
  });

  it('keeps the star mark for * and ? and */1, drops it for */2 (robfig day matching)', () => {
    expect(parseCronExpression('0 0 ? * 1').dom.star).toBe(true);
    expect(parseCronExpression('0 0 */1 * 1').dom.star).toBe(true);
    expect(parseCronExpression('0 0 */2 * 1').dom.star).toBe(false);
    expect(parseCronExpression('0 0 1 * 1').dom.star).toBe(false);
  });

  it('expands the descriptors', () => {
    const yearly = parseCronExpression('@yearly');
    expect([on(yearly.minute), on(yearly.hour), on(yearly.dom), on(yearly.month)]).toEqual([[0], [0], [1], [1]]);
    expect(parseCronExpression('@annually')).toEqual(yearly);
    expect(on(parseCronExpression('@monthly').dom)).toEqual([1]);
    expect(on(parseCronExpression('@weekly').dow)).toEqual([0]);
    expect(parseCronExpression('@midnight')).toEqual(parseCronExpression('@daily'));
    expect(on(parseCronExpression('@hourly').hour)).toHaveLength(24);
  });

  it.each([
    ['* * *', /expected 5 fields .* found 3/],
    ['* * * * * * *', /found 7/],
    ['61 * * * *', /minute field "61": 61 is above the maximum 59 \(allowed 0-59\)/],
    ['0 24 * * *', /hour field "24": 24 is above the maximum 23 \(allowed 0-23\)/],
    ['0 0 0 * *', /day-of-month field "0": 0 is below the minimum 1 \(allowed 1-31\)/],
    ['0 0 * 13 *', /month field "13": 13 is above the maximum 12 \(allowed 1-12 or JAN-DEC\)/],
    ['0 0 * * 7', /day-of-week field "7": 7 is above the maximum 6 \(allowed 0-6 or SUN-SAT\)/],
    ['0 0 * FOO *', /month field: value "FOO" is not a number or a name \(JAN .* DEC\)/],
    ['5-1 * * * *', /minute field "5-1": range start 5 is after its end 1/],
    ['*/0 * * * *', /step "0" must be a positive whole number/],
    ['1-2-3 * * * *', /too many hyphens/],
    ['*/2/3 * * * *', /too many slashes/],
    ['1,,2 * * * *', /empty value/],
    ['@fortnightly', /unknown descriptor "@fortnightly"/],
  ])('refuses %j with a message naming the field, value and allowed range', (text, message) => {
    expect(() => parseCronExpression(text)).toThrow(message);
  });
});

describe('splitZonePrefix', () => {
  it('takes CRON_TZ= and TZ= prefixes off', () => {
    expect(splitZonePrefix('CRON_TZ=Asia/Tokyo 0 9 * * *')).toEqual({ zone: 'Asia/Tokyo', rest: '0 9 * * *' });
    expect(splitZonePrefix('TZ=UTC @daily')).toEqual({ zone: 'UTC', rest: '@daily' });
    expect(splitZonePrefix(' 0 9 * * * ')).toEqual({ rest: '0 9 * * *' });
  });
});
