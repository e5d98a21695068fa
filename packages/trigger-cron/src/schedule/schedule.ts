import { parseDuration } from '@nucleon/core';
import { CronSyntaxError, parseCronExpression, splitZonePrefix, type CronSpec } from './cron-expression.js';
import { nextCronTime } from './next-time.js';
import { canonicalZone, timeZone } from './time-zone.js';

/** When a trigger fires: the first tick strictly after an instant, or undefined for never. */
export interface Schedule {
  next(afterMs: number): number | undefined;
  /** How the schedule reads in logs: `*\/5 * * * * (Europe/Berlin)`, `every 500ms`. */
  readonly description: string;
}

/** A parsed `schedule` or `interval`, not yet anchored to a start time. */
export type ScheduleSpec =
  | { readonly type: 'cron'; readonly spec: CronSpec; readonly zone: string; readonly text: string }
  | { readonly type: 'interval'; readonly everyMs: number; readonly text: string };

/** The zone of a schedule that names none: UTC, whatever the host's TZ (Nuclio uses the host's). */
export const DEFAULT_ZONE = 'UTC';

/** The shortest period accepted: a shorter one is a busy loop, not a schedule. */
export const MIN_PERIOD_MS = 1;

/** Reads a Go duration for `interval` / `@every`; returns ms or an explanation. */
export function parsePeriod(text: string): number | string {
  const ms = parseDuration(text);
  if (ms === undefined) return `"${text}" is not a duration (Go syntax: 500ms, 10s, 1m30s, 2h)`;
  if (ms < MIN_PERIOD_MS) return `"${text}" is too short: the period must be at least ${MIN_PERIOD_MS}ms`;
  return ms;
}

/**
 * Parses a `schedule` attribute: a cron expression or descriptor, optionally prefixed with
 * `CRON_TZ=<zone>`, or `@every <duration>`. `zone` is the trigger's `timezone`; a prefix naming
 * another zone is an error. Returns the spec, or a message saying what is wrong.
 */
export function parseScheduleText(text: string, zone: string | undefined): ScheduleSpec | string {
  const { zone: prefixZone, rest } = splitZonePrefix(text);
  let effectiveZone = zone ?? DEFAULT_ZONE;
  if (prefixZone !== undefined) {
    const canonical = canonicalZone(prefixZone);
    if (!canonical) return `"${prefixZone}" in the CRON_TZ= prefix is not a known IANA time zone (e.g. Europe/Berlin, UTC)`;
    if (zone !== undefined && canonical !== zone) {
      return `its CRON_TZ=${prefixZone} prefix contradicts the timezone attribute (${zone}); give the zone once`;
    }
    effectiveZone = canonical;
  }
  const every = /^@every(?:\s+(.*))?$/is.exec(rest);
  if (every) {
    if (prefixZone !== undefined) return 'a CRON_TZ= prefix means nothing with @every';
    const period = parsePeriod((every[1] ?? '').trim());
    if (typeof period === 'string') return `@every ${period}`;
    return { type: 'interval', everyMs: period, text };
  }
  try {
    return { type: 'cron', spec: parseCronExpression(rest), zone: effectiveZone, text: rest };
  } catch (err) {
    if (err instanceof CronSyntaxError) return `"${text}" is not a valid schedule: ${err.message}`;
    throw err;
  }
}

/**
 * A running schedule. Intervals are fixed-rate, anchored at `anchorMs` (the trigger's start):
 * ticks at anchor + k * period, so a slow run never shifts the ones after it.
 */
export function createSchedule(spec: ScheduleSpec, anchorMs: number): Schedule {
  if (spec.type === 'interval') {
    const period = spec.everyMs;
    return {
      description: `every ${spec.text.replace(/^@every\s+/i, '')}`,
      next: (afterMs) => anchorMs + (Math.floor((afterMs - anchorMs) / period) + 1) * period,
    };
  }
  const zone = timeZone(spec.zone);
  return {
    description: `${spec.text} (${spec.zone})`,
    next: (afterMs) => nextCronTime(spec.spec, zone, afterMs),
  };
}
