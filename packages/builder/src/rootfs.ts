import { execFile } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Assembles a minimal root filesystem in a folder, from what this machine already has: no
 * registry, no distribution mirror. A binary is copied with every shared library `ldd` lists
 * for it, at the same paths, so it runs the same inside the image.
 */
export class RootFs {
  constructor(readonly dir: string) {}

  /** The folders and files every image needs: /tmp, /etc/passwd, /etc/group, /etc/hosts. */
  async skeleton(): Promise<void> {
    for (const d of ['tmp', 'etc', 'bin', 'usr/bin', 'usr/local/bin', 'root', 'opt/nucleon']) await mkdir(join(this.dir, d), { recursive: true });
    await chmod(join(this.dir, 'tmp'), 0o1777);
    await writeFile(join(this.dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
    await writeFile(join(this.dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
    await writeFile(join(this.dir, 'etc/hosts'), '127.0.0.1 localhost\n::1 localhost\n');
  }

  /** Copies an executable to `target` (inside the tree) with the shared libraries it links. */
  async binary(source: string, target: string): Promise<void> {
    await this.file(source, target);
    await chmod(join(this.dir, target), 0o755);
    for (const lib of await sharedLibraries(source)) await this.file(lib, lib);
  }

  /** Copies the shared libraries a library or extension module links (Python's lib-dynload needs libz, libssl...). */
  async librariesOf(sources: readonly string[]): Promise<void> {
    const libs = new Set<string>();
    for (const source of sources) for (const lib of await sharedLibraries(source)) libs.add(lib);
    for (const lib of libs) await this.file(lib, lib);
  }

  /** Copies a file (dereferencing links) to the same or another path inside the tree. */
  async file(source: string, target: string): Promise<void> {
    await mkdir(dirname(join(this.dir, target)), { recursive: true });
    await copyFile(source, join(this.dir, target));
  }

  /** Copies a folder tree, skipping what `skip` matches (test suites, caches). */
  async folder(source: string, target: string, skip: (path: string) => boolean = () => false): Promise<void> {
    await cp(source, join(this.dir, target), { recursive: true, dereference: true, filter: (path) => !skip(path) });
  }

  /** Links each applet name in /bin to busybox, so `/bin/sh`, `ls`, `mkdir`... exist. */
  async busybox(binary: string): Promise<void> {
    await this.binary(binary, '/bin/busybox');
    const { stdout } = await run(binary, ['--list']);
    const present = new Set(await readdir(join(this.dir, 'bin')));
    for (const applet of stdout.split('\n').map((a) => a.trim()).filter((a) => a && a !== 'busybox')) {
      if (!present.has(applet)) await symlink('busybox', join(this.dir, 'bin', applet));
    }
  }
}

/** The absolute paths of the shared libraries (and the loader) an executable needs, from `ldd`. */
async function sharedLibraries(binary: string): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('ldd', [binary]));
  } catch (err) {
    // A static binary: ldd says "not a dynamic executable" and fails.
    if (/not a dynamic executable|statically linked/.test(String((err as { stderr?: string }).stderr ?? err))) return [];
    throw err;
  }
  const libs = new Set<string>();
  for (const line of stdout.split('\n')) {
    const match = /(\/[^\s]+)\s+\(0x/.exec(line);
    if (match?.[1]) libs.add(match[1]);
  }
  return [...libs];
}
