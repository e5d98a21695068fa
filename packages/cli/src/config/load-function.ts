import { basename, dirname, resolve } from 'node:path';
import {
  createError, ErrorCodes, isInside, maxConfigBytes, parseFunctionConfigText, readFunctionFile, validateFunctionConfig, type ConfigProblem,
  type FunctionConfig,
} from '@nucleon/core';
import { handlerForFile, nameFromPath, runtimeForFile } from '../function-name.js';
import { decodeFunctionSourceCode } from '../source/function-source-code.js';
import { checkHandlerFiles } from './handler-files.js';
import { overridesFrom, type FunctionFlags } from './function-flags.js';
import { locateFunction } from './locate-function.js';
import { mergeConfig, type InferredDefaults } from './merge-config.js';

/** A function ready to run or deploy. */
export interface LoadedFunction {
  config: FunctionConfig;
  warnings: ConfigProblem[];
  functionDir: string;
  /** What the configuration came from, for messages. */
  source: string;
}

/**
 * Builds the function configuration the way nuctl does: read function.yaml (if any),
 * apply the flags over it, fill in what a single handler file implies, then validate once.
 * Without metadata.name the function is named after its directory or file.
 */
export function loadFunction(flags: FunctionFlags, cwd = process.cwd()): LoadedFunction {
  const overrides = overridesFrom(flags);
  const location = locateFunction(flags.path, flags.file, cwd);
  const { functionDir, configFile, handlerFile } = location;
  const maxBytes = maxConfigBytes();
  const raw = configFile ? parseFunctionConfigText(readConfig(configFile, functionDir, maxBytes), configFile, { maxBytes }) : {};
  const inferred: InferredDefaults = handlerFile ? { runtime: runtimeForFile(handlerFile), handler: handlerForFile(handlerFile) } : {};
  const merged = mergeConfig(raw, overrides, inferred);
  if (handlerFile && !hasRuntime(merged)) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `cannot tell the runtime of ${handlerFile} from its extension (.js/.mjs/.cjs are nodejs, .ts is typescript); pass --runtime`);
  }
  const source = configFile ?? handlerFile ?? functionDir;
  const defaultName = nameFromPath(handlerFile ?? configFile ?? functionDir);
  const codeDir = takeFunctionSourceCode(merged) ?? functionDir;
  const { config, warnings } = validateFunctionConfig(merged, { defaultName, source });
  checkHandlerFiles(config, codeDir);
  return { config, warnings, functionDir: codeDir, source };
}

/**
 * Nuclio's `spec.build.functionSourceCode`: decoded into a source folder that becomes the
 * code directory, and removed from the configuration (the code is deployed, not carried).
 */
function takeFunctionSourceCode(config: unknown): string | undefined {
  const spec = (config as { spec?: Record<string, unknown> } | null)?.spec;
  const build = spec?.build as Record<string, unknown> | undefined;
  if (typeof build?.functionSourceCode !== 'string' || build.functionSourceCode === '') return undefined;
  if (typeof spec?.runtime !== 'string' || typeof spec.handler !== 'string') return undefined;
  const dir = decodeFunctionSourceCode(build.functionSourceCode, spec.runtime, spec.handler);
  delete build.functionSourceCode;
  return dir;
}

/**
 * The configuration's text, read only if it stays inside its folder: the function folder when
 * the file is in it, else (`-f` elsewhere) the folder that holds it. A symlink out of that
 * folder (to /etc/shadow, say) is refused unread, as is a file over the size limit.
 */
function readConfig(file: string, functionDir: string, maxBytes: number): string {
  const folder = isInside(resolve(functionDir), file) ? functionDir : dirname(file);
  return readFunctionFile(file, folder, { what: basename(file), maxBytes });
}

function hasRuntime(config: unknown): boolean {
  const spec = (config as { spec?: { runtime?: unknown } } | null)?.spec;
  return spec?.runtime !== undefined;
}

/** Config warnings as the CLI prints them on stderr: `warning: <path>: <message>`. */
export function formatWarnings(warnings: readonly ConfigProblem[]): string {
  return warnings.map((w) => `warning: ${w.path}: ${w.message}\n`).join('');
}
