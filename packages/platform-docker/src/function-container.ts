import type { ContainerInspectInfo } from 'dockerode';
import { containerName, zeroName } from './container-names.js';
import { inspectOrUndefined, type DockerClient } from './docker-client.js';
import { readLabels, type FunctionLabels } from './labels.js';

/** A function's settled container: `serving` is `nucleon-<name>` (up, or stopped by hand), `zero` is `nucleon-<name>.zero`. */
export interface FunctionContainer {
  info: ContainerInspectInfo;
  labels: FunctionLabels;
  role: 'serving' | 'zero';
}

/**
 * The container that stands for the function, whatever its scale: `nucleon-<name>` first (it
 * wins over a `.zero` left by a deploy that died before removing it), else `nucleon-<name>.zero`.
 * A container of that name without the function's label is someone else's: undefined.
 */
export async function findFunctionContainer(docker: DockerClient, name: string): Promise<FunctionContainer | undefined> {
  const serving = await inspectOrUndefined(docker, containerName(name));
  if (serving) {
    const labels = readLabels(serving.Config.Labels);
    return labels?.name === name ? { info: serving, labels, role: 'serving' } : undefined;
  }
  const zero = await inspectOrUndefined(docker, zeroName(name));
  const labels = zero && readLabels(zero.Config.Labels);
  return zero && labels?.name === name ? { info: zero, labels, role: 'zero' } : undefined;
}
