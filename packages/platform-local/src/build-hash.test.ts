import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildHash } from './build-hash.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nucleon-hash-'));
  await mkdir(join(dir, 'lib'));
  await writeFile(join(dir, 'main.js'), 'a');
  await writeFile(join(dir, 'lib', 'util.js'), 'b');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('buildHash', () => {
  it('is stable for the same commands and code', async () => {
    expect(await buildHash(['npm install x'], dir)).toBe(await buildHash(['npm install x'], dir));
  });

  it('changes with a command, a file content, or a new file', async () => {
    const before = await buildHash(['npm install x'], dir);
    expect(await buildHash(['npm install y'], dir)).not.toBe(before);
    await writeFile(join(dir, 'lib', 'util.js'), 'c');
    const edited = await buildHash(['npm install x'], dir);
    expect(edited).not.toBe(before);
    await writeFile(join(dir, 'new.txt'), '');
    expect(await buildHash(['npm install x'], dir)).not.toBe(edited);
  });
});
