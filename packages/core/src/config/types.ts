import type { BatchConfig } from './batch.js';

/**
 * Nuclio's `function.yaml`, as Nucleon reads it. Field names are Nuclio's so an existing
 * function deploys unchanged. `validateFunctionConfig` produces this shape with defaults.
 */
export interface FunctionConfig {
  apiVersion: string;
  kind: 'NuclioFunction';
  metadata: FunctionMetadata;
  spec: FunctionSpec;
}

export interface FunctionMetadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value: string;
}

export interface TriggerConfig {
  /** `http`, `kafka-cluster`, ... or the npm package name of a third-party trigger. */
  kind: string;
  /** Worker pool size; when absent the trigger plugin's default applies (1 for HTTP). */
  numWorkers?: number;
  /** How long an event waits for a free worker before it is refused (HTTP: 503). */
  workerAvailabilityTimeoutMilliseconds: number;
  /** Nuclio's explicit-ack mode for stream triggers: `disable` | `enable` | `explicitOnly`. */
  explicitAckMode?: 'disable' | 'enable' | 'explicitOnly';
  /** Trigger-specific settings, validated against the plugin's attribute schema. */
  attributes: Record<string, unknown>;
  disable?: boolean;
  url?: string;
  annotations?: Record<string, string>;
  /** Nuclio's event batching (HTTP trigger, Python runtime); absent when not configured. */
  batch?: BatchConfig;
}

/** Kubernetes-style resource quantities; `nvidia.com/gpu` asks for GPUs. */
export interface ResourceList {
  cpu?: string;
  memory?: string;
  'nvidia.com/gpu'?: number;
  [resource: string]: string | number | undefined;
}

export interface Resources {
  limits: ResourceList;
  requests: ResourceList;
}

export interface BuildSpec {
  commands: string[];
  baseImage?: string;
  path?: string;
  noCache?: boolean;
  registry?: string;
  image?: string;
  [field: string]: unknown;
}

/**
 * Nuclio's `spec.scaleToZero`: with `spec.minReplicas: 0`, the function goes to zero once every
 * `scaleResources` entry's metric grew by at most `threshold` over `windowSize` (see `scaleToZeroPolicy`).
 */
export interface ScaleToZeroSpec {
  scaleResources?: Array<{ metricName?: string; windowSize?: string; threshold?: number }>;
  /** The windows a `windowSize` may be chosen from (Nuclio's dashboard offers these). */
  inactivityWindowPresets?: string[];
  [field: string]: unknown;
}

/** Kubernetes' service types, as `spec.serviceType` names them. */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';
/** Kubernetes' image pull policies. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';
/** Kubernetes' pod preemption policies. */
export type PreemptionPolicy = 'PreemptLowerPriority' | 'Never';

/**
 * One of Nuclio's `spec.volumes` entries: a Kubernetes Volume and where it is mounted in the
 * function's container. Both are Kubernetes object shapes, passed through unchanged.
 */
export interface FunctionVolume {
  volume: Record<string, unknown>;
  volumeMount: Record<string, unknown>;
}

/**
 * The spec fields only the Kubernetes platform acts on (Nuclio's names). Kubernetes object
 * shapes (affinity, tolerations, containers, ...) are kept as given: the API server checks
 * them; validation only checks their outer shape (mapping, list, string, number).
 */
export interface KubernetesSpecFields {
  affinity?: Record<string, unknown>;
  nodeSelector?: Record<string, string>;
  nodeName?: string;
  tolerations?: Array<Record<string, unknown>>;
  priorityClassName?: string;
  preemptionPolicy?: PreemptionPolicy;
  /** Type of the function's Service; ClusterIP when absent. */
  serviceType?: ServiceType;
  volumes?: FunctionVolume[];
  /** Name of the Secret holding the registry credentials (Nuclio: one name, not a list). */
  imagePullSecrets?: string;
  imagePullPolicy?: ImagePullPolicy;
  /** The function container's SecurityContext. */
  securityContext?: Record<string, unknown>;
  /** The pod's PodSecurityContext. */
  podSecurityContext?: Record<string, unknown>;
  /** Name of the pod's ServiceAccount. */
  serviceAccount?: string;
  /** Extra containers in the function's pod (Kubernetes Container shapes). */
  sidecars?: Array<Record<string, unknown>>;
  initContainers?: Array<Record<string, unknown>>;
  /** CPU utilization percentage (1-100) the autoscaler aims at; Nuclio's default is 75. */
  targetCPU?: number;
}

export interface FunctionSpec extends KubernetesSpecFields {
  description?: string;
  /** `file:export` (Node: `main:handler` is `handler` exported by main.js/.mjs/.cjs/.ts). */
  handler: string;
  /** `nodejs`, `typescript`, `python:3.11`, ... */
  runtime: string;
  env: EnvVar[];
  triggers: Record<string, TriggerConfig>;
  resources: Resources;
  minReplicas?: number;
  maxReplicas?: number;
  replicas?: number;
  scaleToZero?: ScaleToZeroSpec;
  /** Go-style duration (`30s`, `1m`); a handler running longer is answered with a timeout. */
  eventTimeout: string;
  /** `eventTimeout` in milliseconds, derived at validation. */
  eventTimeoutMs: number;
  /** How long a platform waits for the function to become ready. */
  readinessTimeoutSeconds: number;
  build: BuildSpec;
  image?: string;
  /** Runtime-specific settings, read by the runtime plugin (the shell runtime's `arguments`, ...). */
  runtimeAttributes: Record<string, unknown>;
  /** Nuclio's switch: no default HTTP trigger for a function without an `http` trigger. */
  disableDefaultHTTPTrigger?: boolean;
}
