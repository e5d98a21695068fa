/**
 * The cron expression grammar of robfig/cron v3 as Nuclio configures it: 5 fields
 * (`min hour dom month dow`) or 6 with seconds first, the descriptors `@yearly`..`@hourly`, and
 * an optional `CRON_TZ=<zone>` / `TZ=<zone>` prefix. `@every` is handled by the caller.
 */

/** One field's allowed values; `star` records `*` / `?` (robfig's star bit, for day matching). */
export interface CronField {
  readonly values: readonly boolean[];
  readonly star: boolean;
}

/** A parsed expression: which seconds, minutes, hours, days, months and weekdays match. */
export interface CronSpec {
  readonly second: CronField;
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dom: CronField;
  readonly month: CronField;
  readonly dow: CronField;
}

interface Bounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
  readonly allowed: string;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DOW_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const SECOND: Bounds = { name: 'second', min: 0, max: 59, allowed: '0-59' };
const MINUTE: Bounds = { name: 'minute', min: 0, max: 59, allowed: '0-59' };
const HOUR: Bounds = { name: 'hour', min: 0, max: 23, allowed: '0-23' };
const DOM: Bounds = { name: 'day-of-month', min: 1, max: 31, allowed: '1-31' };
const MONTH: Bounds = { name: 'month', min: 1, max: 12, names: MONTH_NAMES, allowed: '1-12 or JAN-DEC' };
const DOW: Bounds = { name: 'day-of-week', min: 0, max: 6, names: DOW_NAMES, allowed: '0-6 or SUN-SAT' };

/** Thrown by the parser; the message says which field, which value, and what is allowed. */
export class CronSyntaxError extends Error {
  override readonly name = 'CronSyntaxError';
}

function field(bounds: Bounds, from: number, to: number, step: number, star: boolean): CronField {
  const values: boolean[] = new Array<boolean>(bounds.max + 1).fill(false);
  for (let v = from; v <= to; v += step) values[v] = true;
  return { values, star };
}

function all(bounds: Bounds): CronField {
  return field(bounds, bounds.min, bounds.max, 1, true);
}

function only(bounds: Bounds, value: number): CronField {
  return field(bounds, value, value, 1, false);
}

function merge(a: CronField, b: CronField): CronField {
  return { values: a.values.map((v, i) => v || (b.values[i] ?? false)), star: a.star || b.star };
}

function number(text: string, bounds: Bounds, what: string): number {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) {
    const names = bounds.names ? ` or a name (${Object.keys(bounds.names).map((n) => n.toUpperCase()).join(' ')})` : '';
    throw new CronSyntaxError(`${bounds.name} field: ${what} "${text}" is not a number${names} (allowed ${bounds.allowed})`);
  }
  return Number(text);
}

/** One comma-separated part: `*`, `?`, `n`, `a-b`, with an optional `/step`. */
function range(part: string, bounds: Bounds): CronField {
  const where = `${bounds.name} field "${part}"`;
  const slashes = part.split('/');
  if (slashes.length > 2) throw new CronSyntaxError(`${where}: too many slashes`);
  const [span = '', stepText] = slashes;
  if (span === '') throw new CronSyntaxError(`${where}: empty value (allowed ${bounds.allowed})`);
  let from: number;
  let to: number;
  let star = false;
  if (span === '*' || span === '?') {
    [from, to, star] = [bounds.min, bounds.max, true];
  } else {
    const ends = span.split('-');
    if (ends.length > 2) throw new CronSyntaxError(`${where}: too many hyphens`);
    from = number(ends[0] ?? '', bounds, 'value');
    to = ends.length === 2 ? number(ends[1] ?? '', bounds, 'end of range') : from;
    // robfig: `n/step` means `n-max/step`.
    if (ends.length === 1 && stepText !== undefined) to = bounds.max;
  }
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
      throw new CronSyntaxError(`${where}: step "${stepText}" must be a positive whole number`);
    }
    step = Number(stepText);
    if (step > 1) star = false;
  }
  if (from < bounds.min) throw new CronSyntaxError(`${where}: ${from} is below the minimum ${bounds.min} (allowed ${bounds.allowed})`);
  if (to > bounds.max) throw new CronSyntaxError(`${where}: ${to} is above the maximum ${bounds.max} (allowed ${bounds.allowed})`);
  if (from > to) throw new CronSyntaxError(`${where}: range start ${from} is after its end ${to}`);
  return field(bounds, from, to, step, star);
}

function parseField(text: string, bounds: Bounds): CronField {
  return text.split(',').map((part) => range(part, bounds)).reduce(merge);
}

const DESCRIPTORS: Readonly<Record<string, () => CronSpec>> = {
  '@yearly': () => ({ second: only(SECOND, 0), minute: only(MINUTE, 0), hour: only(HOUR, 0), dom: only(DOM, 1), month: only(MONTH, 1), dow: all(DOW) }),
  '@monthly': () => ({ second: only(SECOND, 0), minute: only(MINUTE, 0), hour: only(HOUR, 0), dom: only(DOM, 1), month: all(MONTH), dow: all(DOW) }),
  '@weekly': () => ({ second: only(SECOND, 0), minute: only(MINUTE, 0), hour: only(HOUR, 0), dom: all(DOM), month: all(MONTH), dow: only(DOW, 0) }),
  '@daily': () => ({ second: only(SECOND, 0), minute: only(MINUTE, 0), hour: only(HOUR, 0), dom: all(DOM), month: all(MONTH), dow: all(DOW) }),
  '@hourly': () => ({ second: only(SECOND, 0), minute: only(MINUTE, 0), hour: all(HOUR), dom: all(DOM), month: all(MONTH), dow: all(DOW) }),
};
const ALIASES: Readonly<Record<string, string>> = { '@annually': '@yearly', '@midnight': '@daily' };

/** The descriptors accepted, for messages. */
export const DESCRIPTOR_NAMES = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every <duration>'];

/** Splits a `CRON_TZ=<zone> ` or `TZ=<zone> ` prefix off an expression (robfig's syntax). */
export function splitZonePrefix(text: string): { zone?: string; rest: string } {
  const match = /^\s*(?:CRON_TZ|TZ)=(\S*)\s*(.*)$/s.exec(text);
  if (!match) return { rest: text.trim() };
  return { zone: match[1] ?? '', rest: (match[2] ?? '').trim() };
}

/**
 * Parses a 5- or 6-field expression or a descriptor (not `@every`, not a zone prefix).
 * As Nuclio does, a 6-field expression whose seconds field is `*` runs at second 0.
 */
export function parseCronExpression(text: string): CronSpec {
  const trimmed = text.trim();
  if (trimmed.startsWith('@')) {
    const key = trimmed.toLowerCase();
    const make = DESCRIPTORS[ALIASES[key] ?? key];
    if (!make) throw new CronSyntaxError(`unknown descriptor "${trimmed}" (allowed ${DESCRIPTOR_NAMES.join(', ')})`);
    return make();
  }
  const fields = trimmed === '' ? [] : trimmed.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw new CronSyntaxError(`expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), found ${fields.length}`);
  }
  if (fields.length === 5) fields.unshift('0');
  else if (fields[0] === '*') fields[0] = '0';
  const [s, mi, h, dom, mo, dow] = fields as [string, string, string, string, string, string];
  return {
    second: parseField(s, SECOND), minute: parseField(mi, MINUTE), hour: parseField(h, HOUR),
    dom: parseField(dom, DOM), month: parseField(mo, MONTH), dow: parseField(dow, DOW),
  };
}
