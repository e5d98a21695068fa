import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { buildFunctionImage } from '@nucleon/builder';
import { loadFunctionConfig } from '@nucleon/processor';

/** Function images for the platform's tests, made by the real image builder from a few files. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** A function image to build: its files, function.yaml included. */
export interface TestFunction {
  files: Record<string, string>;
}

/** Images built for one test file; `remove` deletes every one of them. */
export interface TestImages {
  functionImage(label: string, fn: TestFunction): Promise<string>;
  remove(): Promise<void>;
}

/** The workspace's installed packages, as the CLI finds them. */
function locate(name: string): string | undefined {
  for (const base of [join(REPO_ROOT, 'packages/cli/node_modules'), join(REPO_ROOT, 'node_modules')]) {
    if (existsSync(join(base, name, 'package.json'))) return realpathSync(join(base, name));
  }
  return undefined;
}

export async function prepareTestImages(): Promise<TestImages> {
  const docker = new Docker();
  const runId = randomBytes(4).toString('hex');
  const images: string[] = [];
  const dirs: string[] = [];
  return {
    async functionImage(label, fn) {
      const dir = await mkdtemp(join(tmpdir(), `nucleon-dk-${label}-`));
      dirs.push(dir);
      for (const [file, text] of Object.entries(fn.files)) await writeFile(join(dir, file), text);
      const { config } = loadFunctionConfig({ file: join(dir, 'function.yaml') });
      const tag = `nucleon-test/dk-${label}-${runId}:latest`;
      images.push(tag);
      await buildFunctionImage({ docker, config, functionDir: dir, tag, locate });
      return tag;
    },
    async remove() {
      for (const image of images) await docker.getImage(image).remove({ force: true }).catch(() => undefined);
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    },
  };
}
