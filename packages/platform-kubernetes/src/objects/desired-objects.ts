// STAND-IN for Helper B's module of the same name: the main shapes only (GPU limit and
// Recreate, nodeSelector/tolerations passed through, HPA, Ingress), enough to drive the
// controller's tests; replaced by B's file at merge.
import { createHash } from 'node:crypto';
import type { V1ConfigMap, V1Deployment, V1Ingress, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { FunctionConfig } from '@nucleon/core';
import type { FunctionPorts } from './ports.js';
import { FUNCTION_NAME_LABEL, MANAGED_BY_LABEL, MANAGED_BY, type NuclioFunctionResource } from './resource.js';

export interface DesiredObjects {
  configMap: V1ConfigMap;
  deployment: V1Deployment;
  service: V1Service;
  hpa?: V2HorizontalPodAutoscaler;
  ingress?: V1Ingress;
}

export function desiredObjects(resource: NuclioFunctionResource, config: FunctionConfig, ports: FunctionPorts): DesiredObjects {
  const name = `nuclio-${resource.metadata.name}`;
  const namespace = resource.metadata.namespace;
  const labels = { [FUNCTION_NAME_LABEL]: resource.metadata.name!, [MANAGED_BY_LABEL]: MANAGED_BY };
  const metadata = {
    name, namespace, labels,
    ownerReferences: [{ apiVersion: resource.apiVersion, kind: resource.kind, name: resource.metadata.name!, uid: resource.metadata.uid!, controller: true, blockOwnerDeletion: true }],
  };
  const functionYaml = JSON.stringify(config);
  const hash = createHash('sha256').update(functionYaml).digest('hex').slice(0, 16);
  const gpus = Number(config.spec.resources.limits['nvidia.com/gpu'] ?? 0);
  const spec = resource.spec as { nodeSelector?: Record<string, string>; tolerations?: unknown[] };
  const replicas = config.spec.replicas ?? config.spec.minReplicas ?? 1;
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata,
    spec: {
      replicas,
      selector: { matchLabels: { [FUNCTION_NAME_LABEL]: resource.metadata.name! } },
      strategy: gpus > 0 ? { type: 'Recreate' } : { type: 'RollingUpdate' },
      template: {
        metadata: { labels, annotations: { 'nucleon.io/config-hash': hash } },
        spec: {
          hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet',
          ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
          ...(spec.tolerations ? { tolerations: spec.tolerations as never } : {}),
          containers: [{
            name: 'nuclio', image: config.spec.image ?? 'nucleon/unknown', imagePullPolicy: 'IfNotPresent',
            env: [
              ...config.spec.env.map((e) => ({ name: e.name, value: e.value })),
              { name: 'NUCLEON_HTTP_PORT', value: String(ports.http) },
              { name: 'NUCLEON_ADMIN_PORT', value: String(ports.admin) },
            ],
            ports: [{ name: 'http', containerPort: ports.http }, { name: 'admin', containerPort: ports.admin }],
            ...(gpus > 0 ? { resources: { limits: { 'nvidia.com/gpu': String(gpus) } } } : {}),
          }],
        },
      },
    },
  };
  const service: V1Service = {
    apiVersion: 'v1', kind: 'Service', metadata,
    spec: { type: 'ClusterIP', selector: { [FUNCTION_NAME_LABEL]: resource.metadata.name! }, ports: [{ name: 'http', port: 8080, targetPort: ports.http as never }] },
  };
  const min = config.spec.minReplicas;
  const max = config.spec.maxReplicas;
  const hpa: V2HorizontalPodAutoscaler | undefined = min !== undefined && max !== undefined && max > min ? {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata,
    spec: { minReplicas: min, maxReplicas: max, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name } },
  } : undefined;
  const http = Object.values(config.spec.triggers).find((t) => t.kind === 'http');
  const hosts = Object.values((http?.attributes.ingresses ?? {}) as Record<string, { host?: string }>).map((i) => i.host).filter(Boolean) as string[];
  const ingress: V1Ingress | undefined = hosts.length > 0 ? {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata,
    spec: { rules: hosts.map((host) => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 8080 } } } }] } })) },
  } : undefined;
  return { configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'function.yaml': functionYaml } }, deployment, service, hpa, ingress };
}
