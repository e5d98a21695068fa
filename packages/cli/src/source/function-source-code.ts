import { createError, ErrorCodes } from '@nucleon/core';
import { sourceFolder } from './source-dir.js';
import { archiveRoot, sourceKind, unpackArchive, writeHandlerFile } from './unpack.js';

/** File extension of a single handler file, by runtime (the handler names the module, not the file). */
const HANDLER_EXTENSIONS: Readonly<Record<string, string>> = {
  nodejs: '.js', node: '.js', typescript: '.ts', python: '.py', golang: '.go', go: '.go', dotnetcore: '.cs',
};

/**
 * The handler file name for a decoded single-file `functionSourceCode`: `main:handler` with
 * runtime python is `main.py`. The shell runtime's handler names the executable itself.
 */
export function handlerFileName(runtime: string, handler: string): string {
  const base = runtime.split(':')[0] ?? runtime;
  if (base === 'shell') return handler.split(':')[0] || 'main.sh';
  const module = handler.includes(':') ? handler.slice(0, handler.lastIndexOf(':')) : handler;
  const ext = Object.hasOwn(HANDLER_EXTENSIONS, base) ? HANDLER_EXTENSIONS[base] as string : '';
  return module.endsWith(ext) ? module : `${module}${ext}`;
}

/**
 * Decodes `spec.build.functionSourceCode` (base64 of one handler file or of a zip/tar.gz
 * archive, as Nuclio's SDK and dashboard send it) into a source folder under the state
 * directory, and returns that folder: the function's code directory from then on.
 */
export function decodeFunctionSourceCode(encoded: string, runtime: string, handler: string, env: NodeJS.ProcessEnv = process.env): string {
  const text = encoded.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length === 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, 'spec.build.functionSourceCode: is not base64 (of a handler file or a .zip/.tar.gz archive)');
  }
  const bytes = Buffer.from(text, 'base64');
  const kind = sourceKind(bytes);
  const fileName = handlerFileName(runtime, handler);
  const dir = sourceFolder(kind === 'file' ? [bytes, fileName] : [bytes], (target) => {
    if (kind === 'file') writeHandlerFile(bytes, target, fileName);
    else unpackArchive(bytes, kind, target, 'spec.build.functionSourceCode');
  }, env);
  return kind === 'file' ? dir : archiveRoot(dir);
}
