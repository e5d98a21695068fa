import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir } from './paths.js';
import { installCached } from './processor-bundle.js';

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
  await installCached(dir, [lock ? 'ci' : 'install', '--omit=dev'], 'cannot install the function\'s dependencies', async (staging) => {
    await writeFile(join(staging, 'package.json'), manifest);
    if (lock) await copyFile(lockFile, join(staging, 'package-lock.json'));
  });
  return dir;
}
