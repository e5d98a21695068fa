import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { createError, ErrorCodes } from '@nucleon/core';
import { RootFs } from './rootfs.js';
import { cacheDir } from './paths.js';

const run = promisify(execFile);

/** A base image kind: what a runtime needs besides the processor's Node.js. */
export type BaseKind = 'node' | 'python';

const NODE_VERSION = process.versions.node;

/** The tag of the locally assembled base image of a kind, for this Node.js version. */
export function baseImageTag(kind: BaseKind): string {
  return kind === 'node' ? `nucleon/base-node:${NODE_VERSION}` : `nucleon/base-python:node${NODE_VERSION}`;
}

/** Which base a runtime builds on (spec.build.baseImage overrides it). */
export function baseKindOf(runtime: string): BaseKind {
  return runtime.split(':')[0] === 'python' ? 'python' : 'node';
}

export interface BootstrapOptions {
  docker: Docker;
  kinds: readonly BaseKind[];
  /** Rebuild even when the image exists. */
  force?: boolean;
  progress?: (line: string) => void;
}

/**
 * Assembles the base images locally and imports them (`docker import`): a minimal tree with
 * busybox (a shell and core tools, from Debian's busybox-static package), the Node.js binary
 * running this CLI and its shared libraries, and for `python` the local Python 3 with its
 * standard library. Nothing is pulled from a registry, so this works behind an air gap; point
 * `spec.build.baseImage` at your own image to use another base.
 */
export async function bootstrapBaseImages(options: BootstrapOptions): Promise<string[]> {
  const progress = options.progress ?? (() => undefined);
  const tags: string[] = [];
  for (const kind of options.kinds) {
    const python = kind === 'python' ? await localPython() : undefined;
    const tag = baseImageTag(kind);
    tags.push(tag);
    if (!options.force && await imageExists(options.docker, tag)) {
      progress(`${tag}: present`);
      continue;
    }
    const started = Date.now();
    const dir = await mkdtemp(join(tmpdir(), 'nucleon-rootfs-'));
    try {
      const fs = new RootFs(dir);
      await fs.skeleton();
      progress(`${tag}: busybox`);
      await fs.busybox(await busyboxBinary());
      progress(`${tag}: node ${NODE_VERSION} (${process.execPath})`);
      await fs.binary(process.execPath, '/usr/local/bin/node');
      if (python) {
        progress(`${tag}: python ${python.version} (${python.executable})`);
        await fs.binary(python.executable, '/usr/local/bin/python3');
        // Python finds its standard library relative to its binary: /usr/local/lib/pythonX.Y.
        await fs.folder(python.stdlib, `/usr/local/lib/python${python.short}`, (p) =>
          p.includes(`${sep}__pycache__`) || /[\\/](test|idlelib|tkinter|turtledemo|ensurepip)([\\/]|$)/.test(p.slice(python.stdlib.length)));
        const dynload = join(python.stdlib, 'lib-dynload');
        if (existsSync(dynload)) {
          await fs.librariesOf((await readdir(dynload)).filter((f) => f.endsWith('.so')).map((f) => join(dynload, f)));
        }
      }
      progress(`${tag}: importing`);
      await importTree(options.docker, dir, tag, python ? [`LABEL io.nucleon.python=${python.version}`] : []);
      progress(`${tag}: ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return tags;
}

export async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

async function importTree(docker: Docker, dir: string, tag: string, extra: readonly string[]): Promise<void> {
  const [repo, version] = tag.split(':') as [string, string];
  const stream = await docker.importImage(pack(dir) as unknown as NodeJS.ReadableStream, {
    repo, tag: version, changes: ['ENV PATH=/usr/local/bin:/usr/bin:/bin', 'ENV HOME=/root', 'WORKDIR /', `LABEL io.nucleon.node=${NODE_VERSION}`, ...extra],
  } as unknown as Record<string, unknown>);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** busybox from Debian's busybox-static package, downloaded once into the cache. */
async function busyboxBinary(): Promise<string> {
  const dir = join(cacheDir(), 'busybox');
  const binary = join(dir, 'bin', 'busybox');
  if (existsSync(binary)) return binary;
  await mkdir(dir, { recursive: true });
  try {
    await run('apt-get', ['download', 'busybox-static'], { cwd: dir });
    const deb = (await readdir(dir)).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error('apt-get download produced no .deb');
    await run('dpkg-deb', ['-x', join(dir, deb), dir]);
  } catch (err) {
    throw createError(ErrorCodes.BUILD_FAILED,
      `cannot get busybox for the base image (apt-get download busybox-static): ${(err as Error).message}`, { cause: err });
  }
  if (!existsSync(binary)) throw createError(ErrorCodes.BUILD_FAILED, `busybox-static did not contain ${binary}`);
  return binary;
}

interface LocalPython { executable: string; stdlib: string; version: string; short: string }

/** The real python3 binary (not a pyenv shim) and its standard library. */
async function localPython(): Promise<LocalPython> {
  try {
    const { stdout } = await run('python3', ['-c',
      'import sys, sysconfig; print(sys.executable); print(sysconfig.get_paths()["stdlib"]); print("%d.%d.%d" % sys.version_info[:3])']);
    const [executable, stdlib, version] = stdout.trim().split('\n') as [string, string, string];
    return { executable, stdlib, version, short: version.split('.').slice(0, 2).join('.') };
  } catch (err) {
    throw createError(ErrorCodes.BUILD_FAILED, `the python base image needs python3 on this machine: ${(err as Error).message}`, { cause: err });
  }
}
