import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { createError, ErrorCodes } from '../errors.js';
import { configTooLarge, maxConfigBytes } from './config-limits.js';

/** True when `path` is `root` or lies under it (both absolute, compared as written). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The real path of `file` (relative to `functionDir` or absolute), or undefined when nothing
 * is there. A file outside the function folder, by name (`../x`) or through a symbolic link
 * (the file itself or a folder on the way), is refused with NUCLEON_ERR_PATH_OUTSIDE_FUNCTION
 * before anything of it is read. The folder's own real path is the bound, so a function
 * folder reached through a symlink (`/tmp` on some systems) is fine, and so is a link that
 * stays inside it. `what` names the file in the message ("function.yaml", "handler file").
 */
export function resolveInsideFunction(file: string, functionDir: string, what: string): string | undefined {
  const folder = resolve(functionDir);
  const path = resolve(folder, file);
  if (!isInside(folder, path)) {
    throw outside(`${what} ${path} is outside the function folder ${folder}`, path, folder);
  }
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return undefined; // missing, or a link to nothing: there is nothing to read
  }
  const root = realpathSync(folder);
  if (isInside(root, real)) return real;
  const link = linkTarget(path);
  const how = link === undefined ? `resolves through a symbolic link to ${real}` : `is a symbolic link to ${link}` +
    (link === real ? '' : ` (${real})`);
  throw outside(`${what} ${path} ${how}, outside the function folder ${folder}; refusing to read it ` +
    '(copy the file into the folder instead)', path, folder, real);
}

/** Options of {@link readFunctionFile}. */
export interface ReadFunctionFileOptions {
  /** Names the file in messages, e.g. "function.yaml". */
  what: string;
  /** Files larger than this are refused unread (default: {@link maxConfigBytes}). */
  maxBytes?: number;
}

/**
 * Reads a configuration file of a function as UTF-8: only when it stays inside `functionDir`
 * (see {@link resolveInsideFunction}), is a regular file, and is at most `maxBytes` long (else
 * NUCLEON_ERR_CONFIG_TOO_LARGE, decided from its size before reading).
 */
export function readFunctionFile(file: string, functionDir: string, options: ReadFunctionFileOptions): string {
  const limit = options.maxBytes ?? maxConfigBytes();
  const real = resolveInsideFunction(file, functionDir, options.what);
  const path = resolve(functionDir, file);
  if (real === undefined) throw createError(ErrorCodes.CONFIG_NOT_FOUND, `${options.what} ${path} does not exist`);
  let fd: number;
  try {
    // O_NOFOLLOW: a link swapped in after the check above is refused, not followed.
    // O_NONBLOCK: a FIFO named function.yaml does not hang the open (it is refused below).
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (cause) {
    throw createError(ErrorCodes.CONFIG_NOT_FOUND, `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw createError(ErrorCodes.CONFIG_NOT_FOUND, `${options.what} ${path} is not a regular file`);
    if (stat.size > limit) throw configTooLarge(path, stat.size, limit);
    // One byte more than the limit tells a file that grew since fstat from one that did not.
    const buffer = Buffer.alloc(Math.min(stat.size, limit) + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) throw configTooLarge(path, length, limit);
    return buffer.toString('utf8', 0, length);
  } finally {
    closeSync(fd);
  }
}

function linkTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

function outside(message: string, path: string, functionDir: string, realPath?: string): Error {
  return createError(ErrorCodes.PATH_OUTSIDE_FUNCTION, message, { details: { path, functionDir, ...(realPath ? { realPath } : {}) } });
}
