import { parseDuration } from '@nucleon/core';
import { usageError } from './errors.js';

/** `invoke -l/--log-level` values, nuctl's: `none` prints no log lines. */
export const INVOKE_LOG_LEVELS = ['none', 'debug', 'info', 'warn', 'error'] as const;
export type InvokeLogLevel = (typeof INVOKE_LOG_LEVELS)[number];

const RANK: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };

/** Checks an -l value. */
export function invokeLogLevel(value: string): InvokeLogLevel {
  if ((INVOKE_LOG_LEVELS as readonly string[]).includes(value)) return value as InvokeLogLevel;
  throw usageError(`-l/--log-level must be one of ${INVOKE_LOG_LEVELS.join(', ')}, got "${value}"`);
}

/** The logger's own keys, shown as time, level and message rather than as fields. */
const OWN_KEYS = ['level', 'time', 'msg', 'pid', 'hostname', 'function'];

/** A processor log line, as its JSON logger writes it. */
interface LogLine {
  level?: unknown;
  time?: unknown;
  msg?: unknown;
  [field: string]: unknown;
}

/**
 * The function's log lines written during one request (their `time` within `[fromMs, toMs]`)
 * at `level` or above, rendered `time level message {fields}`. The processor's log has no
 * request id, so the window is what ties a line to the request; concurrent requests overlap.
 */
export function requestLogLines(lines: readonly string[], level: Exclude<InvokeLogLevel, 'none'>, fromMs: number, toMs: number): string[] {
  const min = RANK[level] ?? 0;
  const picked: string[] = [];
  for (const text of lines) {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      continue;
    }
    const at = typeof line.time === 'string' ? Date.parse(line.time) : typeof line.time === 'number' ? line.time : NaN;
    const rank = typeof line.level === 'string' ? RANK[line.level] : undefined;
    if (Number.isNaN(at) || at < fromMs || at > toMs || rank === undefined || rank < min) continue;
    const fields: Record<string, unknown> = { ...line };
    for (const key of OWN_KEYS) delete fields[key];
    const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    picked.push(`${String(line.time)} ${String(line.level).toUpperCase()} ${String(line.msg ?? '')}${extra}`);
  }
  return picked;
}

/** `invoke -t`: a Go-style duration (`30s`, `1m`, `500ms`) or plain seconds, as milliseconds. */
export function invokeTimeout(value: string): number {
  const trimmed = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : parseDuration(trimmed);
  if (ms === undefined || !(ms > 0)) throw usageError(`-t/--timeout expects a duration such as 30s, 1m or 500ms (or seconds), got "${value}"`);
  return ms;
}
