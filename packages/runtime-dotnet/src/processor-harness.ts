// Test support for the integration tests: starts the real processor binary on a C# function,
// with a private build cache and a node_modules link so the processor resolves @nucleon/runtime-dotnet.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { startProcessor as startSharedProcessor, type StartedProcessor } from '@nucleon/processor/testing';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export type { StartedProcessor } from '@nucleon/processor/testing';

export interface DotnetTestRoot {
  root: string;
  cacheDir: string;
  /** Writes files (relative path -> content) into a fresh function directory under the root. */
  functionDir(files: Record<string, string | Buffer>): string;
  remove(): void;
}

export function createDotnetTestRoot(): DotnetTestRoot {
  const root = mkdtempSync(join(tmpdir(), 'nucleon-dotnet-it-'));
  mkdirSync(join(root, 'node_modules', '@nucleon'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@nucleon', 'runtime-dotnet'), 'dir');
  const cacheDir = join(root, 'dotnet-build-cache');
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

/** A function.yaml for a C# handler (runtime dotnetcore, as Nuclio names it). */
export function dotnetFunctionYaml(options: { name?: string; handler?: string; eventTimeout?: string; numWorkers?: number; env?: Record<string, string>; shared?: boolean } = {}): string {
  return [
    'apiVersion: nuclio.io/v1',
    'kind: NuclioFunction',
    'metadata:',
    `  name: ${options.name ?? 'dotnet-fn'}`,
    'spec:',
    '  runtime: dotnetcore',
    `  handler: ${options.handler ?? 'nuclio:Main'}`,
    ...(options.eventTimeout ? [`  eventTimeout: ${options.eventTimeout}`] : []),
    ...(options.shared ? ['  runtimeAttributes:', '    wrapperSharing: shared'] : []),
    ...(options.env ? ['  env:', ...Object.entries(options.env).flatMap(([k, v]) => [`    - name: ${k}`, `      value: "${v}"`])] : []),
    ...(options.numWorkers ? ['  triggers:', '    web:', '      kind: http', `      numWorkers: ${options.numWorkers}`] : []),
    '',
  ].join('\n');
}

/** Starts the processor on a C# function with a private build cache (Mono is forced: the tests run on Mono). */
export function startProcessor(dir: string, options: { cacheDir: string; waitReady?: boolean; readyTimeoutMs?: number; env?: Record<string, string> }): Promise<StartedProcessor> {
  return startSharedProcessor(dir, {
    waitReady: options.waitReady,
    readyTimeoutMs: options.readyTimeoutMs ?? 120_000,
    env: { NUCLEON_DOTNET_CACHE_DIR: options.cacheDir, ...options.env },
  });
}
