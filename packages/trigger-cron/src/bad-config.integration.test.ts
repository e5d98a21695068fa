import { describe, expect, it } from 'vitest';
import { startExpectingFailure, triggerYaml } from '@nucleon/processor/testing';

/** Broken cron configurations: the processor must refuse to start (exit 1) naming the attribute. */
const EXIT_START_FAILED = 1;

const failedStart = (attributes: string[]): ReturnType<typeof startExpectingFailure> =>
  startExpectingFailure(triggerYaml({ name: 'tick', kind: 'cron', attributes }), { limitMs: 15_000 });

describe('cron trigger: a bad configuration fails the start naming the attribute', () => {
  it.each([
    [['schedule: "* * *"'], 'schedule', 'expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), found 3'],
    [['schedule: "61 * * * *"'], 'schedule', 'minute field "61": 61 is above the maximum 59 (allowed 0-59)'],
    [['schedule: "@every soon"'], 'schedule', '@every "soon" is not a duration'],
    [['schedule: "0 0 * * MOON"'], 'schedule', 'day-of-week field: value "MOON" is not a number or a name (SUN MON TUE WED THU FRI SAT)'],
    [['schedule: "@every 1s"', 'interval: 1s'], 'schedule', 'and interval are both set'],
    [[], 'schedule', 'or interval is required'],
    [['interval: often'], 'interval', '"often" is not a duration'],
    [['schedule: "@daily"', 'timezone: Europe/Atlantis'], 'timezone', '"Europe/Atlantis" is not a known IANA time zone'],
  ])('%j', async (attributes, attr, message) => {
    const { code, output } = await failedStart(attributes);
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger tick');
    expect(output).toContain(`spec.triggers.tick.attributes.${attr}`);
    expect(output).toContain(message);
  });

  it('an unknown attribute (schedul) is refused, listing the known ones', async () => {
    const { code, output } = await failedStart(['schedul: "@daily"']);
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.tick.attributes.schedul');
    expect(output).toContain('unknown attribute');
    expect(output).toContain('schedule, interval, timezone, event, concurrencyPolicy, jobBackoffLimit');
  });
});
