import type { FunctionObjects } from '../function-objects.js';
import type { KubeObject } from '../kube-client.js';
import type { FunctionObject } from '../reconciler.js';
import { FUNCTIONS, apiVersionOf } from '../kube-resources.js';

/**
 * Simple stand-ins for `src/objects/`: a function's spec `{ image, env?, hpa?, invalid? }`
 * becomes a ConfigMap with its env, a Deployment with its image, a Service, and an HPA when
 * `hpa` is set; ports count up from 30000; the status is `ready` once the Deployment reports
 * a ready replica, else `building`.
 */
export function fakeObjects(): FunctionObjects {
  return {
    configOf: (resource) => resource.spec.invalid
      ? { problems: [{ path: 'spec.invalid', message: 'invalid on purpose' }], warnings: [] }
      : { config: { spec: resource.spec } as never, problems: [], warnings: [] },
    portsInUse: (resources, exceptUid) => new Set(resources.filter((r) => r.metadata.uid !== exceptUid)
      .flatMap((r) => [r.status?.httpPort, r.status?.adminPort]).filter((p): p is number => p !== undefined)),
    choosePorts: (resource, _config, taken) => {
      if (resource.status?.httpPort && resource.status.adminPort) return { http: resource.status.httpPort, admin: resource.status.adminPort };
      let port = 30000;
      while (taken.has(port) || taken.has(port + 1)) port += 2;
      return { http: port, admin: port + 1 };
    },
    desiredObjects: (resource, config, ports) => {
      const name = `nuclio-${resource.metadata.name}`;
      const metadata = {
        name, namespace: resource.metadata.namespace,
        labels: { 'nuclio.io/function-name': resource.metadata.name!, 'app.kubernetes.io/managed-by': 'nucleon' },
        ownerReferences: [{ apiVersion: apiVersionOf(FUNCTIONS), kind: 'NuclioFunction', name: resource.metadata.name!, uid: resource.metadata.uid!, controller: true }],
      };
      const spec = config.spec as unknown as { image: string; env?: Record<string, string>; hpa?: boolean };
      return {
        configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: spec.env ?? {} },
        deployment: { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: 1, template: { spec: { containers: [{ name: 'nuclio', image: spec.image, ports: [{ containerPort: ports.http }] }] } } } as never },
        service: { apiVersion: 'v1', kind: 'Service', metadata, spec: { ports: [{ port: 8080 }] } },
        hpa: spec.hpa ? { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name } } } : undefined,
      };
    },
    differs: (desired, actual) => JSON.stringify(pick(desired, actual)) !== JSON.stringify(desired),
    functionStatus: ({ problems, ports, deployment, resource }) => problems.length > 0
      ? { state: 'error', message: problems.map((p) => `${p.path}: ${p.message}`).join('; '), observedGeneration: resource.metadata.generation }
      : {
        state: (deployment?.status?.readyReplicas ?? 0) > 0 ? 'ready' : 'building',
        httpPort: ports?.http, adminPort: ports?.admin, observedGeneration: resource.metadata.generation,
        conditions: [{ type: 'Ready', status: (deployment?.status?.readyReplicas ?? 0) > 0 ? 'True' : 'False', reason: 'Fake', message: '', lastTransitionTime: new Date().toISOString() }],
      },
  };
}

/** The fields of `actual` that `desired` has (what a desired-fields-only comparison looks at). */
function pick(desired: unknown, actual: unknown): unknown {
  if (desired === null || typeof desired !== 'object' || actual === null || typeof actual !== 'object') return actual;
  if (Array.isArray(desired)) return Array.isArray(actual) ? desired.map((d, i) => pick(d, actual[i])) : actual;
  return Object.fromEntries(Object.keys(desired).map((k) => [k, pick((desired as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k])]));
}

/** A NuclioFunction to create in the fake cluster. */
export function nuclioFunction(namespace: string, name: string, spec: Record<string, unknown>): FunctionObject {
  return { apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', metadata: { name, namespace }, spec } as FunctionObject & KubeObject;
}
