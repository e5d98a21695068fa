import { defineRuntime } from '@nucleon/core';
import { createWrapperRuntime } from '@nucleon/runtime-wrapper';
import { createDotnetSpec } from './dotnet-runtime-spec.js';

export { createDotnetSpec, buildTimeoutMs, launchFor, DEFAULT_BUILD_TIMEOUT_MS, DEFAULT_START_TIMEOUT_MS } from './dotnet-runtime-spec.js';
export { buildDotnetHandler, buildKey, compilerErrors, csproj, defaultCacheRoot, readFunctionSources, readWrapperSources, WRAPPER_DIR, WRAPPER_MAIN } from './dotnet-build.js';
export type { DotnetBuildOptions, DotnetBuildResult, SourceFile } from './dotnet-build.js';
export { detectToolchain, compilerChoice, MONO_INSTALL_HINT } from './dotnet-toolchain.js';
export type { DotnetToolchain, CompilerChoice } from './dotnet-toolchain.js';

/**
 * The .NET runtime plugin (Nuclio runtime `dotnetcore`): compiles the function's C# with a
 * wrapper that speaks docs/protocol.md (Mono's mcs, or the .NET SDK where present) and runs one
 * wrapper per worker.
 */
export default defineRuntime({
  name: '@nucleon/runtime-dotnet',
  coreRange: '^0.1.0',
  create: (options) => createWrapperRuntime(createDotnetSpec(), options),
});
