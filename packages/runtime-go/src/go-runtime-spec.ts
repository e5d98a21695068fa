import { existsSync } from 'node:fs';
import { createError, ErrorCodes, parseDuration, type RuntimeCreateOptions } from '@nucleon/core';
import type { WrapperRuntimeSpec } from '@nucleon/runtime-wrapper';
import { buildGoHandler, defaultCacheRoot } from './go-build.js';
import { readMainSources, resolveSymbols } from './handler-symbols.js';

/** Five minutes: a first build downloads the Nuclio SDK and compiles it. */
export const DEFAULT_BUILD_TIMEOUT_MS = 5 * 60_000;

/** NUCLEON_GO_BUILD_TIMEOUT (a Go duration such as `10m`), else five minutes. */
export function buildTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.NUCLEON_GO_BUILD_TIMEOUT;
  if (text === undefined || text === '') return DEFAULT_BUILD_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `NUCLEON_GO_BUILD_TIMEOUT: "${text}" is not a positive duration such as 10m`,
      { details: { problems: [{ path: 'NUCLEON_GO_BUILD_TIMEOUT', message: 'must be a positive duration such as 10m' }] } });
  }
  return ms;
}

/**
 * The Go wrapper spec for one runtime instance: `prepare` compiles the handler with the
 * wrapper once per start (or finds the cached binary), `launch` starts that binary once per
 * worker. Every worker's wrapper is the same binary.
 */
export function createGoSpec(): WrapperRuntimeSpec {
  let binary: string | undefined;
  return {
    name: 'go',
    async prepare(options: RuntimeCreateOptions) {
      // An image built by `nucleon build` carries the handler compiled at build time, so a
      // container starts without a Go toolchain or a module download.
      const prebuilt = process.env.NUCLEON_GO_HANDLER_BINARY;
      if (prebuilt) {
        if (!existsSync(prebuilt)) {
          throw createError(ErrorCodes.RUNTIME_BUILD, `NUCLEON_GO_HANDLER_BINARY is ${prebuilt}, which does not exist`,
            { details: { plugin: '@nucleon/runtime-go' } });
        }
        options.logger.infoWith('using the prebuilt Go handler', { binary: prebuilt });
        binary = prebuilt;
        return;
      }
      const sources = await readMainSources(options.functionDir);
      const symbols = resolveSymbols(sources, options.function.spec.handler, options.functionDir);
      if (symbols.detected) {
        options.logger.infoWith('Go handler detected by signature', { handler: symbols.handler, spec: options.function.spec.handler });
      }
      const result = await buildGoHandler({
        functionDir: options.functionDir, symbols, logger: options.logger,
        cacheRoot: defaultCacheRoot(), timeoutMs: buildTimeoutMs(),
      });
      binary = result.binary;
    },
    launch() {
      if (binary === undefined) throw new Error('the Go runtime launched a wrapper before prepare() built it');
      return { command: binary, args: [] };
    },
  };
}
