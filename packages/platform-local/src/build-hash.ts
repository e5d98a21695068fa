import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * A hash of the build commands and every file under `codeDir` (paths and contents, sorted), so a
 * redeploy with the same commands and code reuses the build and any change runs them again.
 */
export async function buildHash(commands: readonly string[], codeDir: string): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(commands));
  for (const file of await listFiles(codeDir)) {
    hash.update(`\0${relative(codeDir, file)}\0`);
    hash.update(await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}
