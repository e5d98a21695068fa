import { basename, dirname, extname, resolve } from 'node:path';

/**
 * The name of a function that has no `metadata.name`: its directory or file name without
 * the extension, lowercased, with every run of characters other than a-z, 0-9 and '-'
 * replaced by '-' (`./My_Func.js` -> `my-func`). A function.yaml is named after its folder.
 */
export function nameFromPath(path: string): string {
  const abs = resolve(path);
  const base = /\.(ya?ml|json)$/i.test(abs) ? basename(dirname(abs)) : basename(abs, extname(abs));
  const name = base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return name || 'function';
}

/** Runtime implied by a handler file's extension, when it implies one. */
export function runtimeForFile(file: string): string | undefined {
  const ext = extname(file).toLowerCase();
  if (['.js', '.mjs', '.cjs'].includes(ext)) return 'nodejs';
  if (['.ts', '.mts', '.cts'].includes(ext)) return 'typescript';
  return undefined;
}

/** `<basename>:handler` for a single handler file (`hello.ts` -> `hello:handler`). */
export function handlerForFile(file: string): string {
  return `${basename(file, extname(file))}:handler`;
}
