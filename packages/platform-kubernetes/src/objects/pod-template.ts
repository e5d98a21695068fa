import type { V1Container, V1EnvVar, V1PodTemplateSpec, V1ResourceRequirements, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { HTTP_REUSE_PORT_ENV, scaleToZeroPolicy, type FunctionConfig, type ResourceList } from '@nucleon/core';
import type { FunctionPorts } from './ports.js';
import { drainTimeoutMs, terminationGracePeriodSeconds } from './processor-timing.js';
import { CONFIG_HASH_ANNOTATION, objectName, type NuclioFunctionResource } from './resource.js';

/** Where the ConfigMap's `function.yaml` is mounted; the processor reads it (NUCLEON_FUNCTION_CONFIG). */
export const CONFIG_MOUNT_DIR = '/etc/nucleon';
export const CONFIG_FILE = 'function.yaml';
export const CONFIG_VOLUME = 'nucleon-function-config';
/** The function's container, Nuclio's name for it. */
export const FUNCTION_CONTAINER = 'nuclio';
const GPU = 'nvidia.com/gpu';

export interface PodTemplateInput {
  resource: NuclioFunctionResource;
  config: FunctionConfig;
  ports: FunctionPorts;
  labels: Record<string, string>;
  configHash: string;
}

/**
 * The function's pod: on the node's host network (no kube-proxy or pod network here; the
 * processor binds 127.0.0.1 on its own ports, declared so the scheduler never puts two pods
 * holding one port on a node), the processor configuration from the ConfigMap, and Nuclio's
 * Kubernetes fields passed through as given.
 */
export function podTemplate(input: PodTemplateInput): V1PodTemplateSpec {
  const { config, ports } = input;
  const { spec } = config;
  const volumes: V1Volume[] = [
    { name: CONFIG_VOLUME, configMap: { name: objectName(config.metadata.name) } },
    ...(spec.volumes ?? []).map((v) => v.volume as unknown as V1Volume),
  ];
  const mounts: V1VolumeMount[] = [
    { name: CONFIG_VOLUME, mountPath: CONFIG_MOUNT_DIR, readOnly: true },
    ...(spec.volumes ?? []).map((v) => v.volumeMount as unknown as V1VolumeMount),
  ];
  const container: V1Container = defined({
    name: FUNCTION_CONTAINER,
    image: spec.image,
    imagePullPolicy: spec.imagePullPolicy ?? 'IfNotPresent',
    env: containerEnv(input.resource, config, ports),
    resources: resourceRequirements(spec.resources.limits, spec.resources.requests),
    ports: [
      { name: 'http', containerPort: ports.http, protocol: 'TCP' },
      { name: 'admin', containerPort: ports.admin, protocol: 'TCP' },
    ],
    // The kubelet probes the pod IP unless told otherwise; on the host network that is the
    // node's address, where the processor does not listen. A processor is ready within about
    // a second, and the first probe usually comes before that: the period is how long a
    // deploy waits past it (1 s, the kubelet's least).
    readinessProbe: {
      httpGet: { host: '127.0.0.1', path: '/ready', port: ports.admin, scheme: 'HTTP' },
      periodSeconds: 1,
      failureThreshold: 3,
    },
    volumeMounts: mounts,
    securityContext: spec.securityContext,
  });
  return {
    metadata: { labels: input.labels, annotations: { [CONFIG_HASH_ANNOTATION]: input.configHash } },
    spec: defined({
      hostNetwork: true,
      dnsPolicy: 'ClusterFirstWithHostNet',
      containers: [container, ...((spec.sidecars ?? []) as unknown as V1Container[])],
      initContainers: spec.initContainers as unknown as V1Container[] | undefined,
      volumes,
      terminationGracePeriodSeconds: terminationGracePeriodSeconds(config),
      serviceAccountName: spec.serviceAccount,
      imagePullSecrets: spec.imagePullSecrets ? [{ name: spec.imagePullSecrets }] : undefined,
      securityContext: spec.podSecurityContext,
      affinity: spec.affinity,
      nodeSelector: spec.nodeSelector,
      nodeName: spec.nodeName,
      tolerations: spec.tolerations,
      priorityClassName: spec.priorityClassName,
      preemptionPolicy: spec.preemptionPolicy,
    }) as V1PodTemplateSpec['spec'],
  };
}

/** True when the function asks for at least one GPU (limit or request). */
export function wantsGpu(config: FunctionConfig): boolean {
  const { limits, requests } = config.spec.resources;
  return Number(limits[GPU] ?? 0) > 0 || Number(requests[GPU] ?? 0) > 0;
}

/**
 * `spec.env` in its order (valueFrom entries included: validation leaves them out of the
 * processor's config because the kubelet sets them), then the platform's own variables.
 */
function containerEnv(resource: NuclioFunctionResource, config: FunctionConfig, ports: FunctionPorts): V1EnvVar[] {
  const platform: V1EnvVar[] = [
    { name: 'NUCLEON_FUNCTION_CONFIG', value: `${CONFIG_MOUNT_DIR}/${CONFIG_FILE}` },
    { name: 'NUCLEON_HTTP_PORT', value: String(ports.http) },
    { name: 'NUCLEON_HTTP_HOST', value: '127.0.0.1' },
    { name: 'NUCLEON_HTTP_DEFAULT_HOST', value: '127.0.0.1' },
    { name: 'NUCLEON_ADMIN_PORT', value: String(ports.admin) },
    { name: 'NUCLEON_ADMIN_HOST', value: '127.0.0.1' },
    { name: 'NUCLEON_DRAIN_TIMEOUT_MS', value: String(drainTimeoutMs(config)) },
    // The scaler's activator holds a zeroed function's port (host network: the node's port) and
    // keeps it while the woken processor starts: both bind with SO_REUSEPORT, so no connection
    // is refused in between. Set whether or not the function is at zero now, so that marking
    // it changes only the replica count, never the pod template (no rollout on a wake).
    ...(scaleToZeroPolicy(config) !== undefined ? [{ name: HTTP_REUSE_PORT_ENV, value: '1' }] : []),
  ];
  const reserved = new Set(platform.map((e) => e.name));
  const values = new Map(config.spec.env.map((e) => [e.name, e.value]));
  const env: V1EnvVar[] = [];
  const raw = Array.isArray(resource.spec.env) ? resource.spec.env : [];
  for (const item of raw as unknown[]) {
    if (!isMapping(item) || typeof item.name !== 'string' || reserved.has(item.name)) continue;
    const value = values.get(item.name);
    if (value !== undefined) {
      env.push({ name: item.name, value });
      values.delete(item.name);
    } else if (isMapping(item.valueFrom)) {
      env.push({ name: item.name, valueFrom: item.valueFrom as V1EnvVar['valueFrom'] });
    }
  }
  // Variables the CLI added (--env) after the resource was written are in the config only.
  for (const [name, value] of values) if (!reserved.has(name)) env.push({ name, value });
  return [...env, ...platform];
}

function resourceRequirements(limits: ResourceList, requests: ResourceList): V1ResourceRequirements | undefined {
  const quantities = (list: ResourceList): Record<string, string> | undefined => {
    const entries = Object.entries(list).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  const result = defined({ limits: quantities(limits), requests: quantities(requests) });
  return Object.keys(result).length > 0 ? result : undefined;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `value` without its undefined keys: what the server would store, and what `differs` compares. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
