import { basename, extname } from 'node:path';

/** The processor names a function without metadata.name the same way; one rule for both. */
export { nameFromPath } from '@nucleon/processor';

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
