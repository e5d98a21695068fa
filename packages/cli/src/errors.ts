import { InterruptedError, SIGNAL_EXIT_CODES } from './interrupt.js';
import { createError, ErrorCodes, isNucleonError, type ErrorCode, type NucleonError } from '@nucleon/core';

/** The exit codes scripts can rely on; docs/cli.md documents each one. */
export const ExitCodes = {
  /** The command did what was asked. */
  OK: 0,
  /** The operation failed: deploy failed, invoke got a status >= 400, a process could not be stopped. */
  FAILED: 1,
  /** Bad flags or arguments. */
  USAGE: 2,
  /** No function of that name on the platform. */
  NOT_FOUND: 3,
  /** The function configuration is invalid (unparsable, invalid fields, unknown runtime or trigger). */
  INVALID_CONFIG: 4,
  /** Interrupted by SIGINT (Ctrl-C), after stopping what it had started. */
  INTERRUPTED: SIGNAL_EXIT_CODES.SIGINT,
  /** Interrupted by SIGTERM, after stopping what it had started. */
  TERMINATED: SIGNAL_EXIT_CODES.SIGTERM,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

/** The one place error codes become exit codes; anything not listed is a failed operation. */
const EXIT_BY_CODE: Partial<Record<ErrorCode, ExitCode>> = {
  [ErrorCodes.USAGE]: ExitCodes.USAGE,
  [ErrorCodes.UNKNOWN_PLATFORM]: ExitCodes.USAGE,
  [ErrorCodes.FUNCTION_NOT_FOUND]: ExitCodes.NOT_FOUND,
  [ErrorCodes.INVALID_CONFIG]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.INVALID_NAME]: ExitCodes.USAGE,
  [ErrorCodes.CONFIG_PARSE]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.CONFIG_NOT_FOUND]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.CONFIG_TOO_LARGE]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.PATH_OUTSIDE_FUNCTION]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.UNKNOWN_RUNTIME]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.UNKNOWN_TRIGGER_KIND]: ExitCodes.INVALID_CONFIG,
  [ErrorCodes.HANDLER_NOT_FOUND]: ExitCodes.INVALID_CONFIG,
};

/** Commander's own parse errors (unknown option, missing argument, ...) are usage errors. */
interface CommanderLikeError {
  code: string;
  exitCode: number;
}

function isCommanderError(err: unknown): err is CommanderLikeError {
  return err instanceof Error && typeof (err as Partial<CommanderLikeError>).code === 'string' &&
    (err as Partial<CommanderLikeError>).code!.startsWith('commander.');
}

/** The exit code for an error thrown by a command. */
export function exitCodeFor(err: unknown): ExitCode {
  if (isCommanderError(err)) return err.exitCode === 0 ? ExitCodes.OK : ExitCodes.USAGE;
  if (err instanceof InterruptedError) return err.exitCode;
  if (isNucleonError(err)) return EXIT_BY_CODE[err.code] ?? ExitCodes.FAILED;
  return ExitCodes.FAILED;
}

/** A usage error (exit 2) for a flag or argument a command cannot use. */
export function usageError(message: string): NucleonError {
  return createError(ErrorCodes.USAGE, message);
}

/**
 * The stderr text for an error: `error: <message>`, the stack only with NUCLEON_DEBUG=1.
 * Commander already printed its own parse errors, and an interrupted command said so, so those yield ''.
 */
export function formatError(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (isCommanderError(err) || err instanceof InterruptedError) return '';
  const message = err instanceof Error ? err.message : String(err);
  const debug = env.NUCLEON_DEBUG === '1' && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  const code = isNucleonError(err) && env.NUCLEON_DEBUG === '1' ? ` [${err.code}]` : '';
  return `error: ${message}${code}${debug}\n`;
}
