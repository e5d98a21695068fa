import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFiles } from './processor-process.js';

/**
 * A temp root for a runtime plugin's integration tests: function directories, a private build
 * cache, and `node_modules/<packageName>` linked to the plugin package, since the processor finds
 * runtime plugins in node_modules above the function directory.
 */
export interface RuntimeTestRoot {
  root: string;
  cacheDir: string;
  /** Writes files (relative path -> content) into a fresh function directory under the root. */
  functionDir(files: Record<string, string | Buffer>): string;
  remove(): void;
}

export interface CreateRuntimeTestRootOptions {
  /** The runtime plugin's package name, e.g. `@nucleon/runtime-go`. */
  packageName: string;
  /** The plugin package's directory, linked as `node_modules/<packageName>`. */
  packageDir: string;
  /** Short name for the temp root (`nucleon-<prefix>-it-…`) and its cache dir (`<prefix>-build-cache`). */
  prefix: string;
}

export function createRuntimeTestRoot(options: CreateRuntimeTestRootOptions): RuntimeTestRoot {
  const root = mkdtempSync(join(tmpdir(), `nucleon-${options.prefix}-it-`));
  const link = join(root, 'node_modules', ...options.packageName.split('/'));
  mkdirSync(dirname(link), { recursive: true });
  symlinkSync(options.packageDir, link, 'dir');
  const cacheDir = join(root, `${options.prefix}-build-cache`);
  let count = 0;
  return {
    root,
    cacheDir,
    functionDir(files) {
      const dir = join(root, `fn-${count++}`);
      writeFiles(dir, files);
      return dir;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

export interface RuntimeFunctionYamlOptions {
  runtime: string;
  name: string;
  /** The handler line; null leaves it out. */
  handler: string | null;
  eventTimeout?: string;
  /** With a count, an HTTP trigger `web` with that many workers; without, no triggers. */
  numWorkers?: number;
  /** Environment variables (spec.env). */
  env?: Record<string, string>;
  /** `runtimeAttributes.wrapperSharing: shared`. */
  shared?: boolean;
  /** Extra lines under `spec:`, before the triggers. */
  extra?: string[];
}

/** A function.yaml for a runtime plugin's handler. */
export function runtimeFunctionYaml(options: RuntimeFunctionYamlOptions): string {
  return [
    'apiVersion: nuclio.io/v1',
    'kind: NuclioFunction',
    'metadata:',
    `  name: ${options.name}`,
    'spec:',
    `  runtime: ${options.runtime}`,
    ...(options.handler === null ? [] : [`  handler: ${options.handler}`]),
    ...(options.eventTimeout ? [`  eventTimeout: ${options.eventTimeout}`] : []),
    ...(options.shared ? ['  runtimeAttributes:', '    wrapperSharing: shared'] : []),
    ...(options.env ? ['  env:', ...Object.entries(options.env).flatMap(([k, v]) => [`    - name: ${k}`, `      value: "${v}"`])] : []),
    ...(options.extra ?? []),
    ...(options.numWorkers ? ['  triggers:', '    web:', '      kind: http', `      numWorkers: ${options.numWorkers}`] : []),
    '',
  ].join('\n');
}
