import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HTTP_REUSE_PORT_ENV, type EnvVar } from '@nucleon/core';
import { addressEnv } from './function-addresses.js';
import { processorEnv } from './processor-env.js';
import type { ResolvedSettings } from './settings.js';
import type { SupervisorLimits, SupervisorOptions } from './supervisor-options.js';

// Resolved against the package folder, so the same path works from src/ (tests) and dist/.
const SUPERVISOR_MAIN = fileURLToPath(new URL('../dist/supervisor-main.js', import.meta.url));
const ORPHAN_GUARD = fileURLToPath(new URL('../dist/orphan-guard.js', import.meta.url));

/** What {@link spawnSupervisor} needs to start one function's supervisor and processor. */
export interface SpawnOptions {
  settings: ResolvedSettings;
  /** This deployment's folder: `function.json` (the config the processor runs), `supervisor.json`, `state.json`. */
  runDir: string;
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
  limits: SupervisorLimits;
  /** `spec.resources.limits.memory` in bytes. */
  memoryLimitBytes?: number;
  /** The HTTP trigger binds with SO_REUSEPORT, to take its port over from the scaler's activator. */
  reusePort?: boolean;
  /** The deployer's environment, of which only the allowlisted part reaches the processor. */
  deployerEnv?: NodeJS.ProcessEnv;
}

/**
 * Starts `node supervisor-main.js --options <run>/supervisor.json -- <processor main> --config
 * <file> --function-dir <dir>` detached in its own process group, so it outlives the CLI; the
 * supervisor starts the processor in that group (one signal to the group stops every process
 * of the function). Both get the processor's environment, not the deployer's.
 */
export function spawnSupervisor(options: SpawnOptions): ChildProcess {
  const { settings, runDir, configFile, functionDir, logFile, httpPort, httpHost, adminPort } = options;
  const env = processorEnv({
    deployer: options.deployerEnv ?? process.env,
    spec: options.env,
    pathPrefixes: options.pathPrefixes,
    platform: {
      NUCLEON_HTTP_PORT: String(httpPort),
      NUCLEON_HTTP_HOST: httpHost,
      // Every other HTTP trigger without a configured host stays on loopback too.
      NUCLEON_HTTP_DEFAULT_HOST: '127.0.0.1',
      NUCLEON_ADMIN_PORT: String(adminPort),
      NUCLEON_ADMIN_HOST: '127.0.0.1',
      NUCLEON_PLUGIN_PATHS: settings.pluginPaths.join(':'),
      ...(options.reusePort ? { [HTTP_REUSE_PORT_ENV]: '1' } : {}),
      ...addressEnv(settings.stateDir),
    },
  });
  const nodeArgs = ['--import', pathToFileURL(ORPHAN_GUARD).href];
  // The Node heap cannot outgrow the memory limit; the supervisor's RSS watch covers the rest.
  if (options.memoryLimitBytes !== undefined) nodeArgs.unshift(`--max-old-space-size=${Math.max(16, Math.floor(options.memoryLimitBytes / (1024 * 1024)))}`);
  const supervisorOptions: SupervisorOptions = {
    node: settings.nodePath, nodeArgs, cwd: functionDir, logFile, runDir, adminPort,
    limits: options.limits, memoryLimitBytes: options.memoryLimitBytes,
  };
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const optionsFile = join(runDir, 'supervisor.json');
  writeFileSync(optionsFile, `${JSON.stringify(supervisorOptions, null, 2)}\n`, { mode: 0o600 });
  // The supervisor's own output (a crash of its own) goes to the log too.
  const fd = openSync(logFile, 'a', 0o600);
  try {
    const child = spawn(settings.nodePath,
      [SUPERVISOR_MAIN, '--options', optionsFile, '--', settings.processorEntry, '--config', configFile, '--function-dir', functionDir],
      { cwd: functionDir, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}
