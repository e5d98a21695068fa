import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolvePackageEntry } from './package-resolver.js';

const root = mkdtempSync(join(tmpdir(), 'nucleon-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `node_modules/<name>` under `base` with the given manifest and files. */
function installPackage(base: string, name: string, manifest: object, files: Record<string, string> = { 'index.js': '' }): string {
  const dir = join(root, base, 'node_modules', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, ...manifest }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

const at = (...parts: string[]) => join(root, ...parts);

describe('resolvePackageEntry: entry files', () => {
  it('picks the import condition of an ESM-only exports map', () => {
    const dir = installPackage('esm', 'esm-only', { exports: { '.': { import: './dist/index.mjs' } } }, { 'dist/index.mjs': '' });
    expect(resolvePackageEntry('esm-only', [at('esm')])).toEqual({ entry: join(dir, 'dist/index.mjs'), dir });
  });

  it('prefers import over require in a conditions map without a "." key', () => {
    const dir = installPackage('cond', 'dual', { exports: { require: './index.cjs', import: './index.mjs' } }, { 'index.cjs': '', 'index.mjs': '' });
    expect(resolvePackageEntry('dual', [at('cond')])?.entry).toBe(join(dir, 'index.mjs'));
  });

  it('follows nested conditions and a string exports', () => {
    const nested = installPackage('nest', 'nested', { exports: { '.': { node: { import: './node.mjs' }, default: './other.js' } } }, { 'node.mjs': '' });
    expect(resolvePackageEntry('nested', [at('nest')])?.entry).toBe(join(nested, 'node.mjs'));
    const plain = installPackage('str', 'stringy', { exports: './lib/main.js' }, { 'lib/main.js': '' });
    expect(resolvePackageEntry('stringy', [at('str')])?.entry).toBe(join(plain, 'lib/main.js'));
  });

  it('falls back to module, then main, then index.js', () => {
    const withModule = installPackage('fb', 'with-module', { module: './m.mjs', main: './c.js' }, { 'm.mjs': '', 'c.js': '' });
    expect(resolvePackageEntry('with-module', [at('fb')])?.entry).toBe(join(withModule, 'm.mjs'));
    const mainOnly = installPackage('fb', 'main-only', { main: 'lib/entry.js' }, { 'lib/entry.js': '' });
    expect(resolvePackageEntry('main-only', [at('fb')])?.entry).toBe(join(mainOnly, 'lib/entry.js'));
    const bare = installPackage('fb', 'bare', {});
    expect(resolvePackageEntry('bare', [at('fb')])?.entry).toBe(join(bare, 'index.js'));
  });

  it('resolves a scoped package', () => {
    const dir = installPackage('scoped', '@x/y', { exports: { '.': { types: './y.d.ts', import: './y.mjs' } } }, { 'y.mjs': '' });
    expect(resolvePackageEntry('@x/y', [at('scoped')])).toEqual({ entry: join(dir, 'y.mjs'), dir });
  });
});

describe('resolvePackageEntry: where it looks', () => {
  it('walks up from a nested base directory to the nearest node_modules', () => {
    const dir = installPackage('walk', 'up-there', {});
    const deep = at('walk', 'functions', 'hello', 'src');
    mkdirSync(deep, { recursive: true });
    expect(resolvePackageEntry('up-there', [deep])?.dir).toBe(dir);
  });

  it('prefers the nearest copy over one higher up', () => {
    installPackage('near', 'shadowed', {});
    const nearer = installPackage('near/fn', 'shadowed', {});
    expect(resolvePackageEntry('shadowed', [at('near', 'fn')])?.dir).toBe(nearer);
  });

  it('tries the search paths in order and takes the first that has the package', () => {
    const first = installPackage('order-a', 'in-both', {});
    const second = installPackage('order-b', 'in-both', {});
    installPackage('order-b', 'only-b', {});
    expect(resolvePackageEntry('in-both', [at('order-a'), at('order-b')])?.dir).toBe(first);
    expect(resolvePackageEntry('in-both', [at('order-b'), at('order-a')])?.dir).toBe(second);
    expect(resolvePackageEntry('only-b', [at('order-a'), at('order-b')])?.dir).toBe(join(root, 'order-b', 'node_modules', 'only-b'));
  });

  it('skips a copy whose entry file is missing and keeps looking', () => {
    installPackage('skip/fn', 'half-installed', { main: './gone.js' }, {});
    const whole = installPackage('skip', 'half-installed', {});
    expect(resolvePackageEntry('half-installed', [at('skip', 'fn')])?.dir).toBe(whole);
  });

  it('returns undefined when no search path has it', () => {
    expect(resolvePackageEntry('nucleon-test-surely-not-installed', [at('order-a'), at('walk')])).toBeUndefined();
    expect(resolvePackageEntry('anything', [])).toBeUndefined();
  });
});
