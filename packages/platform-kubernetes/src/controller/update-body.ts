import type { KubeObject } from './kube-client.js';

type Json = Record<string, unknown>;

/**
 * The body of a replace (PUT) of `actual` by `desired`: desired, conditional on actual's
 * resourceVersion, plus what others own on the object and a PUT would otherwise wipe:
 * - a Deployment's `spec.replicas` when desired leaves it out (the HPA scales it; a PUT
 *   without it would reset it to 1);
 * - a Service's allocated `spec.clusterIP`/`clusterIPs` (immutable);
 * - annotations desired does not set (`deployment.kubernetes.io/revision`, those kubectl or
 *   other tools add), so an update does not make their owners write again.
 */
export function updateBody(desired: KubeObject, actual: KubeObject): KubeObject {
  const actualMeta = actual.metadata ?? {};
  const annotations = { ...actualMeta.annotations, ...desired.metadata?.annotations };
  const body: KubeObject = {
    ...desired,
    metadata: {
      ...desired.metadata,
      resourceVersion: actualMeta.resourceVersion,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
  };
  const desiredSpec = desired.spec as Json | undefined;
  const actualSpec = actual.spec as Json | undefined;
  if (!desiredSpec || !actualSpec) return body;
  const spec: Json = { ...desiredSpec };
  if (desired.kind === 'Deployment' && spec.replicas === undefined && actualSpec.replicas !== undefined) spec.replicas = actualSpec.replicas;
  if (desired.kind === 'Service') {
    for (const field of ['clusterIP', 'clusterIPs'] as const) {
      if (spec[field] === undefined && actualSpec[field] !== undefined) spec[field] = actualSpec[field];
    }
  }
  return { ...body, spec };
}
