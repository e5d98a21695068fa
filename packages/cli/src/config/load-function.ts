import { readFileSync } from 'node:fs';
import {
  createError, ErrorCodes, parseFunctionConfigText, validateFunctionConfig, type ConfigProblem, type FunctionConfig,
} from '@nucleon/core';
import { handlerForFile, nameFromPath, runtimeForFile } from '../function-name.js';
import { decodeFunctionSourceCode } from '../source/function-source-code.js';
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
  const raw = configFile ? parseFunctionConfigText(readConfig(configFile), configFile) : {};
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

function readConfig(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (cause) {
    throw createError(ErrorCodes.CONFIG_NOT_FOUND, `cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}

function hasRuntime(config: unknown): boolean {
  const spec = (config as { spec?: { runtime?: unknown } } | null)?.spec;
  return spec?.runtime !== undefined;
}

/** Config warnings as the CLI prints them on stderr: `warning: <path>: <message>`. */
export function formatWarnings(warnings: readonly ConfigProblem[]): string {
  return warnings.map((w) => `warning: ${w.path}: ${w.message}\n`).join('');
}
