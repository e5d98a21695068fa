import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createError, ErrorCodes } from '@nucleon/core';

/** A file that goes into the build directory, by its path relative to its root. */
export interface SourceFile {
  path: string;
  content: Buffer;
}

/** The Go wrapper's sources ship in the package's `wrapper/` folder, beside `dist/` and `src/`. */
export const WRAPPER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'wrapper');

/** The SDK versions a function without its own go.mod builds against (the wrapper's go.mod). */
export const NUCLIO_SDK_MODULE = 'github.com/nuclio/nuclio-sdk-go';
export const NUCLIO_LOGGER_MODULE = 'github.com/nuclio/logger';

const MAX_FILES = 10_000;
const MAX_BYTES = 256 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules']);

/**
 * Everything in the function directory that a Go build may read: all files, hidden entries,
 * `node_modules` and `_test.go` files excepted. Paths use `/`, sorted, so the cache key does
 * not depend on the file system's order.
 */
export async function readFunctionFiles(functionDir: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  let bytes = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(full);
        continue;
      }
      if (!entry.isFile() || entry.name.endsWith('_test.go')) continue;
      const content = await readFile(full);
      bytes += content.length;
      files.push({ path: relative(functionDir, full).split(sep).join('/'), content });
      if (files.length > MAX_FILES || bytes > MAX_BYTES) {
        throw createError(ErrorCodes.RUNTIME_BUILD,
          `the function directory ${functionDir} holds more than ${MAX_FILES} files or ${MAX_BYTES / 1024 / 1024} MiB; point --function-dir at the Go sources only`);
      }
    }
  };
  await walk(functionDir);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The wrapper package's sources (tests excluded) and its go.mod/go.sum. */
export async function readWrapperFiles(wrapperDir = WRAPPER_DIR): Promise<SourceFile[]> {
  const names = (await readdir(wrapperDir)).filter((n) => (n.endsWith('.go') && !n.endsWith('_test.go')) || n === 'go.mod' || n === 'go.sum');
  names.sort();
  return Promise.all(names.map(async (path) => ({ path, content: await readFile(join(wrapperDir, path)) })));
}

/** sha256 over every input that changes the binary: sources, wrapper, toolchain, symbols. */
export function buildKey(parts: { functionFiles: readonly SourceFile[]; wrapperFiles: readonly SourceFile[]; toolchain: string; symbols: object }): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer): void => {
    const data = typeof value === 'string' ? Buffer.from(value) : value;
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(data.length));
    hash.update(length).update(data);
  };
  field('nucleon-go-build/1');
  field(parts.toolchain);
  field(JSON.stringify(parts.symbols));
  for (const [label, files] of [['function', parts.functionFiles], ['wrapper', parts.wrapperFiles]] as const) {
    field(label);
    for (const file of files) {
      field(file.path);
      field(file.content);
    }
  }
  return hash.digest('hex');
}

/** The module path a go.mod declares, or undefined. */
export function modulePath(goMod: string): string | undefined {
  const match = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goMod.replace(/\/\/[^\n]*/g, ''));
  return match?.[2];
}

/** The version go.mod requires of `module` (in a require line or block), or undefined. */
export function requiredVersion(goMod: string, module: string): string | undefined {
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(goMod)?.[1];
}

/** The version the wrapper's go.mod pins for `module`. */
export function pinnedVersion(wrapperGoMod: string, module: string): string {
  const version = requiredVersion(wrapperGoMod, module);
  if (!version) throw new Error(`the wrapper's go.mod does not require ${module}`);
  return version;
}

/**
 * Orders Go module versions (`v0.5.3`, `v0.0.0-20190205170814-3b507fbd0324`,
 * `v1.2.0+incompatible`): by major.minor.patch, then a pre-release (pseudo-versions
 * included) before the release. Enough to tell whether a version is older than another.
 */
export function compareModuleVersions(a: string, b: string): number {
  const parse = (v: string): { core: number[]; pre: string } => {
    const [main = '', ...pre] = v.replace(/^v/, '').replace(/\+.*$/, '').split('-');
    return { core: main.split('.').map((n) => Number(n) || 0), pre: pre.join('-') };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === '') return 1;
  if (y.pre === '') return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** The generated entry point: the user's package main plus this file is the wrapper binary. */
export function generatedMain(importPath: string, symbols: { handler: string; initContext: boolean }): string {
  return [
    '// Code generated by @nucleon/runtime-go. DO NOT EDIT.',
    '',
    'package main',
    '',
    `import nucleonwrapper "${importPath}"`,
    '',
    'func main() {',
    `\tnucleonwrapper.Run(${symbols.handler}, ${symbols.initContext ? 'InitContext' : 'nil'})`,
    '}',
    '',
  ].join('\n');
}
