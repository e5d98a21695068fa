// Test support for the integration tests: starts the real processor binary on a C# function,
// with a private build cache and a node_modules link so the processor resolves @nucleon/runtime-dotnet.
import {
  createRuntimeTestRoot, runtimeFunctionYaml, startProcessor as startSharedProcessor, type RuntimeTestRoot, type StartedProcessor,
} from '@nucleon/processor/testing';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export type { StartedProcessor } from '@nucleon/processor/testing';

export type DotnetTestRoot = RuntimeTestRoot;

export function createDotnetTestRoot(): DotnetTestRoot {
  return createRuntimeTestRoot({ packageName: '@nucleon/runtime-dotnet', packageDir: PACKAGE_DIR, prefix: 'dotnet' });
}

/** A function.yaml for a C# handler (runtime dotnetcore, as Nuclio names it). */
export function dotnetFunctionYaml(options: { name?: string; handler?: string; eventTimeout?: string; numWorkers?: number; env?: Record<string, string>; shared?: boolean } = {}): string {
  return runtimeFunctionYaml({
    runtime: 'dotnetcore',
    name: options.name ?? 'dotnet-fn',
    handler: options.handler ?? 'nuclio:Main',
    eventTimeout: options.eventTimeout,
    numWorkers: options.numWorkers,
    env: options.env,
    shared: options.shared,
  });
}

/** Starts the processor on a C# function with a private build cache (Mono is forced: the tests run on Mono). */
export function startProcessor(dir: string, options: { cacheDir: string; waitReady?: boolean; readyTimeoutMs?: number; env?: Record<string, string> }): Promise<StartedProcessor> {
  return startSharedProcessor(dir, {
    waitReady: options.waitReady,
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
    env: { NUCLEON_DOTNET_CACHE_DIR: options.cacheDir, ...options.env },
  });
}
