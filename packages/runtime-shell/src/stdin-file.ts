import { randomBytes } from 'node:crypto';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Hands an event body to a handler as a file rather than through a Node pipe. Node connects
 * a child's stdio with socket pairs, and a socket cannot be reopened: `rev /dev/stdin`, the
 * example in Nuclio's shell docs, fails with ENXIO. A file reads the same through stdin and
 * /dev/stdin alike. It is created exclusively (0600, random name, so no symlink is followed)
 * and unlinked as soon as it is open, so nothing is left behind even if the processor dies.
 * Returns a read handle at the start of the body; the caller closes it once the child has it.
 */
export async function openBodyAsStdin(body: Buffer, dir = tmpdir()): Promise<FileHandle> {
  const path = join(dir, `nucleon-shell-stdin-${process.pid}-${randomBytes(8).toString('hex')}`);
  const writer = await open(path, 'wx', 0o600);
  try {
    await writer.writeFile(body);
    return await open(path, 'r');
  } finally {
    await writer.close();
    await unlink(path).catch(() => undefined);
  }
}
