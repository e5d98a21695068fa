import type { NuclioFunctionResource } from './resource.js';

/** A stored NuclioFunction (uid, generation) with `spec` over a minimal valid one. Tests only. */
export function storedResource(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): NuclioFunctionResource {
  return {
    apiVersion: 'nuclio.io/v1beta1',
    kind: 'NuclioFunction',
    metadata: {
      name: 'hello', namespace: 'fns', uid: '6c1f3d2e-0000-4000-8000-000000000001', generation: 1, resourceVersion: '100',
      labels: { team: 'a' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      ...metadata,
    },
    spec: { runtime: 'nodejs', handler: 'main:handler', image: '127.0.0.1:5000/hello:1', ...spec },
  };
}
