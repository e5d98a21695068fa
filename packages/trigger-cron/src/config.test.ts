import { describe, expect, it } from 'vitest';
import { ErrorCodes, type TriggerConfig } from '@nucleon/core';
import { readCronSettings } from './config.js';

const config = (attributes: Record<string, unknown>): TriggerConfig => ({ kind: 'cron', attributes, workerAvailabilityTimeoutMilliseconds: 10_000 });

function problems(attributes: Record<string, unknown>): string {
  try {
    readCronSettings('tick', config(attributes));
  } catch (err) {
    expect((err as { code: string }).code).toBe(ErrorCodes.INVALID_CONFIG);
    return (err as Error).message;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('readCronSettings', () => {
  it('reads a schedule with its zone, an interval, and the event template', () => {
    const s = readCronSettings('tick', config({
      schedule: '0 9 * * MON-FRI', timezone: 'Europe/Berlin',
      event: { body: 'hello', headers: { 'X-Who': 'cron', retries: 3 }, path: '/jobs', method: 'put' },
    }));
    expect(s.schedule).toMatchObject({ type: 'cron', zone: 'Europe/Berlin', text: '0 9 * * MON-FRI' });
    expect(s.event).toEqual({ body: Buffer.from('hello'), contentType: '', headers: { 'X-Who': 'cron', retries: '3' }, path: '/jobs', method: 'PUT' });
    expect(s.concurrencyPolicy).toBe('Forbid');
    expect(readCronSettings('tick', config({ interval: '500ms' })).schedule).toEqual({ type: 'interval', everyMs: 500, text: '500ms' });
    expect(readCronSettings('tick', config({ schedule: '@every 1m30s' })).schedule).toMatchObject({ type: 'interval', everyMs: 90_000 });
  });

  it('defaults: UTC, POST /, an empty body; a mapping body is sent as JSON', () => {
    const s = readCronSettings('tick', config({ schedule: '@hourly', event: { body: { a: 1 } } }));
    expect(s.schedule).toMatchObject({ zone: 'UTC' });
    expect(s.event).toMatchObject({ body: Buffer.from('{"a":1}'), contentType: 'application/json', path: '/', method: 'POST' });
    expect(readCronSettings('tick', config({ schedule: '@hourly' })).event.body).toHaveLength(0);
  });

  it('takes the zone from a CRON_TZ= prefix, and refuses one that contradicts timezone', () => {
    expect(readCronSettings('tick', config({ schedule: 'CRON_TZ=Asia/Tokyo 0 9 * * *' })).schedule).toMatchObject({ zone: 'Asia/Tokyo' });
    expect(problems({ schedule: 'CRON_TZ=Asia/Tokyo 0 9 * * *', timezone: 'Europe/Berlin' }))
      .toContain('spec.triggers.tick.attributes.schedule: its CRON_TZ=Asia/Tokyo prefix contradicts the timezone attribute (Europe/Berlin)');
  });

  it.each([
    [{ schedule: '* * *' }, 'spec.triggers.tick.attributes.schedule: "* * *" is not a valid schedule: expected 5 fields'],
    [{ schedule: '61 * * * *' }, 'spec.triggers.tick.attributes.schedule: "61 * * * *" is not a valid schedule: minute field "61": 61 is above the maximum 59 (allowed 0-59)'],
    [{ schedule: '@every soon' }, 'spec.triggers.tick.attributes.schedule: @every "soon" is not a duration'],
    [{ schedule: '@every 0s' }, 'spec.triggers.tick.attributes.schedule: @every "0s" is too short'],
    [{ interval: '10' }, 'spec.triggers.tick.attributes.interval: "10" is not a duration'],
    [{ schedule: '@every 1s', interval: '1s' }, 'spec.triggers.tick.attributes.schedule: and interval are both set'],
    [{}, 'spec.triggers.tick.attributes.schedule: or interval is required'],
    [{ schedule: '' }, 'spec.triggers.tick.attributes.schedule: or interval is required'],
    [{ schedule: '0 0 30 2 *' }, 'never matches a date in the next five years'],
    [{ schedule: '@daily', timezone: 'Mars/Olympus' }, 'spec.triggers.tick.attributes.timezone: "Mars/Olympus" is not a known IANA time zone'],
    [{ schedule: '@daily', concurrencyPolicy: 'Sometimes' }, 'spec.triggers.tick.attributes.concurrencyPolicy: "Sometimes" is not one of Forbid, Allow, Replace'],
    [{ schedule: '@daily', event: 'x' }, 'spec.triggers.tick.attributes.event: must be a mapping'],
    [{ schedule: '@daily', event: { headers: [1] } }, 'spec.triggers.tick.attributes.event.headers: must be a mapping'],
  ])('refuses %j naming the attribute', (attributes, message) => {
    const text = problems(attributes);
    expect(text).toContain('invalid configuration for trigger tick');
    expect(text).toContain(message);
  });

  it('reports every problem at once', () => {
    const text = problems({ schedule: '61 * * * *', timezone: 'Nowhere/Else', concurrencyPolicy: 'sometimes' });
    for (const attr of ['schedule', 'timezone', 'concurrencyPolicy']) expect(text).toContain(`spec.triggers.tick.attributes.${attr}`);
  });

  it('accepts the policy in any case, and warns about unknown event keys', () => {
    const s = readCronSettings('tick', config({ schedule: '@daily', concurrencyPolicy: 'allow', event: { body: '', contentType: 'x' } }));
    expect(s.concurrencyPolicy).toBe('Allow');
    expect(s.warnings).toEqual([{ path: 'spec.triggers.tick.attributes.event.contentType', message: expect.stringContaining('unknown key') }]);
  });

  it("accepts Nuclio's Replace (a Kubernetes CronJob policy) with a warning, and runs it as Forbid", () => {
    const s = readCronSettings('tick', config({ schedule: '@daily', concurrencyPolicy: 'Replace' }));
    expect(s.concurrencyPolicy).toBe('Forbid');
    expect(s.warnings).toEqual([{ path: 'spec.triggers.tick.attributes.concurrencyPolicy', message: 'Replace applies to Kubernetes CronJobs only; run as Forbid' }]);
  });
});
