import type { Platform } from '@nucleon/core';

const RANK: Record<string, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
const OWN_KEYS = new Set(['level', 'time', 'msg', 'message', 'pid', 'hostname', 'function']);
export const MAX_LOG_LINES = 50;
export const MAX_LOG_HEADER_BYTES = 8 * 1024;

export interface RequestLogLine {
  time: string;
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

/**
 * The function's log lines written while one request ran (their `time` within `[fromMs, toMs]`)
 * at `level` or above. The processor's log has no request id, so the window ties a line to the
 * request: concurrent requests see each other's lines.
 */
export async function requestLogLines(platform: Platform, name: string, level: string, fromMs: number, toMs: number): Promise<RequestLogLine[]> {
  const min = RANK[level] ?? RANK.info!;
  const picked: RequestLogLine[] = [];
  for await (const text of platform.logs(name)) {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    const at = typeof line.time === 'number' ? line.time : typeof line.time === 'string' ? Date.parse(line.time) : NaN;
    const rank = typeof line.level === 'string' ? RANK[line.level] : undefined;
    if (Number.isNaN(at) || at < fromMs || at > toMs || rank === undefined || rank < min) continue;
    const fields = Object.fromEntries(Object.entries(line).filter(([key]) => !OWN_KEYS.has(key)));
    picked.push({ time: new Date(at).toISOString(), level: String(line.level), message: String(line.msg ?? line.message ?? ''), fields });
  }
  return picked.slice(-MAX_LOG_LINES);
}

/** The lines as an `x-nuclio-logs` header value: JSON, non-ASCII escaped, the newest that fit 8 KiB. */
export function logsHeader(lines: RequestLogLine[]): string {
  const ascii = (value: unknown): string => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  let kept = lines;
  let text = ascii(kept);
  while (text.length > MAX_LOG_HEADER_BYTES && kept.length > 0) {
    kept = kept.slice(1);
    text = ascii(kept);
  }
  return text;
}
