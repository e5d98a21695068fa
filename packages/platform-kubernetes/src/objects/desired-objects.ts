import { createHash } from 'node:crypto';
import type {
  V1ConfigMap, V1Deployment, V1DeploymentStrategy, V1Ingress, V1ObjectMeta, V1OwnerReference, V1Service, V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { DEFAULT_TARGET_CPU, type FunctionConfig } from '@nucleon/core';
import { functionIngresses } from './ingress-rules.js';
import { CONFIG_FILE, defined, podTemplate, wantsGpu } from './pod-template.js';
import type { FunctionPorts } from './ports.js';
import { replicaPlan } from './replicas.js';
import { isScaledToZero } from './scale-to-zero-mark.js';
import {
  CLASS_LABEL, FUNCTION_NAME_LABEL, MANAGED_BY, MANAGED_BY_LABEL, NUCLIO_GROUP_VERSION, NUCLIO_KIND, objectName,
  type NuclioFunctionResource,
} from './resource.js';

/** The objects a NuclioFunction becomes; `hpa` and `ingress` only when the function asks for them. */
export interface DesiredObjects {
  configMap: V1ConfigMap;
  deployment: V1Deployment;
  service: V1Service;
  hpa?: V2HorizontalPodAutoscaler;
  ingress?: V1Ingress;
}

/**
 * Every object of a valid function, all named `nuclio-<name>` in its namespace and owned by
 * the resource (deleting it garbage-collects them). Pure: same input, same objects, so the
 * controller can compare them with what the server has and write only what differs.
 */
export function desiredObjects(resource: NuclioFunctionResource, config: FunctionConfig, ports: FunctionPorts): DesiredObjects {
  const name = objectName(config.metadata.name);
  const namespace = resource.metadata.namespace;
  const labels = functionLabels(resource, config);
  const meta = (): V1ObjectMeta => defined({ name, namespace, labels: { ...labels }, ownerReferences: ownerReferences(resource) });
  const configMap: V1ConfigMap = {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(),
    data: { [CONFIG_FILE]: processorConfigText(config) },
  };
  // Marked scaled to zero: 0 pods and no HPA; the Service (and so the function's port) stays.
  const plan = replicaPlan(config.spec, isScaledToZero(resource, config));
  const selector = { [FUNCTION_NAME_LABEL]: config.metadata.name };
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(),
    spec: defined({
      // With an autoscaler the replica count is the HPA's: leaving it unset means an update never resets it.
      replicas: plan.autoscaled ? undefined : plan.replicas,
      selector: { matchLabels: selector },
      strategy: deploymentStrategy(config),
      template: podTemplate({ resource, config, ports, labels, configHash: configHash(configMap.data ?? {}) }),
    }),
  };
  const service: V1Service = {
    apiVersion: 'v1', kind: 'Service', metadata: meta(),
    spec: {
      type: config.spec.serviceType ?? 'ClusterIP',
      selector,
      ports: [{ name: 'http', port: ports.http, targetPort: ports.http, protocol: 'TCP' }],
    },
  };
  const objects: DesiredObjects = { configMap, deployment, service };
  if (plan.autoscaled) {
    objects.hpa = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta(),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: plan.minReplicas,
        maxReplicas: plan.maxReplicas,
        metrics: [{
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: config.spec.targetCPU ?? DEFAULT_TARGET_CPU } },
        }],
      },
    };
  }
  const ingress = ingressOf(config, name, ports, meta);
  if (ingress) objects.ingress = ingress;
  return objects;
}

/** The processor's configuration, as the ConfigMap holds it (JSON is YAML; stable key order). */
export function processorConfigText(config: FunctionConfig): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** sha256 of the ConfigMap's data, in key order: the pod template changes exactly when it does. */
export function configHash(data: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(data).sort()) hash.update(key).update('\0').update(data[key] ?? '').update('\0');
  return hash.digest('hex');
}

/** The user's labels, then Nuclio's and Nucleon's (which win: the selector depends on them). */
function functionLabels(resource: NuclioFunctionResource, config: FunctionConfig): Record<string, string> {
  return {
    ...(resource.metadata.labels ?? {}),
    [FUNCTION_NAME_LABEL]: config.metadata.name,
    [CLASS_LABEL]: 'function',
    [MANAGED_BY_LABEL]: MANAGED_BY,
  };
}

/**
 * Recreate when GPUs are asked for, as Nuclio does: a node rarely has a spare GPU for the new
 * pod while the old one holds its GPU, so a rolling update would hang. Otherwise a rolling
 * update that stops the old pod before starting the new one (maxSurge 0): on the host network
 * two pods of one function cannot both hold its ports on one node.
 */
function deploymentStrategy(config: FunctionConfig): V1DeploymentStrategy {
  if (wantsGpu(config)) return { type: 'Recreate' };
  return { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
}

function ownerReferences(resource: NuclioFunctionResource): V1OwnerReference[] | undefined {
  const { uid, name } = resource.metadata;
  // A resource not yet stored (a dry run) has no uid to point at.
  if (!uid || !name) return undefined;
  return [{ apiVersion: NUCLIO_GROUP_VERSION, kind: NUCLIO_KIND, name, uid, controller: true, blockOwnerDeletion: true }];
}

function ingressOf(config: FunctionConfig, service: string, ports: FunctionPorts, meta: () => V1ObjectMeta): V1Ingress | undefined {
  const entries = functionIngresses(config);
  if (entries.length === 0) return undefined;
  const tls = entries.filter((e) => e.secretName !== undefined)
    .map((e) => ({ hosts: e.host === '' ? [] : [e.host], secretName: e.secretName }));
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(),
    spec: defined({
      rules: entries.map((e) => defined({
        host: e.host === '' ? undefined : e.host,
        http: {
          paths: e.paths.map((path) => ({
            path, pathType: e.pathType, backend: { service: { name: service, port: { number: ports.http } } },
          })),
        },
      })),
      tls: tls.length > 0 ? tls : undefined,
    }),
  };
}
