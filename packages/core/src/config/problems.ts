import type { ConfigProblem } from '../errors.js';

/** Collects every error and warning during validation so all are reported at once. */
export class ProblemCollector {
  readonly errors: ConfigProblem[] = [];
  readonly warnings: ConfigProblem[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What kind of value was found, for "expected X, got Y" messages. Never the value itself: a
 * value may be a secret (`spec.env`), or a line of a file that is not a function.yaml.
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value === '' ? 'an empty string' : `a string (${value.length} character${value.length === 1 ? '' : 's'})`;
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number with a fraction';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}
