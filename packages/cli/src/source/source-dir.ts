import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Platform } from '@nucleon/core';
import { resolveStateDir } from '@nucleon/platform-local';

/**
 * Where fetched and decoded function sources live: `<state>/sources/<sha256 prefix>`, next to
 * the local platform's state, so they outlive the CLI (local processors run the code from
 * there). Content-addressed: the same bytes (and file name) land in the same folder.
 */
export function sourcesRoot(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(resolveStateDir(env)), 'sources');
}

/**
 * Fills a source folder for `bytes` once: `fill` writes into a private temp folder that is
 * renamed into place, so a reader never sees half a source and a failed fill leaves nothing.
 */
export function sourceFolder(key: readonly (Buffer | string)[], fill: (dir: string) => void, env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash('sha256');
  for (const part of key) hash.update(part).update('\0');
  const dir = join(sourcesRoot(env), hash.digest('hex').slice(0, 16));
  if (existsSync(dir)) return dir;
  const temp = `${dir}.${process.pid}.tmp`;
  mkdirSync(temp, { recursive: true, mode: 0o700 });
  try {
    fill(temp);
    renameSync(temp, dir);
  } catch (err) {
    rmSync(temp, { recursive: true, force: true });
    if (existsSync(dir)) return dir;
    throw err;
  }
  return dir;
}

/**
 * Removes a source folder this CLI made (under {@link sourcesRoot}) once no deployed function
 * of `platform` runs from it any more; any other code directory is the user's and stays.
 */
export async function releaseSourceFolder(codeDir: string, platform: Platform, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const root = sourcesRoot(env);
  const rel = relative(root, codeDir);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return;
  const folder = join(root, rel.split(sep)[0] as string);
  const inUse = (await platform.list()).some((s) => typeof s.details?.functionDir === 'string' && s.details.functionDir.startsWith(folder));
  if (!inUse) rmSync(folder, { recursive: true, force: true });
}
