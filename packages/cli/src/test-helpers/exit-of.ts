import { exitCodeFor } from '../errors.js';

/** The exit code the CLI would give for what `fn` throws (0 when it returns). */
export function exitOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    return exitCodeFor(err);
  }
  return 0;
}
