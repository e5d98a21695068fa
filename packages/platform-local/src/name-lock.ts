import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertFunctionName, createError, ErrorCodes, sleep } from '@nucleon/core';
import { isPidAlive } from './liveness.js';

/** Options for {@link withNameLock}. */
export interface NameLockOptions {
  /** How long to wait for another CLI holding the lock. */
  waitMs?: number;
}

/**
 * Runs `task` while holding `<stateDir>/locks/<name>.lock`, so two CLIs deploying or deleting
 * the same function never interleave. The lock is a directory (mkdir is atomic) holding the
 * owner's pid; a lock whose owner died is taken over.
 */
export async function withNameLock<T>(stateDir: string, name: string, task: () => Promise<T>, options: NameLockOptions = {}): Promise<T> {
  assertFunctionName(name);
  const lockDir = join(stateDir, 'locks', `${name}.lock`);
  await mkdir(join(stateDir, 'locks'), { recursive: true });
  const until = Date.now() + (options.waitMs ?? 120_000);
  for (;;) {
    if (await tryAcquire(lockDir)) break;
    if (Date.now() > until) {
      throw createError(ErrorCodes.DEPLOY_FAILED,
        `another nucleon command is deploying or deleting "${name}" (lock ${lockDir}); try again later`);
    }
    await sleep(100);
  }
  try {
    return await task();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function tryAcquire(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(await readFile(join(lockDir, 'owner'), 'utf8').catch(() => ''));
    // No owner file yet means the holder is between mkdir and writeFile (or died there).
    const stale = owner > 0 ? owner !== process.pid && !isPidAlive(owner) : await olderThan(lockDir, 5_000);
    if (stale) {
      await rm(lockDir, { recursive: true, force: true });
    }
    return false;
  }
  await writeFile(join(lockDir, 'owner'), String(process.pid));
  return true;
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > ms;
}
