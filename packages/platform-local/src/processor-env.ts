import type { EnvVar } from '@nucleon/core';
import { prependPaths } from './build-commands.js';

/**
 * Variables of the deployer's environment a processor keeps: what any program needs (PATH,
 * HOME, locale, time zone, temp folder, user) and the runtimes' toolchains (Go, .NET, Mono,
 * Python, the wrapper binaries Nucleon's runtimes look for). Everything else in the deployer's
 * shell (tokens, cloud credentials, NUCLEON_TEST_SECRET) stays out of reach of the handler.
 */
export const PASSED_ENV_NAMES: readonly string[] = [
  'PATH', 'HOME', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'USER', 'LOGNAME',
  'XDG_CACHE_HOME', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'GOPATH', 'GOROOT', 'GOCACHE', 'GOFLAGS', 'GOMODCACHE', 'GOPROXY', 'GOTOOLCHAIN',
  // Nucleon's runtimes: which interpreter or compiler to run, their caches and timeouts.
  'NUCLEON_PYTHON', 'NUCLEON_PYTHON_START_TIMEOUT_MS',
  'NUCLEON_DOTNET', 'NUCLEON_DOTNET_COMPILER', 'NUCLEON_DOTNET_CACHE_DIR', 'NUCLEON_DOTNET_BUILD_TIMEOUT', 'NUCLEON_DOTNET_START_TIMEOUT_MS',
  'NUCLEON_MONO', 'NUCLEON_MCS', 'NUCLEON_GO_CACHE_DIR', 'NUCLEON_GO_BUILD_TIMEOUT',
  'NUCLEON_LOG_LEVEL', 'NUCLEON_DRAIN_TIMEOUT_MS',
];

/** Name prefixes passed the same way: locale categories and the .NET/Mono toolchains' settings. */
export const PASSED_ENV_PREFIXES: readonly string[] = ['LC_', 'DOTNET_', 'MONO_'];

/** The deployer's variable naming more names to pass (comma-separated), e.g. `NUCLEON_LOCAL_PASS_ENV=AWS_REGION,HTTP_PROXY`. */
export const PASS_ENV_VARIABLE = 'NUCLEON_LOCAL_PASS_ENV';

/** What {@link processorEnv} builds the environment from. */
export interface ProcessorEnvInput {
  /** The deployer's environment (the CLI's `process.env`). */
  deployer: NodeJS.ProcessEnv;
  /** `spec.env`: wins over anything passed from the deployer. */
  spec: readonly EnvVar[];
  /** The build's NODE_PATH/PYTHONPATH/PATH prefixes, when the function has build commands. */
  pathPrefixes?: Readonly<Record<string, string>>;
  /** What the platform sets (ports, hosts, plugin paths): wins over everything. */
  platform: Readonly<Record<string, string>>;
}

/** The processor's whole environment: the allowlisted part of the deployer's, then spec.env, the build's paths, the platform's own. */
export function processorEnv(input: ProcessorEnvInput): Record<string, string> {
  const extra = (input.deployer[PASS_ENV_VARIABLE] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.deployer)) {
    if (value === undefined) continue;
    if (PASSED_ENV_NAMES.includes(name) || extra.includes(name) || PASSED_ENV_PREFIXES.some((p) => name.startsWith(p))) env[name] = value;
  }
  for (const { name, value } of input.spec) env[name] = value;
  if (input.pathPrefixes) prependPaths(env, input.pathPrefixes);
  return Object.assign(env, input.platform);
}
