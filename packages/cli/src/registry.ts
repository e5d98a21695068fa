import type { openDocker } from '@nucleon/builder';
import { usageError } from './errors.js';

/** The local registry `scripts/services/kubernetes.sh` runs, which the cluster's containerd pulls from. */
export const DEFAULT_REGISTRY = '127.0.0.1:5000';

/** nuctl's `-r/--registry` (where images are pushed) and `--run-registry` (where the cluster pulls them). */
export interface RegistryOptionValues {
  registry?: string;
  runRegistry?: string;
}

/** Where to push and where pods pull from: the flags, else `NUCLEON_REGISTRY`, else the local registry. */
export function registries(opts: RegistryOptionValues, env: NodeJS.ProcessEnv = process.env): { push: string; run: string } {
  const push = trimSlash(opts.registry ?? env.NUCLEON_REGISTRY ?? DEFAULT_REGISTRY);
  return { push, run: trimSlash(opts.runRegistry ?? push) };
}

/** Refuses the registry flags on platforms that do not pull from a registry. */
export function checkRegistryFlags(opts: RegistryOptionValues, platform: string): void {
  if (platform === 'kube') return;
  if (opts.registry !== undefined) throw usageError('--registry is for --platform kube (the cluster pulls images from a registry)');
  if (opts.runRegistry !== undefined) throw usageError('--run-registry is for --platform kube (the cluster pulls images from a registry)');
}

/**
 * `<registry>/nucleon/<name>:<content tag>`: the tag is the image id's first 12 hex digits,
 * so it changes exactly when the image does and the Deployment rolls on every real change.
 */
export function functionImageReference(registry: string, name: string, imageId: string): string {
  return `${registry}/nucleon/${name}:${imageId.replace(/^sha256:/, '').slice(0, 12)}`;
}

/** Tags the built image for the registry and pushes it; resolves with the reference pods pull. */
export async function pushFunctionImage(
  docker: Awaited<ReturnType<typeof openDocker>>, built: { image: string; id: string }, name: string, opts: RegistryOptionValues, progress: (line: string) => void,
): Promise<string> {
  const { push, run } = registries(opts);
  const reference = functionImageReference(push, name, built.id);
  const { pushImage } = await import('@nucleon/builder');
  await pushImage({ docker, image: built.image, reference, progress });
  return functionImageReference(run, name, built.id);
}

function trimSlash(registry: string): string {
  return registry.replace(/\/+$/, '');
}
