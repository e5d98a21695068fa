import type { CronField, CronSpec } from './cron-expression.js';
import type { TimeZone, WallTime } from './time-zone.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** How far ahead a match is looked for before a schedule is declared never to fire (robfig: 5 years). */
const YEARS_AHEAD = 5;

function has(field: CronField, value: number): boolean {
  return field.values[value] === true;
}

/** robfig's rule: when either day field is `*` both must match, otherwise either may (classic cron OR). */
function dayMatches(spec: CronSpec, w: WallTime): boolean {
  const dom = has(spec.dom, w.day);
  const dow = has(spec.dow, w.weekday);
  return spec.dom.star || spec.dow.star ? dom && dow : dom || dow;
}

/**
 * The first instant strictly after `afterMs` (whole seconds) that `spec` matches in `zone`, or
 * undefined when none comes within five years (February 30th). The search follows robfig/cron's
 * `SpecSchedule.Next`: months and days move on the wall clock, hours, minutes and seconds in
 * real time. So a time in a DST gap (02:30 on a spring-forward day) is skipped that day, and
 * one in a repeated hour (02:30 on a fall-back day) runs in both occurrences, as in Nuclio.
 */
export function nextCronTime(spec: CronSpec, zone: TimeZone, afterMs: number): number | undefined {
  let t = Math.floor(afterMs / SECOND) * SECOND + SECOND;
  let added = false;
  let w = zone.wall(t);
  const yearLimit = w.year + YEARS_AHEAD;
  wrap: for (;;) {
    if (w.year > yearLimit) return undefined;
    while (!has(spec.month, w.month)) {
      if (!added) {
        added = true;
        t = zone.instant(w.year, w.month, 1, 0, 0, 0);
        w = zone.wall(t);
      }
      t = zone.instant(w.year, w.month + 1, w.day, w.hour, w.minute, w.second);
      w = zone.wall(t);
      if (w.month === 1) continue wrap;
    }
    while (!dayMatches(spec, w)) {
      if (!added) {
        added = true;
        t = zone.instant(w.year, w.month, w.day, 0, 0, 0);
        w = zone.wall(t);
      }
      t = zone.instant(w.year, w.month, w.day + 1, w.hour, w.minute, w.second);
      w = zone.wall(t);
      // A DST change at midnight moves the hour off 0: put it back.
      if (w.hour !== 0) {
        t += (w.hour > 12 ? 24 - w.hour : -w.hour) * HOUR;
        w = zone.wall(t);
      }
      if (w.day === 1) continue wrap;
    }
    while (!has(spec.hour, w.hour)) {
      if (!added) {
        added = true;
        t = zone.instant(w.year, w.month, w.day, w.hour, 0, 0);
      }
      t += HOUR;
      w = zone.wall(t);
      if (w.hour === 0) continue wrap;
    }
    while (!has(spec.minute, w.minute)) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      w = zone.wall(t);
      if (w.minute === 0) continue wrap;
    }
    while (!has(spec.second, w.second)) {
      added = true;
      t += SECOND;
      w = zone.wall(t);
      if (w.second === 0) continue wrap;
    }
    return t;
  }
}
