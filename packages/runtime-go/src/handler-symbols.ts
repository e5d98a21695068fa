import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createError, ErrorCodes } from '@nucleon/core';

/** The Go functions the generated `main` calls. */
export interface GoHandlerSymbols {
  /** The handler function's name in package main. */
  handler: string;
  /** Whether package main declares `InitContext`. */
  initContext: boolean;
  /** Set when `handler` was found by its signature rather than by name. */
  detected?: boolean;
}

/** A Go source file of the function's root directory. */
export interface GoSource {
  file: string;
  text: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** core's default when `spec.handler` is empty; Nuclio then detects the handler by signature. */
const DEFAULT_SYMBOL = 'handler';

/**
 * The symbol part of a Nuclio Go handler spec: `main:Handler` is `Handler` in package main;
 * a spec without a colon is the symbol itself.
 */
export function handlerSymbol(spec: string): string {
  const trimmed = spec.trim();
  const colon = trimmed.lastIndexOf(':');
  const symbol = colon >= 0 ? trimmed.slice(colon + 1) : trimmed;
  if (!IDENTIFIER.test(symbol)) {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND,
      `spec.handler "${spec}": a Go handler is <package>:<Function>, for example main:Handler`);
  }
  return symbol;
}

/** Removes comments so commented-out declarations do not count; string contents may suffer, which is harmless here. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
}

const HANDLER_SIGNATURE =
  /^func\s+([A-Za-z_]\w*)\s*\(\s*(?:\w+\s+)?\*\s*\w+\.Context\s*,\s*(?:\w+\s+)?\w+\.Event\s*\)\s*\(\s*(?:interface\s*\{\s*\}|any)\s*,\s*error\s*\)/gm;

/** Top-level functions of package main with Nuclio's handler signature. */
export function handlerShapedFunctions(sources: readonly GoSource[]): string[] {
  const names: string[] = [];
  for (const { text } of sources) {
    for (const match of stripComments(text).matchAll(HANDLER_SIGNATURE)) names.push(match[1] as string);
  }
  return names;
}

function declares(sources: readonly GoSource[], name: string): boolean {
  const declaration = new RegExp(`^(?:func|var)\\s+${name}\\b`, 'm');
  return sources.some(({ text }) => declaration.test(stripComments(text)));
}

/**
 * Finds the handler and InitContext in package main. A handler named in the spec but not
 * declared is still handed to the compiler (declarations this scan misses exist), except
 * for the default `main:handler`, which means "detect": the one function with Nuclio's
 * handler signature, as Nuclio's Go runtime does.
 */
export function resolveSymbols(sources: readonly GoSource[], spec: string, dir: string): GoHandlerSymbols {
  if (sources.length === 0) {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND, `no Go source of package main in ${dir} (Nuclio Go handlers are package main)`);
  }
  const symbol = handlerSymbol(spec);
  const initContext = declares(sources, 'InitContext');
  if (declares(sources, symbol)) return { handler: symbol, initContext };
  const candidates = handlerShapedFunctions(sources);
  if (symbol === DEFAULT_SYMBOL && candidates.length === 1) {
    return { handler: candidates[0] as string, initContext, detected: true };
  }
  if (symbol === DEFAULT_SYMBOL) {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND, candidates.length === 0
      ? `no function with Nuclio's handler signature func(*nuclio.Context, nuclio.Event) (interface{}, error) in package main of ${dir}`
      : `several functions could be the handler in ${dir} (${candidates.join(', ')}); name one in spec.handler, e.g. main:${candidates[0]}`);
  }
  return { handler: symbol, initContext };
}

/** Reads the function directory's top-level `package main` Go files (tests excluded). */
export async function readMainSources(dir: string): Promise<GoSource[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const sources: GoSource[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.go') || entry.name.endsWith('_test.go')) continue;
    const text = await readFile(join(dir, entry.name), 'utf8');
    if (/^package\s+main\b/m.test(stripComments(text))) sources.push({ file: entry.name, text });
  }
  return sources.sort((a, b) => a.file.localeCompare(b.file));
}
