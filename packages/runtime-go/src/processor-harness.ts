// Test support for the integration tests: starts the real processor binary on a Go function.
// It builds on @nucleon/processor/testing and adds what Go needs: a long readiness wait for a first compile, a
// private build cache, and a node_modules link so the processor resolves @nucleon/runtime-go.
import {
  createRuntimeTestRoot, runtimeFunctionYaml, startProcessor as startSharedProcessor, type RuntimeTestRoot, type StartedProcessor,
} from '@nucleon/processor/testing';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export type { StartedProcessor } from '@nucleon/processor/testing';

/**
 * A temp root holding function directories, a Go build cache, and
 * `node_modules/@nucleon/runtime-go` linked to this package.
 */
export type GoTestRoot = RuntimeTestRoot;

export function createGoTestRoot(): GoTestRoot {
  return createRuntimeTestRoot({ packageName: '@nucleon/runtime-go', packageDir: PACKAGE_DIR, prefix: 'go' });
}

/** A function.yaml for a Go handler (`handler: null` leaves the handler out). */
export function goFunctionYaml(options: { name?: string; handler?: string | null; eventTimeout?: string; numWorkers?: number } = {}): string {
  return runtimeFunctionYaml({
    runtime: 'golang',
    name: options.name ?? 'go-fn',
    handler: options.handler === undefined ? 'main:Handler' : options.handler,
    eventTimeout: options.eventTimeout,
    numWorkers: options.numWorkers,
  });
}

/** Starts the processor on a Go function with a private build cache and a long wait for a first compile. */
export function startProcessor(dir: string, options: { cacheDir: string; waitReady?: boolean; readyTimeoutMs?: number; env?: Record<string, string> }): Promise<StartedProcessor> {
  return startSharedProcessor(dir, {
    waitReady: options.waitReady,
    readyTimeoutMs: options.readyTimeoutMs ?? 240_000,
    env: { NUCLEON_GO_CACHE_DIR: options.cacheDir, ...options.env },
  });
}
