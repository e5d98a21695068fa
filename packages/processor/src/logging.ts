import { format } from 'node:util';
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import type { LogFields, Logger, LogLevel } from '@nucleon/core';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * The processor's structured JSON logger (pino). Every line is one JSON object on stdout:
 * the processor's own lines and the handler's `context.logger` lines alike, the latter
 * tagged with `trigger` and `worker` so they can be told apart.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream; fields?: LogFields } = {}): Logger {
  const level = options.level && (LEVELS as readonly string[]).includes(options.level) ? options.level : 'info';
  const base = pino({
    level, base: { ...options.fields }, timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  },
    options.destination ?? pino.destination({ dest: 1, sync: true }));
  return wrap(base);
}

function wrap(p: PinoLogger): Logger {
  const plain = (level: LogLevel) => (message: string, ...args: unknown[]) => {
    if (args.length === 0) p[level](message);
    else p[level](format(message, ...args));
  };
  const structured = (level: LogLevel) => (message: string, fields: LogFields) => {
    p[level](sanitize(fields), message);
  };
  return {
    debug: plain('debug'), info: plain('info'), warn: plain('warn'), error: plain('error'),
    debugWith: structured('debug'), infoWith: structured('info'), warnWith: structured('warn'), errorWith: structured('error'),
    child: (fields) => wrap(p.child(fields)),
  };
}

/** Keeps a handler's fields from overwriting pino's own keys (`level`, `time`, `msg`). */
function sanitize(fields: LogFields): LogFields {
  if (fields === null || typeof fields !== 'object') return { value: fields };
  if (!('level' in fields) && !('time' in fields) && !('msg' in fields)) return fields;
  const { level, time, msg, ...rest } = fields;
  return { ...rest, fieldLevel: level, fieldTime: time, fieldMsg: msg };
}

/** Error details safe to log: message, code and stack (logs are for operators, not clients). */
export function errorFields(err: unknown): LogFields {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? err.cause : undefined;
    return {
      error: { message: err.message, code: (err as { code?: unknown }).code, stack: err.stack },
      ...(cause ? { cause: { message: cause.message, stack: cause.stack } } : {}),
    };
  }
  return { error: { message: String(err) } };
}
