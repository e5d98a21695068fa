import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFunctionImage, openDocker, pushImage } from '@nucleon/builder';
import { validateFunctionConfig } from '@nucleon/core';

const ROOT = fileURLToPath(new URL('../../../../..', import.meta.url));

/**
 * A handler that says which processor answered: `started` differs for each process, so a test
 * can tell a woken pod from the one that ran before the zero.
 */
const HANDLER = `const started = Date.now() + '-' + process.pid;
export async function handler(context, event) {
  return { message: 'hello', started };
}
`;

/** The workspace's own packages, as the builder copies them into the image (their built dist). */
function locateWorkspacePackage(name: string): string | undefined {
  if (!name.startsWith('@nucleon/')) return undefined;
  const dir = join(ROOT, 'packages', name.slice('@nucleon/'.length));
  return existsSync(join(dir, 'package.json')) ? realpathSync(dir) : undefined;
}

/**
 * Builds a real function image (the processor, the Node runtime and the HTTP trigger from this
 * workspace, on the builder's local base image) in the Docker engine and pushes it to the
 * local registry the cluster pulls from. Returns the reference pods run.
 */
export async function pushTestFunctionImage(registry = process.env.NUCLEON_REGISTRY ?? '127.0.0.1:5000'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nucleon-kube-fn-'));
  try {
    await writeFile(join(dir, 'main.js'), HANDLER);
    const { config } = validateFunctionConfig({ metadata: { name: 'kube-test' }, spec: { runtime: 'nodejs', handler: 'main:handler' } });
    const docker = await openDocker();
    const built = await buildFunctionImage({ docker, config, functionDir: dir, tag: 'nucleon-test/kube-function:latest', locate: locateWorkspacePackage });
    const reference = `${registry}/nucleon-test/kube-function:${built.id.replace(/^sha256:/, '').slice(0, 12)}`;
    await pushImage({ docker, image: built.image, reference });
    return reference;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
