import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliPackageDir } from './package-paths.js';
import pkg from '../package.json' with { type: 'json' };

/**
 * Finds an installed package's folder the way Node would from the CLI: `node_modules/<name>`
 * in the CLI's folder and each folder above it. The builder copies the processor and the
 * plugins from there into images; the CLI's own name finds the CLI.
 */
export function locateInstalledPackage(name: string): string | undefined {
  // The CLI itself (the scaler image ships it).
  if (name === pkg.name) return realpathSync(cliPackageDir());
  for (let dir = cliPackageDir(); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}
