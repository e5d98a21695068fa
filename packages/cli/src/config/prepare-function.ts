import type { ConfigProblem } from '@nucleon/core';
import { cliPackageDir } from '../package-paths.js';
import { fetchRemoteSource, isRemotePath } from '../source/remote-source.js';
import { checkPlugins } from '../validate/check-plugins.js';
import type { FunctionFlags } from './function-flags.js';
import { loadFunction, type LoadedFunction } from './load-function.js';

/**
 * Everything `run`, `build` and `deploy` do before they start anything: fetch a `-p URL`,
 * load and validate the configuration, then check the runtime name and every trigger's
 * attributes against the plugins. Any problem throws (exit 4) before a process exists.
 */
export async function prepareFunction(flags: FunctionFlags, progress: (line: string) => void): Promise<LoadedFunction> {
  const path = isRemotePath(flags.path) ? await fetchRemoteSource(flags.path, progress) : flags.path;
  progress('validating the configuration');
  const loaded = loadFunction({ ...flags, path });
  const pluginWarnings: ConfigProblem[] = await checkPlugins(loaded.config, { functionDir: loaded.functionDir, searchPaths: [cliPackageDir()] });
  return { ...loaded, warnings: [...loaded.warnings, ...pluginWarnings] };
}
