// Test support for the integration tests: starts the real processor binary on a Go function.
// It builds on @nucleon/processor/testing and adds what Go needs: a long readiness wait for a first compile, a
// private build cache, and a node_modules link so the processor resolves @nucleon/runtime-go.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { startProcessor as startSharedProcessor, type StartedProcessor } from '@nucleon/processor/testing';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export { PROCESSOR_MAIN, freePort } from '@nucleon/processor/testing';
export type { StartedProcessor } from '@nucleon/processor/testing';

/**
 * A temp root holding function directories, a Go build cache, and
 * `node_modules/@nucleon/runtime-go` linked to this package: the processor finds runtime
 * plugins in node_modules above the function directory.
 */
export interface GoTestRoot {
  root: string;
  cacheDir: string;
  /** Writes files (relative path -> content) into a fresh function directory under the root. */
  functionDir(files: Record<string, string | Buffer>): string;
  remove(): void;
}

export function createGoTestRoot(): GoTestRoot {
  const root = mkdtempSync(join(tmpdir(), 'nucleon-go-it-'));
  mkdirSync(join(root, 'node_modules', '@nucleon'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@nucleon', 'runtime-go'), 'dir');
  const cacheDir = join(root, 'go-build-cache');
  let count = 0;
  return {
    root,
    cacheDir,
    functionDir(files) {
      const dir = join(root, `fn-${count++}`);
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      return dir;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A function.yaml for a Go handler. */
export function goFunctionYaml(options: { name?: string; handler?: string | null; eventTimeout?: string; numWorkers?: number } = {}): string {
  return [
    'apiVersion: nuclio.io/v1',
    'kind: NuclioFunction',
    'metadata:',
    `  name: ${options.name ?? 'go-fn'}`,
    'spec:',
    '  runtime: golang',
    ...(options.handler === null ? [] : [`  handler: ${options.handler ?? 'main:Handler'}`]),
    ...(options.eventTimeout ? [`  eventTimeout: ${options.eventTimeout}`] : []),
    ...(options.numWorkers ? ['  triggers:', '    web:', '      kind: http', `      numWorkers: ${options.numWorkers}`] : []),
    '',
  ].join('\n');
}

/** Starts the processor on a Go function with a private build cache and a long wait for a first compile. */
export function startProcessor(dir: string, options: { cacheDir: string; waitReady?: boolean; readyTimeoutMs?: number; env?: Record<string, string> }): Promise<StartedProcessor> {
  return startSharedProcessor(dir, {
    waitReady: options.waitReady,
    readyTimeoutMs: options.readyTimeoutMs ?? 240_000,
    env: { NUCLEON_GO_CACHE_DIR: options.cacheDir, ...options.env },
  });
}
