/** A wall-clock reading in one time zone. `month` is 1-12, `weekday` 0 (Sunday) - 6. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

/** Wall-clock arithmetic in an IANA time zone through Intl, with no tz database of our own. */
export interface TimeZone {
  readonly name: string;
  /** The wall clock at an instant (ms since the epoch). */
  wall(ms: number): WallTime;
  /**
   * The instant of a wall-clock time; out-of-range parts carry over (month 13 is January of
   * the next year). A time skipped by a DST change lands after the gap and a repeated one on
   * its first occurrence, as Go's `time.Date` does.
   */
  instant(year: number, month: number, day: number, hour: number, minute: number, second: number): number;
}

const MS_PER_SECOND = 1000;

/** Checks an IANA zone name; returns the canonical name Intl uses, or undefined when unknown. */
export function canonicalZone(name: string): string | undefined {
  if (name.trim() === '') return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const utc: TimeZone = {
  name: 'UTC',
  wall(ms) {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay(),
    };
  },
  instant: (year, month, day, hour, minute, second) => Date.UTC(year, month - 1, day, hour, minute, second),
};

const zones = new Map<string, TimeZone>();

/** The zone named (throws RangeError for an unknown name); `UTC` takes a fast path. */
export function timeZone(name: string): TimeZone {
  if (name === 'UTC' || name === 'Etc/UTC') return utc;
  let zone = zones.get(name);
  if (!zone) zones.set(name, (zone = intlZone(name)));
  return zone;
}

function intlZone(name: string): TimeZone {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const wall = (ms: number): WallTime => {
    const w: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
    for (const part of format.formatToParts(ms)) {
      if (part.type === 'year' || part.type === 'month' || part.type === 'day' || part.type === 'hour' ||
        part.type === 'minute' || part.type === 'second') w[part.type] = Number(part.value);
    }
    w.weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
    return w;
  };
  /** Offset from UTC in ms at an instant: the wall clock read as UTC, minus the instant. */
  const offset = (ms: number): number => {
    const w = wall(ms);
    const whole = Math.floor(ms / MS_PER_SECOND) * MS_PER_SECOND;
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - whole;
  };
  return {
    name,
    wall,
    instant(year, month, day, hour, minute, second) {
      const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
      // Go's time.Date: take the offset in force at the wall time read as UTC; if the instant that
      // gives falls under another offset (near a transition), use that one instead.
      let off = offset(asUtc);
      const other = offset(asUtc - off);
      if (other !== off) off = other;
      return asUtc - off;
    },
  };
}
