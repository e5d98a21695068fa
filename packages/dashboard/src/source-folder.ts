import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionConfig } from '@nucleon/core';
import { HttpError } from './http-error.js';

const EXTENSIONS: Array<[RegExp, string]> = [
  [/^nodejs/, '.js'], [/^typescript/, '.ts'], [/^python/, '.py'], [/^golang/, '.go'], [/^shell/, '.sh'], [/^dotnetcore/, '.cs'],
];

/** `stateDir/functions/<name>`. */
export function functionFolder(stateDir: string, name: string): string {
  return join(stateDir, 'functions', name);
}

/** The handler's file: its module (`main` of `main:handler`) plus the runtime's extension. */
export function handlerFileName(runtime: string, handler: string): string {
  const ext = EXTENSIONS.find(([re]) => re.test(runtime))?.[1];
  if (!ext) throw new HttpError(400, `runtime ${runtime} has no source file type the dashboard knows`, 'NUCLEON_ERR_INVALID_CONFIG', [{ path: 'spec.runtime', message: 'unknown runtime' }]);
  const module = handler.includes(':') ? handler.slice(0, handler.lastIndexOf(':')) : handler;
  if (!/^[A-Za-z0-9_.-]+$/.test(module) || module.startsWith('.')) {
    throw new HttpError(400, `handler module ${JSON.stringify(module)} is not a plain file name`, 'NUCLEON_ERR_INVALID_CONFIG', [{ path: 'spec.handler', message: 'expected <module>:<function>' }]);
  }
  return module.endsWith(ext) ? module : `${module}${ext}`;
}

/**
 * Writes the decoded source and function.yaml (JSON, which YAML reads) into the function's
 * folder. A Node handler gets a package.json so it loads as CommonJS, or as ESM when it uses
 * `import`/`export`, whatever folder the dashboard's state sits in.
 */
export async function writeSourceFolder(stateDir: string, config: FunctionConfig, source: string): Promise<string> {
  const dir = functionFolder(stateDir, config.metadata.name);
  const file = handlerFileName(config.spec.runtime, config.spec.handler);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), source);
  if (config.spec.runtime.startsWith('nodejs') || config.spec.runtime.startsWith('typescript')) {
    const type = /^\s*(import|export)\s/m.test(source) ? 'module' : 'commonjs';
    await writeFile(join(dir, 'package.json'), `${JSON.stringify({ type })}\n`);
  }
  if (config.spec.runtime.startsWith('shell')) await chmod(join(dir, file), 0o755);
  await writeFile(join(dir, 'function.yaml'), `${JSON.stringify(config, null, 2)}\n`);
  return dir;
}

/** The config and source the dashboard holds for a function, when it deployed it. */
export async function readSourceFolder(stateDir: string, name: string): Promise<{ config: FunctionConfig; source?: string } | undefined> {
  const dir = functionFolder(stateDir, name);
  const text = await readFile(join(dir, 'function.yaml'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const config = JSON.parse(text) as FunctionConfig;
  const source = await readFile(join(dir, handlerFileName(config.spec.runtime, config.spec.handler)), 'utf8').catch(() => undefined);
  return { config, source };
}

export async function removeSourceFolder(stateDir: string, name: string): Promise<void> {
  await rm(functionFolder(stateDir, name), { recursive: true, force: true });
}
