import { cp, lstat, mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import { resolveInsideFunction } from '@nucleon/core';

/** What never belongs in an image's code layer. */
const LEFT_OUT = ['node_modules', '.git'];

/**
 * Copies the handler folder into a build context, without `node_modules` and `.git`. The
 * context is packed with links followed, so a symbolic link in the folder that leads outside
 * it would bake its target (say `/etc/shadow`, or the deployer's `~/.ssh`) into the image:
 * such a link is refused with NUCLEON_ERR_PATH_OUTSIDE_FUNCTION before anything is copied
 * from it. Links that stay inside the folder are fine.
 */
export async function copyFunction(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  await cp(from, to, {
    recursive: true,
    filter: async (path) => {
      if (LEFT_OUT.includes(basename(path))) return false;
      if ((await lstat(path)).isSymbolicLink()) resolveInsideFunction(path, from, 'file');
      return true;
    },
  });
}
