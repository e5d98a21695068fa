import { createError, ErrorCodes, formatProblems, type ConfigProblem, type FunctionConfig, type ResponseHeaders } from '@nucleon/core';

/** The shell runtime's settings, read once from `spec.runtimeAttributes` (Nuclio's names). */
export interface ShellOptions {
  /** Arguments passed to the handler on every event, after the handler itself. */
  arguments: string[];
  /** Headers added to every successful response (Nuclio's `responseHeaders`), content type taken out. */
  responseHeaders: ResponseHeaders;
  /** From a `Content-Type` in `responseHeaders`; `text/plain; charset=utf-8` otherwise, as Nuclio. */
  contentType: string;
  /**
   * Whether an event's `X-Nuclio-Arguments` header replaces `arguments` (Nuclio does this
   * always; Nucleon only when the function opts in, since it lets any client pick argv).
   */
  allowArgumentsHeader: boolean;
  /**
   * Most bytes a run may write to stdout (the response body) before it is killed and the
   * event fails with NUCLEON_ERR_RESPONSE_TOO_LARGE; 0 = no bound.
   */
  maxResponseSize: number;
}

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** Default `maxResponseSize`: 16 MiB of stdout per run, held in memory until the run ends. */
export const DEFAULT_MAX_RESPONSE_SIZE = 16 * 1024 * 1024;

/** Env variable read when `runtimeAttributes.arguments` is absent (from `spec.env` or the processor's env). */
export const ARGUMENTS_ENV = 'NUCLEON_SHELL_ARGUMENTS';

/**
 * Splits Nuclio's space-separated `arguments` string. There is no shell quoting: a value is
 * never parsed by a shell, so `'a b'` is two arguments `'a` and `b'`. Give a list instead
 * for arguments that contain spaces.
 */
export function splitArguments(value: string): string[] {
  return value.split(/\s+/).filter((a) => a !== '');
}

/**
 * Reads and checks the runtime attributes, reporting every problem at once with its path in
 * one NUCLEON_ERR_INVALID_CONFIG error. Keys match case-insensitively, as Nuclio's decoder does.
 */
export function readShellOptions(config: FunctionConfig, env: NodeJS.ProcessEnv = process.env): ShellOptions {
  const attributes = config.spec.runtimeAttributes ?? {};
  const problems: ConfigProblem[] = [];
  const path = (key: string) => `spec.runtimeAttributes.${key}`;

  let args: string[] = [];
  const rawArgs = attribute(attributes, 'arguments');
  if (rawArgs.value === undefined || rawArgs.value === null) {
    const fromEnv = config.spec.env.find((e) => e.name === ARGUMENTS_ENV)?.value ?? env[ARGUMENTS_ENV];
    if (fromEnv !== undefined) args = splitArguments(fromEnv);
  } else if (typeof rawArgs.value === 'string') {
    args = splitArguments(rawArgs.value);
  } else if (Array.isArray(rawArgs.value) && rawArgs.value.every((a) => ['string', 'number', 'boolean'].includes(typeof a))) {
    args = rawArgs.value.map(String);
  } else {
    problems.push({ path: path(rawArgs.key), message: 'expected a string of space-separated arguments or a list of strings' });
  }

  const responseHeaders: ResponseHeaders = {};
  let contentType = DEFAULT_CONTENT_TYPE;
  const rawHeaders = attribute(attributes, 'responseHeaders');
  if (rawHeaders.value !== undefined && rawHeaders.value !== null) {
    if (typeof rawHeaders.value !== 'object' || Array.isArray(rawHeaders.value)) {
      problems.push({ path: path(rawHeaders.key), message: 'expected a mapping of header name to value' });
    } else {
      for (const [name, value] of Object.entries(rawHeaders.value as Record<string, unknown>)) {
        const header = headerValue(value);
        if (header === undefined) {
          problems.push({ path: `${path(rawHeaders.key)}.${name}`, message: 'expected a string, a number or a list of strings' });
        } else if (name.toLowerCase() === 'content-type') {
          contentType = Array.isArray(header) ? header.join(', ') : String(header);
        } else {
          responseHeaders[name] = header;
        }
      }
    }
  }

  const rawAllow = attribute(attributes, 'allowArgumentsHeader');
  if (rawAllow.value !== undefined && typeof rawAllow.value !== 'boolean') {
    problems.push({ path: path(rawAllow.key), message: 'expected true or false' });
  }

  const rawMax = attribute(attributes, 'maxResponseSize');
  const maxResponseSize = rawMax.value === undefined || rawMax.value === null ? DEFAULT_MAX_RESPONSE_SIZE : rawMax.value;
  if (typeof maxResponseSize !== 'number' || !Number.isInteger(maxResponseSize) || maxResponseSize < 0) {
    problems.push({ path: path(rawMax.key), message: 'expected a whole number of bytes, 0 or more (0 = no bound)' });
  }

  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `invalid shell runtime attributes:\n${formatProblems(problems)}`, { details: { problems } });
  }
  return Object.freeze({
    arguments: args, responseHeaders, contentType, allowArgumentsHeader: rawAllow.value === true, maxResponseSize: maxResponseSize as number,
  });
}

function attribute(attributes: Record<string, unknown>, name: string): { key: string; value: unknown } {
  const lower = name.toLowerCase();
  const key = Object.keys(attributes).find((k) => k.toLowerCase() === lower);
  return key === undefined ? { key: name, value: undefined } : { key, value: attributes[key] };
}

function headerValue(value: unknown): string | number | string[] | undefined {
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) return value.map(String);
  return undefined;
}
