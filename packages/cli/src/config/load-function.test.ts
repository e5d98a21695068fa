import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../errors.js';
import { formatWarnings, loadFunction } from './load-function.js';
import type { FunctionFlags } from './function-flags.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nucleon-load-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function folder(name: string, yaml?: string): Promise<string> {
  const path = join(dir, name);
  await mkdir(path, { recursive: true });
  if (yaml !== undefined) await writeFile(join(path, 'function.yaml'), yaml);
  await writeFile(join(path, 'main.js'), 'export const handler = () => "ok";\n');
  return path;
}

function exitOf(flags: FunctionFlags): number {
  try {
    loadFunction(flags, dir);
  } catch (err) {
    return exitCodeFor(err);
  }
  return 0;
}

describe('loadFunction', () => {
  it('reads <dir>/function.yaml and names an unnamed function after the directory', async () => {
    await folder('My_Echo', 'spec:\n  runtime: nodejs\n  handler: main:handler\n');
    const loaded = loadFunction({ path: 'My_Echo' }, dir);
    expect(loaded.config.metadata.name).toBe('my-echo');
    expect(loaded.functionDir).toBe(join(dir, 'My_Echo'));
    expect(loaded.source).toBe(join(dir, 'My_Echo', 'function.yaml'));
  });

  it('runs a single handler file without function.yaml, inferring runtime, handler and name', async () => {
    await writeFile(join(dir, 'Resize_Image.ts'), 'export const handler = () => 1;\n');
    const { config, functionDir } = loadFunction({ path: 'Resize_Image.ts' }, dir);
    expect(config.metadata.name).toBe('resize-image');
    expect(config.spec).toMatchObject({ runtime: 'typescript', handler: 'Resize_Image:handler' });
    expect(functionDir).toBe(dir);
  });

  it('applies flags over the file: runtime, handler, env, triggers and name', async () => {
    await folder('f', 'metadata:\n  name: f\nspec:\n  runtime: nodejs\n  env:\n    - name: A\n      value: file\n');
    const { config } = loadFunction({
      path: 'f', handler: 'main:other', runtime: 'typescript', env: ['A=flag'], name: 'renamed',
      triggers: '{"web":{"kind":"http","attributes":{"port":0}}}',
    }, dir);
    expect(config.metadata.name).toBe('renamed');
    expect(config.spec).toMatchObject({ runtime: 'typescript', handler: 'main:other', env: [{ name: 'A', value: 'flag' }] });
    expect(Object.keys(config.spec.triggers)).toEqual(['web']);
  });

  it('takes -f for the configuration and the directory of that file for the code', async () => {
    const path = await folder('code');
    await writeFile(join(dir, 'other.yaml'), 'metadata:\n  name: other\nspec:\n  runtime: nodejs\n');
    expect(loadFunction({ path, file: 'other.yaml' }, dir)).toMatchObject({ functionDir: path, config: { metadata: { name: 'other' } } });
    expect(loadFunction({ file: 'other.yaml' }, dir).functionDir).toBe(dir);
  });

  it('gives exit 4 for invalid configuration and parse errors, with paths', async () => {
    await folder('bad', 'metadata:\n  name: Bad_Name\nspec:\n  runtime: nodejs\n');
    expect(exitOf({ path: 'bad' })).toBe(4);
    expect(() => loadFunction({ path: 'bad' }, dir)).toThrow(/metadata\.name/);
    await folder('unparsable', 'spec: [\n');
    expect(exitOf({ path: 'unparsable' })).toBe(4);
    await folder('trig', 'spec:\n  runtime: nodejs\n');
    expect(() => loadFunction({ path: 'trig', triggers: '{"t":{"numWorkers":0}}' }, dir)).toThrow(/spec\.triggers\.t\.kind: is required/);
    expect(exitOf({ path: 'trig', triggers: '{"t":{"numWorkers":0}}' })).toBe(4);
  });

  it('gives exit 2 for unusable flags and 4 for a missing path or an unknown file type', async () => {
    await folder('ok', 'spec:\n  runtime: nodejs\n');
    expect(exitOf({ path: 'ok', triggers: 'not json' })).toBe(2);
    expect(exitOf({ path: 'ok', env: ['NOEQUALS'] })).toBe(2);
    expect(exitOf({ path: 'nowhere' })).toBe(4);
    await writeFile(join(dir, 'script.py'), 'def handler(c, e): pass\n');
    expect(() => loadFunction({ path: 'script.py' }, dir)).toThrow(/cannot tell the runtime.*pass --runtime/);
    expect(loadFunction({ path: 'script.py', runtime: 'python:3.11' }, dir).config.spec.handler).toBe('script:handler');
  });

  it('returns warnings for unknown fields, formatted for stderr', async () => {
    await folder('w', 'spec:\n  runtime: nodejs\n  loggerSinks: []\n  colour: blue\n');
    const { warnings } = loadFunction({ path: 'w' }, dir);
    expect(formatWarnings(warnings)).toBe(
      'warning: spec.loggerSinks: Nuclio field not supported by Nucleon yet, ignored\nwarning: spec.colour: unknown field, ignored\n');
  });
});
