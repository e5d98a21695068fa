import { exitCodeFor, formatError, type ExitCode } from './errors.js';
import { createProgram } from './program.js';

/** Runs `nucleon` with `argv` (as process.argv) and resolves with the exit code; errors go to stderr. */
export async function runCli(argv: readonly string[] = process.argv): Promise<ExitCode> {
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (err) {
    process.stderr.write(formatError(err));
    return exitCodeFor(err);
  }
}
