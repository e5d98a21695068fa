import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createError, ErrorCodes, type FunctionConfig, type Logger } from '@nucleon/core';
import { runtimePackage } from '@nucleon/processor';
import { IMAGE_PATHS } from './paths.js';
import type { PackageLocator } from './processor-bundle.js';

/** Where a prebuilt Go handler goes, inside the function folder of the image. */
const GO_BINARY = '.nucleon/go-handler';
const GO_PACKAGE = '@nucleon/runtime-go';

interface GoRuntimeModule {
  readMainSources(dir: string): Promise<unknown>;
  resolveSymbols(sources: unknown, handler: string, dir: string): { handler: string; initContext?: string };
  buildGoHandler(options: Record<string, unknown>): Promise<{ binary: string; cached: boolean }>;
  defaultCacheRoot(): string;
}

/**
 * What a runtime compiles before the image is made, put into the image's function folder; the
 * image's environment variables that point the runtime at it. Go: the handler is compiled
 * here with the runtime's own build (and cache), so containers need no Go toolchain.
 */
export async function prepareRuntimeArtifacts(config: FunctionConfig, functionDir: string, contextFunctionDir: string,
  locate: PackageLocator, progress: (line: string) => void): Promise<Record<string, string>> {
  const pkg = runtimePackage(config.spec.runtime);
  if (pkg !== GO_PACKAGE) return {};
  const dir = locate(pkg);
  if (!dir) throw createError(ErrorCodes.BUILD_FAILED, `package ${pkg} is not installed where this CLI can find it`);
  const go = await import(pathToFileURL(join(dir, 'dist', 'index.js')).href) as GoRuntimeModule;
  progress('go: compiling the handler with the wrapper');
  const sources = await go.readMainSources(functionDir);
  const symbols = go.resolveSymbols(sources, config.spec.handler, functionDir);
  const result = await go.buildGoHandler({
    functionDir, symbols, logger: progressLogger(progress), cacheRoot: go.defaultCacheRoot(), timeoutMs: 5 * 60_000,
  });
  progress(`go: handler ${result.cached ? 'cached' : 'compiled'}`);
  await mkdir(join(contextFunctionDir, '.nucleon'), { recursive: true });
  await copyFile(result.binary, join(contextFunctionDir, GO_BINARY));
  return { NUCLEON_GO_HANDLER_BINARY: `${IMAGE_PATHS.function}/${GO_BINARY}` };
}

/** The runtime's build logs as progress lines. */
function progressLogger(progress: (line: string) => void): Logger {
  const say = (message: string): void => progress(`go: ${message}`);
  const quiet = (): void => undefined;
  const logger: Logger = {
    debug: quiet, info: say, warn: say, error: say, debugWith: quiet, infoWith: say, warnWith: say, errorWith: say,
    child: () => logger,
  };
  return logger;
}
