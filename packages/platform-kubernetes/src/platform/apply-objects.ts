import type { KubernetesObject, V1CustomResourceDefinition, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { createError, ErrorCodes, sleep } from '@nucleon/core';
import type { ObjectClient } from './object-client.js';
import { podsLine } from './pod-summary.js';

/** `Kind namespace/name`, or `Kind name` for a cluster-scoped object. */
export function describeObject(object: KubernetesObject): string {
  const { name, namespace } = object.metadata ?? {};
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/**
 * Creates each object, or replaces it (with its current resourceVersion) when it exists,
 * in order, with a progress line each: `applied <Kind> <ns/name> (created|updated)`.
 */
export async function applyObjects(client: ObjectClient, objects: readonly KubernetesObject[], progress: (line: string) => void): Promise<void> {
  for (const object of objects) {
    const current = await client.read(object);
    let outcome = 'created';
    if (!current) {
      await client.create(object);
    } else if (object.kind === 'Namespace') {
      // A Namespace has nothing of ours to change, and its spec (finalizers) is not ours to replace.
      outcome = 'exists';
    } else {
      await client.replace({ ...object, metadata: { ...object.metadata, resourceVersion: current.metadata?.resourceVersion } } as KubernetesObject);
      outcome = 'updated';
    }
    progress(`applied ${describeObject(object)} (${outcome})`);
  }
}

/** Deletes the objects, last first; progress says which were there. */
export async function removeObjects(client: ObjectClient, objects: readonly KubernetesObject[], progress: (line: string) => void): Promise<void> {
  for (const object of [...objects].reverse()) {
    const deleted = await client.delete(object);
    progress(`${deleted ? 'deleted' : 'not there:'} ${describeObject(object)}`);
  }
}

/** Waits until the API server serves the CRD (its Established condition). */
export async function waitCrdEstablished(client: ObjectClient, crd: V1CustomResourceDefinition, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const current = await client.read<V1CustomResourceDefinition>(crd);
    if (current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    if (Date.now() >= until) throw createError(ErrorCodes.DEPLOY_FAILED, `the CRD ${crd.metadata?.name} was not established within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/**
 * Waits until a Deployment has rolled out (`observedGeneration` current, every replica
 * updated and ready), with a progress line per change of its pods.
 */
export async function waitDeploymentReady(
  client: ObjectClient, deployment: V1Deployment, listPods: () => Promise<V1Pod[]>, progress: (line: string) => void,
  timeoutMs = 120_000, intervalMs = 500,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const current = await client.read<V1Deployment>(deployment);
    const wanted = current?.spec?.replicas ?? 1;
    const status = current?.status;
    if (current && (status?.observedGeneration ?? 0) >= (current.metadata?.generation ?? 1) &&
      (status?.updatedReplicas ?? 0) >= wanted && (status?.readyReplicas ?? 0) >= wanted && (status?.replicas ?? 0) <= wanted) {
      return;
    }
    const line = podsLine(await listPods(), wanted);
    if (line !== last) progress((last = line));
    if (Date.now() >= until) {
      throw createError(ErrorCodes.DEPLOY_FAILED, `${describeObject(deployment)} was not ready within ${timeoutMs / 1000} s (${line})`);
    }
    await sleep(intervalMs);
  }
}
