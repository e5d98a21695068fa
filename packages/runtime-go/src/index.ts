import { defineRuntime } from '@nucleon/core';
import { createWrapperRuntime } from '@nucleon/runtime-wrapper';
import { createGoSpec } from './go-runtime-spec.js';

export { createGoSpec, buildTimeoutMs, DEFAULT_BUILD_TIMEOUT_MS } from './go-runtime-spec.js';
export { buildGoHandler, defaultCacheRoot } from './go-build.js';
export type { GoBuildOptions, GoBuildResult } from './go-build.js';
export { handlerSymbol, resolveSymbols, readMainSources } from './handler-symbols.js';
export type { GoHandlerSymbols, GoSource } from './handler-symbols.js';

/**
 * The Go runtime plugin (Nuclio runtime `golang`, also `go`): compiles the function's
 * package main with a wrapper that speaks docs/protocol.md and runs one wrapper per worker.
 */
export default defineRuntime({
  name: '@nucleon/runtime-go',
  coreRange: '^0.1.0',
  create: (options) => createWrapperRuntime(createGoSpec(), options),
});
