import { createError, ErrorCodes, sleep } from '@nucleon/core';
import { statusCodeOf, type ClusterClient } from './cluster-client.js';
import { podSelector } from './function-resource.js';

/** How long `delete` waits for the resource and its pods to go. */
export const DELETE_TIMEOUT_MS = 90_000;

/**
 * Deletes the NuclioFunction in the foreground (Kubernetes' garbage collector removes the
 * ConfigMap, Deployment, Service, autoscaler and ingress it owns first) and waits until the
 * resource and every pod of the function are gone, with a progress line per change.
 * Returns false when there was no such function.
 */
export async function deleteFunction(
  client: ClusterClient, namespace: string, name: string, progress: (line: string) => void, timeoutMs = DELETE_TIMEOUT_MS, intervalMs = 500,
): Promise<boolean> {
  try {
    await client.deleteFunction(namespace, name);
  } catch (err) {
    if (statusCodeOf(err) === 404) return false;
    throw err;
  }
  progress(`deleting NuclioFunction ${namespace}/${name} and what it owns (foreground)`);
  const until = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const [resource, pods] = await Promise.all([client.getFunction(namespace, name), client.listPods(namespace, podSelector(name))]);
    if (!resource && pods.length === 0) {
      progress('deleted');
      return true;
    }
    const line = `${resource ? 'NuclioFunction still there (its dependents are being removed)' : 'NuclioFunction gone'}, ${pods.length} pod${pods.length === 1 ? '' : 's'} left`;
    if (line !== last) progress((last = line));
    if (Date.now() >= until) {
      throw createError(ErrorCodes.DEPLOY_FAILED,
        `deleting function "${name}" in ${namespace}: still ${line.toLowerCase()} after ${timeoutMs / 1000} s (is kube-controller-manager running? it garbage-collects the owned objects)`);
    }
    await sleep(intervalMs);
  }
}
