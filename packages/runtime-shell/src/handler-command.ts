import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { createError, ErrorCodes } from '@nucleon/core';

/** What to execute for every event: `file` with `leadingArgs` before the configured arguments. */
export interface HandlerCommand {
  file: string;
  leadingArgs: string[];
  /** The handler file or the executable found on PATH, for messages. */
  handlerPath: string;
  /** How it is run, for the start log line. */
  via: 'exec' | 'shebang' | 'sh' | 'path';
}

export const SHELL = '/bin/sh';

/**
 * The executable part of Nuclio's handler string: `reverser.sh`, `main.sh:main` (the part
 * after the last colon is an entry point shell handlers do not have) or `convert`.
 */
export function handlerName(spec: string): string {
  const colon = spec.lastIndexOf(':');
  // A colon right after a drive letter (C:\...) is no separator.
  if (colon === -1 || (colon === 1 && /^[A-Za-z]:[\\/]/.test(spec))) return spec;
  return spec.slice(0, colon);
}

/**
 * Resolves `spec.handler` as Nuclio's shell runtime does: a file relative to the function
 * directory, else (a bare name) an executable on PATH, as `handler: convert` in Nuclio's docs.
 * A file is run directly when it is executable, through its `#!` interpreter when it is not,
 * and with /bin/sh when it has neither (a script copied without its mode bits).
 */
export function resolveHandlerCommand(functionDir: string, spec: string, pathEnv = process.env.PATH ?? ''): HandlerCommand {
  const name = handlerName(spec).trim();
  if (name === '') {
    throw createError(ErrorCodes.HANDLER_NOT_FOUND, `spec.handler "${spec}": names no script or executable`);
  }
  const file = resolve(functionDir, name);
  if (isFile(file)) return commandForFile(file);
  if (!isAbsolute(name) && !name.includes('/') && !name.includes('\\')) {
    const onPath = findOnPath(name, pathEnv);
    if (onPath) return { file: onPath, leadingArgs: [], handlerPath: onPath, via: 'path' };
  }
  throw createError(ErrorCodes.HANDLER_NOT_FOUND,
    `spec.handler "${spec}": no file ${file}` + (name.includes('/') ? '' : ` and no executable "${name}" on PATH`));
}

function commandForFile(file: string): HandlerCommand {
  const head = readHead(file);
  const shebang = head.startsWith('#!') ? parseShebang(head) : undefined;
  if (isExecutable(file) && (shebang !== undefined || head.startsWith('\x7fELF'))) {
    return { file, leadingArgs: [], handlerPath: file, via: 'exec' };
  }
  // Not executable, or executable text without `#!` (which execve refuses): run it the way
  // the kernel would have, or as a sh script, as Nuclio does with every handler file.
  if (shebang) return { file: shebang.interpreter, leadingArgs: [...shebang.args, file], handlerPath: file, via: 'shebang' };
  return { file: SHELL, leadingArgs: [file], handlerPath: file, via: 'sh' };
}

/** `#!/usr/bin/env python3` -> interpreter and its one optional argument, as Linux splits it. */
export function parseShebang(head: string): { interpreter: string; args: string[] } | undefined {
  const line = head.slice(2).split('\n')[0]?.replace(/\r$/, '').trim() ?? '';
  if (line === '') return undefined;
  const space = line.search(/[ \t]/);
  if (space === -1) return { interpreter: line, args: [] };
  const rest = line.slice(space).trim();
  return { interpreter: line.slice(0, space), args: rest === '' ? [] : [rest] };
}

function readHead(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(256);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isFile(candidate) && isExecutable(candidate)) return candidate;
  }
  return undefined;
}
