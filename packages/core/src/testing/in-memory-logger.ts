import type { LogFields, Logger, LogLevel } from '../logger.js';

export interface LogRecord {
  level: LogLevel;
  message: string;
  fields: LogFields;
}

/** A Logger that keeps every line in `records`, for assertions in tests. */
export class InMemoryLogger implements Logger {
  constructor(readonly records: LogRecord[] = [], private readonly bound: LogFields = {}) {}

  debug(message: string, ...args: unknown[]): void { this.push('debug', message, args); }
  info(message: string, ...args: unknown[]): void { this.push('info', message, args); }
  warn(message: string, ...args: unknown[]): void { this.push('warn', message, args); }
  error(message: string, ...args: unknown[]): void { this.push('error', message, args); }
  debugWith(message: string, fields: LogFields): void { this.record('debug', message, fields); }
  infoWith(message: string, fields: LogFields): void { this.record('info', message, fields); }
  warnWith(message: string, fields: LogFields): void { this.record('warn', message, fields); }
  errorWith(message: string, fields: LogFields): void { this.record('error', message, fields); }

  child(fields: LogFields): Logger {
    return new InMemoryLogger(this.records, { ...this.bound, ...fields });
  }

  /** Messages logged at `level`, or at every level. */
  messages(level?: LogLevel): string[] {
    return this.records.filter((r) => level === undefined || r.level === level).map((r) => r.message);
  }

  private push(level: LogLevel, message: string, args: unknown[]): void {
    this.record(level, args.length > 0 ? `${message} ${args.map(String).join(' ')}` : message, {});
  }

  private record(level: LogLevel, message: string, fields: LogFields): void {
    this.records.push({ level, message, fields: { ...this.bound, ...fields } });
  }
}

/** A Logger that drops everything. */
export const noopLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  debugWith() {}, infoWith() {}, warnWith() {}, errorWith() {},
  child() { return noopLogger; },
};
