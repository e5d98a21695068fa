import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../errors.js';
import { loadFunction } from './load-function.js';
import type { FunctionFlags } from './function-flags.js';

// Which files loadFunction reads or lets a runtime load: only those inside the function folder.
let dir: string;
let fn: string;
let outside: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nucleon-files-'));
  fn = join(dir, 'fn');
  await mkdir(fn);
  outside = join(dir, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.js'), 'exports.handler = () => "TOP-SECRET";\n');
  await writeFile(join(outside, 'function.yaml'), 'spec:\n  runtime: nodejs\n');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function failure(flags: FunctionFlags): { code: number; message: string } {
  try {
    loadFunction(flags, dir);
  } catch (err) {
    return { code: exitCodeFor(err), message: (err as Error).message };
  }
  throw new Error('expected loadFunction to refuse');
}

describe('loadFunction: files outside the function folder', () => {
  it('refuses a handler file that is a symlink out of the folder (exit 4), before any runtime loads it', async () => {
    await writeFile(join(fn, 'function.yaml'), 'spec:\n  runtime: nodejs\n  handler: main:handler\n');
    await symlink(join(outside, 'secret.js'), join(fn, 'main.js'));
    const { code, message } = failure({ path: 'fn' });
    expect(code).toBe(4);
    expect(message).toBe(`handler file ${join(fn, 'main.js')} is a symbolic link to ${join(outside, 'secret.js')}, outside the function ` +
      `folder ${fn}; refusing to read it (copy the file into the folder instead)`);
  });

  it('refuses a single handler file given as the path when it links out of its folder', async () => {
    await symlink(join(outside, 'secret.js'), join(fn, 'hello.js'));
    expect(failure({ path: 'fn/hello.js' })).toMatchObject({ code: 4, message: expect.stringContaining('is a symbolic link to') });
  });

  it('refuses a handler that names a file up and out of the folder', async () => {
    await writeFile(join(fn, 'function.yaml'), 'spec:\n  runtime: nodejs\n  handler: ../outside/secret:handler\n');
    expect(failure({ path: 'fn' })).toEqual({ code: 4, message: `handler file ${join(outside, 'secret')} is outside the function folder ${fn}` });
  });

  it('follows links that stay inside the folder, for the handler and the configuration', async () => {
    await mkdir(join(fn, 'src'));
    await writeFile(join(fn, 'src', 'real.js'), 'exports.handler = () => 1;\n');
    await symlink('src/real.js', join(fn, 'main.js'));
    await writeFile(join(fn, 'src', 'function.yaml'), 'spec:\n  runtime: nodejs\n  handler: main:handler\n');
    await symlink('src/function.yaml', join(fn, 'function.yaml'));
    expect(loadFunction({ path: 'fn' }, dir).config.spec.handler).toBe('main:handler');
  });

  it('reads -f from outside the function folder, but not through a link out of the folder that holds it', async () => {
    await writeFile(join(fn, 'main.js'), 'exports.handler = () => 1;\n');
    expect(loadFunction({ path: 'fn', file: 'outside/function.yaml' }, dir).config.spec.runtime).toBe('nodejs');
    await mkdir(join(dir, 'elsewhere'));
    await symlink(join(outside, 'function.yaml'), join(dir, 'elsewhere', 'linked.yaml'));
    expect(failure({ path: 'fn', file: 'elsewhere/linked.yaml' })).toMatchObject({
      code: 4, message: expect.stringContaining(`outside the function folder ${join(dir, 'elsewhere')}`),
    });
  });

  it('refuses a configuration over NUCLEON_MAX_CONFIG_BYTES from its size (exit 4)', async () => {
    await writeFile(join(fn, 'function.yaml'), `spec:\n  runtime: nodejs\n  description: "${'d'.repeat(200)}"\n`);
    process.env.NUCLEON_MAX_CONFIG_BYTES = '100';
    try {
      expect(failure({ path: 'fn' })).toMatchObject({ code: 4, message: expect.stringMatching(/over the 100-byte limit .*NUCLEON_MAX_CONFIG_BYTES/) });
    } finally {
      delete process.env.NUCLEON_MAX_CONFIG_BYTES;
    }
  });
});
