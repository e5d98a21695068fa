import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { createError, ErrorCodes } from '@nucleon/core';

/** Settings the local platform accepts under `PlatformCreateOptions.settings`. */
export interface LocalPlatformSettings {
  /** Absolute path of the processor's main JS file (the CLI resolves `@nucleon/processor/main`). */
  processorEntry: string;
  /** Where function records and logs live; see {@link resolveStateDir}. */
  stateDir?: string;
  /** Node binary that runs processors; defaults to the current one. */
  nodePath?: string;
  /** Directories processors resolve plugin packages from (env NUCLEON_PLUGIN_PATHS). */
  pluginPaths?: string[];
}

/** Settings with every default applied. */
export type ResolvedSettings = Required<LocalPlatformSettings>;

/**
 * The default state directory: `$NUCLEON_HOME/local` when NUCLEON_HOME is set, else
 * `${XDG_STATE_HOME:-~/.local/state}/nucleon/local`.
 */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.NUCLEON_HOME) return join(env.NUCLEON_HOME, 'local');
  const xdg = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(xdg, 'nucleon', 'local');
}

/** Checks the raw settings object and applies defaults; throws INVALID_CONFIG when unusable. */
export function resolveSettings(raw: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env): ResolvedSettings {
  const { processorEntry, stateDir, nodePath, pluginPaths } = raw;
  const problems: string[] = [];
  if (typeof processorEntry !== 'string' || !isAbsolute(processorEntry)) {
    problems.push('settings.processorEntry must be the absolute path of the processor main file');
  }
  if (stateDir !== undefined && typeof stateDir !== 'string') problems.push('settings.stateDir must be a string');
  if (nodePath !== undefined && typeof nodePath !== 'string') problems.push('settings.nodePath must be a string');
  if (pluginPaths !== undefined && (!Array.isArray(pluginPaths) || pluginPaths.some((p) => typeof p !== 'string'))) {
    problems.push('settings.pluginPaths must be a list of directory paths');
  }
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid local platform settings:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    processorEntry: processorEntry as string,
    stateDir: (stateDir as string | undefined) ?? resolveStateDir(env),
    nodePath: (nodePath as string | undefined) ?? process.execPath,
    pluginPaths: (pluginPaths as string[] | undefined) ?? [],
  };
}
