/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logger handed to handlers and plugins. The plain methods take a message (and,
 * Nuclio-style, optional extra arguments); the `*With` variants take structured fields.
 */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  debugWith(message: string, fields: LogFields): void;
  infoWith(message: string, fields: LogFields): void;
  warnWith(message: string, fields: LogFields): void;
  errorWith(message: string, fields: LogFields): void;
  /** A logger whose every line also carries `fields`. */
  child(fields: LogFields): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
