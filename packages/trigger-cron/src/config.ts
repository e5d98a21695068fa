import {
  createError, ErrorCodes, formatProblems, type ConfigProblem, type EventHeaders, type TriggerConfig,
} from '@nucleon/core';
import { DEFAULT_ZONE, parsePeriod, parseScheduleText, createSchedule, type ScheduleSpec } from './schedule/schedule.js';
import { canonicalZone } from './schedule/time-zone.js';

/** Whether a tick may start while an earlier run of the same trigger is still going. */
export type ConcurrencyPolicy = 'Forbid' | 'Allow';

/** The event every tick delivers, built once from `attributes.event`. */
export interface CronEventTemplate {
  body: Buffer;
  contentType: string;
  headers: Readonly<Record<string, string>>;
  path: string;
  method: string;
}

/** The resolved, checked settings of one cron trigger. */
export interface CronSettings {
  schedule: ScheduleSpec;
  event: CronEventTemplate;
  concurrencyPolicy: ConcurrencyPolicy;
  /** Things accepted but worth a warning at start (unknown keys under `event`). */
  warnings: ConfigProblem[];
}

const EVENT_KEYS = new Set(['body', 'headers', 'path', 'method']);

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readEvent(at: (key: string) => string, raw: unknown, problems: ConfigProblem[], warnings: ConfigProblem[]): CronEventTemplate {
  const event: CronEventTemplate = { body: Buffer.alloc(0), contentType: '', headers: {}, path: '/', method: 'POST' };
  if (raw === undefined || raw === null) return event;
  if (!isMapping(raw)) {
    problems.push({ path: at('event'), message: 'must be a mapping { body, headers, path, method }' });
    return event;
  }
  for (const key of Object.keys(raw)) {
    if (!EVENT_KEYS.has(key)) warnings.push({ path: `${at('event')}.${key}`, message: 'unknown key, ignored (known: body, headers, path, method)' });
  }
  const headers: Record<string, string> = {};
  if (raw.headers !== undefined && raw.headers !== null) {
    if (!isMapping(raw.headers)) {
      problems.push({ path: `${at('event')}.headers`, message: 'must be a mapping of header names to values' });
    } else {
      for (const [name, value] of Object.entries(raw.headers)) {
        if (value === undefined || value === null) continue;
        headers[name] = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
      }
    }
  }
  let contentType = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  let body = event.body;
  if (typeof raw.body === 'string') {
    body = Buffer.from(raw.body);
  } else if (raw.body !== undefined && raw.body !== null) {
    // Nucleon extension: a YAML mapping or list is sent as JSON (Nuclio takes strings only).
    body = Buffer.from(JSON.stringify(raw.body));
    if (contentType === '') contentType = 'application/json';
  }
  for (const key of ['path', 'method'] as const) {
    const value = raw[key];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      problems.push({ path: `${at('event')}.${key}`, message: `must be a string, got ${typeof value}` });
    }
  }
  return {
    body, contentType, headers: Object.freeze(headers),
    path: typeof raw.path === 'string' && raw.path !== '' ? raw.path : '/',
    method: typeof raw.method === 'string' && raw.method !== '' ? raw.method.toUpperCase() : 'POST',
  };
}

/**
 * Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and every
 * attribute that is wrong, with what is wrong (field, value, allowed range).
 * `nowMs` is when the schedule must next fire from, to refuse one that never fires.
 */
export function readCronSettings(name: string, config: TriggerConfig, nowMs = Date.now()): CronSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const text = (key: string): string | undefined => {
    const value = attrs[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      problems.push({ path: at(key), message: `must be a string, got ${typeof value}` });
      return undefined;
    }
    return value.trim() === '' ? undefined : value;
  };

  const zoneText = text('timezone');
  let zone: string | undefined;
  if (zoneText !== undefined) {
    zone = canonicalZone(zoneText);
    if (!zone) problems.push({ path: at('timezone'), message: `"${zoneText}" is not a known IANA time zone (e.g. UTC, Europe/Berlin, Asia/Tokyo)` });
  }

  const scheduleText = text('schedule');
  const intervalText = text('interval');
  let schedule: ScheduleSpec | undefined;
  if (scheduleText !== undefined && intervalText !== undefined) {
    problems.push({ path: at('schedule'), message: `and interval are both set ("${scheduleText}", "${intervalText}"); set exactly one` });
  } else if (scheduleText === undefined && intervalText === undefined) {
    if (!problems.some((p) => p.path === at('schedule') || p.path === at('interval'))) {
      problems.push({ path: at('schedule'), message: 'or interval is required: a cron expression ("*/5 * * * *", "@every 10s") or a duration ("10s")' });
    }
  } else if (scheduleText !== undefined) {
    const parsed = parseScheduleText(scheduleText, zone ?? (zoneText === undefined ? undefined : DEFAULT_ZONE));
    if (typeof parsed === 'string') problems.push({ path: at('schedule'), message: parsed });
    else schedule = parsed;
  } else if (intervalText !== undefined) {
    const period = parsePeriod(intervalText);
    if (typeof period === 'string') problems.push({ path: at('interval'), message: period });
    else schedule = { type: 'interval', everyMs: period, text: intervalText };
    if (zoneText !== undefined) warnings.push({ path: at('timezone'), message: 'means nothing with interval, ignored' });
  }
  if (schedule?.type === 'cron' && createSchedule(schedule, nowMs).next(nowMs) === undefined) {
    problems.push({ path: at('schedule'), message: `"${scheduleText ?? ''}" never matches a date in the next five years (e.g. February 30th)` });
  }

  const event = readEvent(at, attrs.event, problems, warnings);

  let concurrencyPolicy: ConcurrencyPolicy = 'Forbid';
  const policyText = text('concurrencyPolicy');
  if (policyText !== undefined) {
    const found = (['Forbid', 'Allow'] as const).find((p) => p.toLowerCase() === policyText.toLowerCase());
    if (found) concurrencyPolicy = found;
    // Nuclio's third value means something only to a Kubernetes CronJob (stop the running job, start anew).
    else if (policyText.toLowerCase() === 'replace') warnings.push({ path: at('concurrencyPolicy'), message: 'Replace applies to Kubernetes CronJobs only; run as Forbid' });
    else problems.push({ path: at('concurrencyPolicy'), message: `"${policyText}" is not one of Forbid, Allow, Replace` });
  }

  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  return { schedule: schedule as ScheduleSpec, event, concurrencyPolicy, warnings };
}

/** The headers of one tick's event: the configured ones plus the scheduled time. */
export function tickHeaders(template: CronEventTemplate, scheduledAt: Date): EventHeaders {
  return { ...template.headers, 'x-nucleon-cron-scheduled-at': scheduledAt.toISOString() };
}
