import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { EnvVar } from '@nucleon/core';
import { addressEnv } from './function-addresses.js';
import { prependPaths } from './build-commands.js';
import type { ResolvedSettings } from './settings.js';

/** What {@link spawnProcessor} needs to start one processor. */
export interface SpawnOptions {
  settings: ResolvedSettings;
  configFile: string;
  functionDir: string;
  logFile: string;
  httpPort: number;
  /** The address the HTTP trigger binds (loopback unless configured). */
  httpHost: string;
  adminPort: number;
  env: readonly EnvVar[];
  /** The build's NODE_PATH/PYTHONPATH/PATH prefixes, when the function has build commands. */
  pathPrefixes?: Readonly<Record<string, string>>;
}

/**
 * Starts `node <processorEntry> --config <file> --function-dir <dir>` detached in its own
 * process group, so it outlives the CLI that started it; stdout and stderr are appended to
 * the function's log file.
 */
export function spawnProcessor(options: SpawnOptions): ChildProcess {
  const { settings, configFile, functionDir, logFile, httpPort, httpHost, adminPort } = options;
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const { name, value } of options.env) env[name] = value;
  if (options.pathPrefixes) prependPaths(env, options.pathPrefixes);
  Object.assign(env, {
    NUCLEON_HTTP_PORT: String(httpPort),
    NUCLEON_HTTP_HOST: httpHost,
    // Every other HTTP trigger without a configured host stays on loopback too.
    NUCLEON_HTTP_DEFAULT_HOST: '127.0.0.1',
    NUCLEON_ADMIN_PORT: String(adminPort),
    NUCLEON_ADMIN_HOST: '127.0.0.1',
    NUCLEON_PLUGIN_PATHS: settings.pluginPaths.join(':'),
    ...addressEnv(settings.stateDir),
  });
  const fd = openSync(logFile, 'a', 0o600);
  try {
    const child = spawn(settings.nodePath,
      [settings.processorEntry, '--config', configFile, '--function-dir', functionDir],
      { cwd: functionDir, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    return child;
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
}
