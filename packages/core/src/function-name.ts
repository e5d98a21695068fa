import { createError, ErrorCodes } from './errors.js';

// Nuclio's function-name rule (a DNS label). Every name that reaches a file path, a container
// name or a process is checked against it first: no dots or slashes, so no path escapes.
const FUNCTION_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The rule in words, for error messages. */
export const FUNCTION_NAME_RULE =
  'use lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit';

/** True when `name` can be a function's name. */
export function isFunctionName(name: unknown): name is string {
  return typeof name === 'string' && FUNCTION_NAME.test(name);
}

/** Throws `NUCLEON_ERR_INVALID_NAME` unless `name` is a function name; call before touching files or processes. */
export function assertFunctionName(name: unknown): asserts name is string {
  if (!isFunctionName(name)) {
    throw createError(ErrorCodes.INVALID_NAME, `${JSON.stringify(name)} is not a function name: ${FUNCTION_NAME_RULE}`);
  }
}
