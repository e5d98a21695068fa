import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliPackageDir } from './package-paths.js';

/**
 * Finds an installed package's folder the way Node would from the CLI: `node_modules/<name>`
 * in the CLI's folder and each folder above it. The builder copies the processor and the
 * plugins from there into images.
 */
export function locateInstalledPackage(name: string): string | undefined {
  for (let dir = cliPackageDir(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}
