import { readFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import {
  createError, ErrorCodes, parseFunctionConfigText, validateFunctionConfig, type ValidatedConfig,
} from '@nucleon/core';

export interface LoadConfigOptions {
  /** Path of a function.yaml (or .json). */
  file?: string;
  /** The configuration's text, when it does not come from a file. */
  text?: string;
  /** Name used when metadata.name is absent; defaults to the file's directory name. */
  defaultName?: string;
}

/** Reads, parses and validates a function configuration; every failure is a coded error. */
export function loadFunctionConfig(options: LoadConfigOptions): ValidatedConfig {
  let text = options.text;
  const source = options.file ?? 'inline configuration';
  if (text === undefined) {
    if (!options.file) throw createError(ErrorCodes.CONFIG_NOT_FOUND, 'no function configuration given');
    try {
      text = readFileSync(options.file, 'utf8');
    } catch (cause) {
      throw createError(ErrorCodes.CONFIG_NOT_FOUND, `cannot read function configuration ${options.file}: ${(cause as Error).message}`, { cause });
    }
  }
  const raw = parseFunctionConfigText(text, source);
  const defaultName = options.defaultName ?? (options.file ? nameFromPath(options.file) : undefined);
  return validateFunctionConfig(raw, { defaultName, source });
}

/** Derives a valid function name from a directory or file path (`./My_Func.js` -> `my-func`). */
export function nameFromPath(path: string): string {
  const abs = resolve(path);
  const base = /\.(ya?ml|json)$/i.test(abs) ? basename(dirname(abs)) : basename(abs, extname(abs));
  const name = base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return name || 'function';
}
