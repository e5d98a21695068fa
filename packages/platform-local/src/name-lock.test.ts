import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withNameLock } from './name-lock.js';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'nucleon-lock-'));
});
afterEach(() => rm(stateDir, { recursive: true, force: true }));

describe('withNameLock', () => {
  it('runs tasks on the same name one after another', async () => {
    const order: string[] = [];
    const task = (id: string) => async (): Promise<void> => {
      order.push(`${id}-start`);
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(`${id}-end`);
    };
    await Promise.all([withNameLock(stateDir, 'f', task('a')), withNameLock(stateDir, 'f', task('b'))]);
    // Either may win the lock; what matters is that the second starts only after the first ended.
    const first = order[0]!.slice(0, 1);
    const second = first === 'a' ? 'b' : 'a';
    expect(order).toEqual([`${first}-start`, `${first}-end`, `${second}-start`, `${second}-end`]);
  });

  it('takes over a lock whose owner died', async () => {
    await mkdir(join(stateDir, 'locks', 'f.lock'), { recursive: true });
    await writeFile(join(stateDir, 'locks', 'f.lock', 'owner'), String(2 ** 31 - 1));
    expect(await withNameLock(stateDir, 'f', async () => 'ran', { waitMs: 2000 })).toBe('ran');
  });

  it('gives up with DEPLOY_FAILED when a live owner keeps it', async () => {
    await mkdir(join(stateDir, 'locks', 'f.lock'), { recursive: true });
    await writeFile(join(stateDir, 'locks', 'f.lock', 'owner'), String(process.ppid));
    await expect(withNameLock(stateDir, 'f', async () => 'ran', { waitMs: 200 }))
      .rejects.toMatchObject({ code: 'NUCLEON_ERR_DEPLOY_FAILED' });
  });
});
