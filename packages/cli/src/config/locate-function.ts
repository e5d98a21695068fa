import { existsSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { createError, ErrorCodes } from '@nucleon/core';

/** Where a function's code and configuration are. */
export interface FunctionLocation {
  /** Directory the handler path is relative to. */
  functionDir: string;
  /** The function.yaml to read, when there is one. */
  configFile?: string;
  /** A single handler file given as the path, when no function.yaml describes it. */
  handlerFile?: string;
}

const CONFIG_NAMES = ['function.yaml', 'function.yml'];
const CONFIG_EXT = /\.(ya?ml|json)$/i;

/**
 * Resolves `-p/--path` (or the positional path) and `-f/--file`: a directory (its
 * function.yaml is read when present), a single handler file, or a function.yaml itself.
 * Without either, the current directory.
 */
export function locateFunction(path: string | undefined, file: string | undefined, cwd = process.cwd()): FunctionLocation {
  const configFile = file === undefined ? undefined : resolve(cwd, file);
  if (configFile !== undefined && !isFile(configFile)) {
    throw createError(ErrorCodes.CONFIG_NOT_FOUND, `function configuration ${configFile} does not exist`);
  }
  const target = resolve(cwd, path ?? (configFile ? dirname(configFile) : '.'));
  if (!existsSync(target)) throw createError(ErrorCodes.CONFIG_NOT_FOUND, `path ${target} does not exist`);
  if (!isFile(target)) {
    const found = configFile ?? CONFIG_NAMES.map((n) => join(target, n)).find(isFile);
    return { functionDir: target, configFile: found };
  }
  if (configFile === undefined && CONFIG_EXT.test(extname(target))) {
    return { functionDir: dirname(target), configFile: target };
  }
  return { functionDir: dirname(target), configFile, handlerFile: target };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
