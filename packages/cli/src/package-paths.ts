import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CLI package's own directory (this file is `dist/*.js` or `src/*.ts`, one level down).
 * Processors the CLI starts resolve the built-in plugins from here, since the CLI depends
 * on all of them.
 */
export function cliPackageDir(): string {
  return dirname(dirname(fileURLToPath(import.meta.url)));
}

/** The processor binary's main file, resolved from the CLI's dependencies. */
export function processorEntry(): string {
  return fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
}
