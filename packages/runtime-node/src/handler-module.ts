import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createError, ErrorCodes, type Context, type Event } from '@nucleon/core';

export type HandlerFunction = (context: Context, event: Event) => unknown;
export type InitContextFunction = (context: Context) => unknown;

export interface HandlerModule {
  file: string;
  handler: HandlerFunction;
  initContext: InitContextFunction | undefined;
}

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

/** Splits Nuclio's `file:export` handler string (`main:handler`; a bare `main` means export `handler`). */
export function parseHandlerSpec(spec: string): { module: string; exportName: string } {
  const colon = spec.lastIndexOf(':');
  if (colon === -1) return { module: spec, exportName: 'handler' };
  return { module: spec.slice(0, colon), exportName: spec.slice(colon + 1) || 'handler' };
}

/** Finds the handler file: the name as given, or with each supported extension in turn. */
export function findHandlerFile(functionDir: string, moduleName: string): string | undefined {
  const base = resolve(functionDir, moduleName);
  if (EXTENSIONS.includes(extname(base)) && existsSync(base)) return base;
  return EXTENSIONS.map((ext) => base + ext).find((file) => existsSync(file));
}

/**
 * Imports the handler module (JavaScript in any module format, or TypeScript through Node's
 * built-in type stripping, so no build step) and picks out the handler and `initContext`.
 */
export async function loadHandlerModule(functionDir: string, spec: string): Promise<HandlerModule> {
  const { module: moduleName, exportName } = parseHandlerSpec(spec);
  const file = findHandlerFile(functionDir, moduleName);
  if (!file) {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND,
      `spec.handler "${spec}": no handler file ${moduleName}{${EXTENSIONS.join(',')}} in ${functionDir}`);
  }
  if (TYPESCRIPT.has(extname(file)) && !process.features.typescript) {
    throw createError(ErrorCodes.HANDLER_LOAD,
      `${file}: TypeScript handlers need Node.js >= 22.18 (built-in type stripping); this is Node ${process.version}`);
  }
  let ns: Record<string, unknown>;
  try {
    ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    throw createError(ErrorCodes.HANDLER_LOAD, `cannot load handler file ${file}: ${(cause as Error).message}`, { cause });
  }
  const handler = pick(ns, exportName) ?? (exportName === 'handler' && typeof ns.default === 'function' ? ns.default : undefined);
  if (typeof handler !== 'function') {
    const exported = exportedNames(ns);
    throw createError(ErrorCodes.HANDLER_NOT_FOUND,
      `spec.handler "${spec}": ${join(functionDir, moduleName)} has no exported function "${exportName}"` +
      ` (it exports: ${exported.length > 0 ? exported.join(', ') : 'nothing'})`);
  }
  const init = pick(ns, 'initContext') ?? pick(ns, 'init_context');
  return { file, handler: handler as HandlerFunction, initContext: typeof init === 'function' ? (init as InitContextFunction) : undefined };
}

/** A named export, also from a CommonJS module's `module.exports`. */
function pick(ns: Record<string, unknown>, name: string): unknown {
  if (name in ns && ns[name] !== undefined) return ns[name];
  const cjs = ns.default;
  return cjs !== null && typeof cjs === 'object' ? (cjs as Record<string, unknown>)[name] : undefined;
}

function exportedNames(ns: Record<string, unknown>): string[] {
  const names = Object.keys(ns).filter((n) => n !== 'default' && n !== 'module.exports');
  const cjs = ns.default;
  if (cjs !== null && typeof cjs === 'object') names.push(...Object.keys(cjs));
  return [...new Set(names)];
}
