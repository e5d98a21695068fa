import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '@nucleon/core';
import { copyFunction } from './copy-function.js';

let root: string;
let fn: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'nucleon-copy-'));
  fn = join(root, 'fn');
  await mkdir(join(fn, 'lib'), { recursive: true });
  await mkdir(join(fn, 'node_modules', 'x'), { recursive: true });
  await writeFile(join(fn, 'main.js'), 'exports.handler = () => "ok";\n');
  await writeFile(join(fn, 'lib', 'util.js'), 'module.exports = 1;\n');
  await writeFile(join(root, 'secret.txt'), 'outside-the-folder\n');
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe('copyFunction', () => {
  it('copies the folder without node_modules, following links that stay inside it', async () => {
    await symlink('lib/util.js', join(fn, 'alias.js'));
    await copyFunction(fn, join(root, 'out'));
    expect(readFileSync(join(root, 'out', 'main.js'), 'utf8')).toContain('handler');
    expect(readFileSync(join(root, 'out', 'alias.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(existsSync(join(root, 'out', 'node_modules'))).toBe(false);
  });

  it('refuses a link that leads outside the folder, naming it, before its target reaches the context', async () => {
    await symlink(join(root, 'secret.txt'), join(fn, 'lib', 'leak.txt'));
    const err = await copyFunction(fn, join(root, 'out')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.PATH_OUTSIDE_FUNCTION, message: expect.stringContaining('leak.txt') });
    expect(existsSync(join(root, 'out', 'lib', 'leak.txt'))).toBe(false);
  });

  it('refuses a linked folder outside', async () => {
    await symlink(root, join(fn, 'up'));
    await expect(copyFunction(fn, join(root, 'out'))).rejects.toMatchObject({ code: ErrorCodes.PATH_OUTSIDE_FUNCTION });
  });
});
