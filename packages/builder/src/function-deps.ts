import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createError, ErrorCodes } from '@nucleon/core';
import { cacheDir } from './paths.js';
import { publishCached, tail } from './processor-bundle.js';

const run = promisify(execFile);

/**
 * Installs the function's own npm dependencies (its package.json `dependencies`) into a
 * folder cached by the hash of package.json and package-lock.json, for the image's
 * dependencies layer. Undefined when the function has none.
 */
export async function installFunctionDependencies(functionDir: string, progress: (line: string) => void): Promise<string | undefined> {
  const manifestFile = join(functionDir, 'package.json');
  if (!existsSync(manifestFile)) return undefined;
  const manifest = await readFile(manifestFile);
  const dependencies = (JSON.parse(manifest.toString()) as { dependencies?: Record<string, string> }).dependencies ?? {};
  if (Object.keys(dependencies).length === 0) return undefined;
  const lockFile = join(functionDir, 'package-lock.json');
  const lock = existsSync(lockFile) ? await readFile(lockFile) : undefined;
  const key = createHash('sha256').update(manifest).update(lock ?? '').digest('hex').slice(0, 16);
  const dir = join(cacheDir(), 'build', `deps-${key}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  progress(`dependencies: npm ${lock ? 'ci' : 'install'} (${Object.keys(dependencies).join(', ')})`);
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'package.json'), manifest);
  if (lock) await copyFile(lockFile, join(staging, 'package-lock.json'));
  try {
    await run('npm', [lock ? 'ci' : 'install', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`.trim();
    throw createError(ErrorCodes.BUILD_FAILED, `cannot install the function's dependencies:\n${tail(output, 20)}`, { cause: err });
  }
  await writeFile(join(staging, '.complete'), new Date().toISOString());
  await publishCached(staging, dir);
  return dir;
}
