import { existsSync } from 'node:fs';
import { createError, ErrorCodes, parseDuration, type RuntimeCreateOptions } from '@nucleon/core';
import type { WrapperLaunch, WrapperRuntimeSpec } from '@nucleon/runtime-wrapper';
import { buildDotnetHandler, defaultCacheRoot } from './dotnet-build.js';
import { detectToolchain } from './dotnet-toolchain.js';

/** Five minutes: a first `dotnet build` restores packages. An mcs build takes about a second. */
export const DEFAULT_BUILD_TIMEOUT_MS = 5 * 60_000;
/** HELLO..READY deadline: a cold Mono or .NET start under load takes a few seconds. */
export const DEFAULT_START_TIMEOUT_MS = 30_000;

/** NUCLEON_DOTNET_BUILD_TIMEOUT (a duration such as `10m`), else five minutes. */
export function buildTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.NUCLEON_DOTNET_BUILD_TIMEOUT;
  if (text === undefined || text === '') return DEFAULT_BUILD_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `NUCLEON_DOTNET_BUILD_TIMEOUT: "${text}" is not a positive duration such as 10m`,
      { details: { problems: [{ path: 'NUCLEON_DOTNET_BUILD_TIMEOUT', message: 'must be a positive duration such as 10m' }] } });
  }
  return ms;
}

/**
 * How an assembly is started: a `.dll` with `dotnet`, an `.exe` with `mono`. Mono runs without
 * `--debug` (cheaper per event); `MONO_ENV_OPTIONS=--debug` in spec.env adds file:line to stack traces.
 */
export function launchFor(assembly: string, env: NodeJS.ProcessEnv = process.env): WrapperLaunch {
  if (assembly.endsWith('.dll')) return { command: env.NUCLEON_DOTNET ?? 'dotnet', args: [assembly] };
  return { command: env.NUCLEON_MONO ?? 'mono', args: [assembly] };
}

/**
 * The .NET wrapper spec for one runtime instance: `prepare` compiles the function's `.cs` files
 * with the C# wrapper once per start (or finds the cached assembly), `launch` starts that
 * assembly once per worker.
 */
export function createDotnetSpec(env: NodeJS.ProcessEnv = process.env): WrapperRuntimeSpec {
  let launch: WrapperLaunch | undefined;
  const timeout = Number(env.NUCLEON_DOTNET_START_TIMEOUT_MS);
  return {
    name: 'dotnet',
    startTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_START_TIMEOUT_MS,
    async prepare(options: RuntimeCreateOptions) {
      // An image built ahead of time carries the compiled assembly: no compiler needed at start.
      const prebuilt = env.NUCLEON_DOTNET_HANDLER_ASSEMBLY;
      if (prebuilt) {
        if (!existsSync(prebuilt)) {
          throw createError(ErrorCodes.RUNTIME_BUILD, `NUCLEON_DOTNET_HANDLER_ASSEMBLY is ${prebuilt}, which does not exist`,
            { details: { plugin: '@nucleon/runtime-dotnet' } });
        }
        options.logger.infoWith('using the prebuilt .NET handler', { assembly: prebuilt });
        launch = launchFor(prebuilt, env);
        return;
      }
      const toolchain = await detectToolchain(env);
      const result = await buildDotnetHandler({
        functionDir: options.functionDir, toolchain, logger: options.logger,
        cacheRoot: defaultCacheRoot(env), timeoutMs: buildTimeoutMs(env), env,
      });
      launch = launchFor(result.assembly, env);
    },
    launch() {
      if (launch === undefined) throw new Error('the .NET runtime launched a wrapper before prepare() built it');
      return launch;
    },
  };
}
