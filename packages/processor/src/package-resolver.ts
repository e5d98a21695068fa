import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Finds an installed package's ESM entry file by walking up `node_modules` folders from each
 * base directory, as Node does, but reading the `exports` map with the `import` condition so
 * ESM-only packages resolve too (createRequire().resolve would demand a `require` entry).
 * Returns the entry file and the package folder, or undefined when not installed anywhere.
 */
export function resolvePackageEntry(name: string, bases: readonly string[]): { entry: string; dir: string } | undefined {
  for (const base of bases) {
    for (let dir = resolve(base); ; dir = dirname(dir)) {
      const pkgDir = join(dir, 'node_modules', name);
      const manifest = join(pkgDir, 'package.json');
      if (existsSync(manifest)) {
        const entry = entryOf(pkgDir, JSON.parse(readFileSync(manifest, 'utf8')) as PackageManifest);
        if (entry) return { entry, dir: pkgDir };
      }
      if (dirname(dir) === dir) break;
    }
  }
  return undefined;
}

interface PackageManifest {
  exports?: unknown;
  module?: string;
  main?: string;
}

const CONDITIONS = ['import', 'node', 'default'];

function entryOf(pkgDir: string, manifest: PackageManifest): string | undefined {
  const root = rootExport(manifest.exports);
  const target = root === undefined ? undefined : pickCondition(root);
  const relative = target ?? manifest.module ?? manifest.main ?? 'index.js';
  const file = join(pkgDir, relative);
  return existsSync(file) ? file : undefined;
}

function rootExport(exports: unknown): unknown {
  if (exports === undefined || typeof exports === 'string' || Array.isArray(exports)) return exports;
  if (exports !== null && typeof exports === 'object') {
    const map = exports as Record<string, unknown>;
    return Object.keys(map).some((k) => k.startsWith('.')) ? map['.'] : map;
  }
  return undefined;
}

function pickCondition(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const picked = pickCondition(t);
      if (picked) return picked;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target as Record<string, unknown>)) {
      if (CONDITIONS.includes(condition)) {
        const picked = pickCondition(value);
        if (picked) return picked;
      }
    }
  }
  return undefined;
}
