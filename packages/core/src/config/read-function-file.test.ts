import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, type NucleonError } from '../errors.js';
import { isInside, readFunctionFile, resolveInsideFunction } from './read-function-file.js';

const SECRET = 'root:$6$saltsalt$9f8e7d6c5b4a:19000:0:99999:7:::';
let base: string;
let fn: string;
let secretFile: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'nucleon-read-'));
  fn = join(base, 'fn');
  await mkdir(join(fn, 'conf'), { recursive: true });
  secretFile = join(base, 'shadow');
  await writeFile(secretFile, `${SECRET}\n`);
});
afterEach(() => rm(base, { recursive: true, force: true }));

function refusal(fn: () => unknown): NucleonError {
  try {
    fn();
  } catch (err) {
    if (isNucleonError(err)) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('readFunctionFile', () => {
  it('reads a file of the function folder, and follows a symlink that stays inside it', async () => {
    await writeFile(join(fn, 'conf', 'real.yaml'), 'spec: {}\n');
    await symlink('conf/real.yaml', join(fn, 'function.yaml'));
    expect(readFunctionFile('function.yaml', fn, { what: 'function.yaml' })).toBe('spec: {}\n');
  });

  it('refuses a symlink out of the folder, naming the link and its target, without reading it', async () => {
    await symlink(secretFile, join(fn, 'function.yaml'));
    const err = refusal(() => readFunctionFile(join(fn, 'function.yaml'), fn, { what: 'function.yaml' }));
    expect(err.code).toBe(ErrorCodes.PATH_OUTSIDE_FUNCTION);
    expect(err.message).toBe(`function.yaml ${join(fn, 'function.yaml')} is a symbolic link to ${secretFile}, outside the function ` +
      `folder ${fn}; refusing to read it (copy the file into the folder instead)`);
    expect(JSON.stringify(err.details) + err.message).not.toContain('saltsalt');
  });

  it('gives the real path of a relative link that climbs out', async () => {
    await symlink('../shadow', join(fn, 'function.yaml'));
    expect(refusal(() => readFunctionFile('function.yaml', fn, { what: 'function.yaml' })).message)
      .toContain(`is a symbolic link to ../shadow (${secretFile}), outside`);
  });

  it('refuses a file reached through a symlinked folder on the way out', async () => {
    await symlink(base, join(fn, 'up'));
    const err = refusal(() => readFunctionFile('up/shadow', fn, { what: 'function.yaml' }));
    expect(err.code).toBe(ErrorCodes.PATH_OUTSIDE_FUNCTION);
    expect(err.message).toContain(`resolves through a symbolic link to ${secretFile}, outside the function folder ${fn}`);
  });

  it('accepts a function folder that is itself reached through a symlink (as /tmp is on some systems)', async () => {
    await writeFile(join(fn, 'function.yaml'), 'a: 1\n');
    await symlink(fn, join(base, 'alias'));
    expect(readFunctionFile('function.yaml', join(base, 'alias'), { what: 'function.yaml' })).toBe('a: 1\n');
  });

  it('refuses a name that climbs out of the folder', () => {
    expect(refusal(() => resolveInsideFunction('../shadow', fn, 'handler file')).message)
      .toBe(`handler file ${secretFile} is outside the function folder ${fn}`);
  });

  it('refuses a file over the size limit from its size, and a file that is not a regular file', async () => {
    await writeFile(join(fn, 'function.yaml'), 'x'.repeat(101));
    const err = refusal(() => readFunctionFile('function.yaml', fn, { what: 'function.yaml', maxBytes: 100 }));
    expect(err.code).toBe(ErrorCodes.CONFIG_TOO_LARGE);
    expect(err.message).toMatch(/is 101 bytes, over the 100-byte limit/);
    expect(readFunctionFile('function.yaml', fn, { what: 'function.yaml', maxBytes: 101 })).toHaveLength(101);
    expect(refusal(() => readFunctionFile('/dev/zero', '/dev', { what: 'function.yaml' })).message).toBe('function.yaml /dev/zero is not a regular file');
    execFileSync('mkfifo', [join(fn, 'fifo.yaml')]);
    expect(refusal(() => readFunctionFile('fifo.yaml', fn, { what: 'function.yaml' })).message).toMatch(/fifo\.yaml is not a regular file$/);
  });

  it('says when there is no such file, and resolves a missing one to undefined', () => {
    expect(refusal(() => readFunctionFile('none.yaml', fn, { what: 'function.yaml' })).code).toBe(ErrorCodes.CONFIG_NOT_FOUND);
    expect(resolveInsideFunction('none.js', fn, 'handler file')).toBeUndefined();
  });
});

describe('isInside', () => {
  it('tells a path under a folder from a sibling with a common prefix', () => {
    expect(isInside('/a/fn', '/a/fn')).toBe(true);
    expect(isInside('/a/fn', '/a/fn/x/y')).toBe(true);
    expect(isInside('/a/fn', '/a/fn-other/x')).toBe(false);
    expect(isInside('/a/fn', '/a')).toBe(false);
    expect(isInside('/a/fn', '/a/fn/..x')).toBe(true);
  });
});
