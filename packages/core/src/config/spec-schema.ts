import { ACK_MODES } from './nuclio-fields.js';
import { IMAGE_PULL_POLICIES, PREEMPTION_POLICIES, SERVICE_TYPES } from './kubernetes-fields.js';
import type { FunctionSpec, Resources, TriggerConfig } from './types.js';

/**
 * The part of JSON Schema (OpenAPI v3) the function spec schema uses, kept to what a
 * Kubernetes structural schema allows: every node has a `type` unless it preserves unknown
 * fields or is int-or-string, and `properties` never sits next to `additionalProperties`.
 */
export interface JsonSchema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  description?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema;
  items?: JsonSchema;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-int-or-string'?: true;
}

// Keys a validated config may carry, or a Nuclio file may give, beyond the typed ones.
type TriggerKeys = keyof TriggerConfig | 'maxWorkers' | 'name' | 'class';
// The build fields validation checks; the others (path, noCache, registry, image, Nuclio's
// many more) are kept as given, so the schema leaves them to x-kubernetes-preserve-unknown-fields.
type BuildKeys = 'commands' | 'baseImage';

const PRESERVE = { 'x-kubernetes-preserve-unknown-fields': true } as const;
/** A Kubernetes object shape Nucleon passes through: the API server checks it where it lands. */
const kubernetesObject = (description: string): JsonSchema => ({ type: 'object', description, ...PRESERVE });
const string = (description: string): JsonSchema => ({ type: 'string', description });
const integer = (description: string, minimum: number, maximum?: number): JsonSchema =>
  ({ type: 'integer', description, minimum, ...(maximum === undefined ? {} : { maximum }) });
const oneOf = (description: string, values: readonly string[]): JsonSchema => ({ type: 'string', description, enum: values });
const listOf = (description: string, items: JsonSchema): JsonSchema => ({ type: 'array', description, items });
/**
 * Any value: for fields validation does not type-check (it keeps them, or only warns), so the
 * API server must not refuse what the validator lets through.
 */
const anyValue = (description: string): JsonSchema => ({ description, ...PRESERVE });
/**
 * Validation turns numbers into quantity strings, fractions included (`cpu: 0.5`), which
 * Kubernetes' int-or-string would refuse: any scalar is right here, validation checks the rest.
 */
const quantity: JsonSchema = anyValue('a quantity: 500m, 2, 0.5, 1Gi, ...');

const triggerProperties: Record<TriggerKeys, JsonSchema> = {
  kind: string('http, kafka-cluster, ... or the npm package of a third-party trigger'),
  numWorkers: integer('worker pool size', 1),
  // Checked only when numWorkers is absent (else ignored with a warning).
  maxWorkers: anyValue("Nuclio's older name for numWorkers"),
  workerAvailabilityTimeoutMilliseconds: integer('how long an event waits for a free worker', 0),
  explicitAckMode: oneOf('explicit acknowledgement mode (stream triggers)', ACK_MODES),
  attributes: kubernetesObject("the trigger's attributes, checked against its plugin's schema by the controller"),
  disable: { type: 'boolean', description: 'true: the trigger does not run' },
  url: string('the source URL (brokers)'),
  // Values are turned into strings by validation, so numbers and booleans are right too.
  annotations: kubernetesObject('annotations of the trigger'),
  batch: kubernetesObject("Nuclio's event batching"),
  name: anyValue("the trigger's name (Nuclio writes it; the map key wins)"),
  class: anyValue("Nuclio's trigger class"),
};

const resourcesProperties: Record<keyof Resources, JsonSchema> = {
  limits: { type: 'object', description: 'cpu, memory, nvidia.com/gpu, ...', additionalProperties: quantity },
  requests: { type: 'object', description: 'cpu, memory, ...', additionalProperties: quantity },
};

const buildProperties: Record<BuildKeys, JsonSchema> = {
  commands: listOf('build steps (shell commands)', { type: 'string' }),
  baseImage: string('image the function image is built on'),
};

/** Every `FunctionSpec` key has an entry: a field added to the type without one fails to compile. */
const specProperties: Record<keyof FunctionSpec, JsonSchema> = {
  description: string('what the function does'),
  handler: string('file:export, for example main:handler'),
  runtime: string('nodejs, typescript, python:3.11, ...'),
  env: listOf('environment variables (Kubernetes EnvVar)', {
    type: 'object',
    properties: {
      name: string('variable name'),
      // Validation turns numbers and booleans into strings: any scalar is right.
      value: { description: 'variable value', ...PRESERVE },
      // Validation only warns about valueFrom (the Kubernetes platform checks it is a mapping).
      valueFrom: anyValue('a Secret, ConfigMap or pod field the value comes from (Kubernetes only)'),
    },
    ...PRESERVE,
  }),
  triggers: {
    type: 'object',
    description: 'triggers by name',
    additionalProperties: { type: 'object', properties: triggerProperties, ...PRESERVE },
  },
  resources: { type: 'object', description: 'resource limits and requests', properties: resourcesProperties, ...PRESERVE },
  minReplicas: integer('fewest replicas (with maxReplicas: the autoscaler range)', 0),
  maxReplicas: integer('most replicas', 1),
  replicas: integer('replicas when not autoscaled', 0),
  scaleToZero: kubernetesObject('scale to zero when idle'),
  eventTimeout: string('longest a handler may run, a duration such as 30s'),
  // Derived by validation, which ignores (with a warning) a value that disagrees.
  eventTimeoutMs: anyValue('eventTimeout in milliseconds (derived by validation)'),
  readinessTimeoutSeconds: integer('how long a deploy waits for the function to become ready', 1),
  build: { type: 'object', description: 'how the image is built', properties: buildProperties, ...PRESERVE },
  image: string('the function image'),
  runtimeAttributes: kubernetesObject('runtime-specific settings'),
  disableDefaultHTTPTrigger: { type: 'boolean', description: 'no default HTTP trigger' },
  affinity: kubernetesObject('pod affinity (Kubernetes Affinity)'),
  nodeSelector: { type: 'object', description: 'node labels the pod must run on', additionalProperties: { type: 'string' } },
  nodeName: string('the node the pod must run on'),
  tolerations: listOf('pod tolerations (Kubernetes Toleration)', kubernetesObject('a toleration')),
  priorityClassName: string('the pod priority class'),
  preemptionPolicy: oneOf('the pod preemption policy', PREEMPTION_POLICIES),
  serviceType: oneOf("the function Service's type", SERVICE_TYPES),
  volumes: listOf('volumes and where they are mounted', {
    type: 'object',
    properties: {
      volume: kubernetesObject('a Kubernetes Volume'),
      volumeMount: kubernetesObject('a Kubernetes VolumeMount'),
    },
    ...PRESERVE,
  }),
  imagePullSecrets: string('name of the Secret with registry credentials'),
  imagePullPolicy: oneOf('when the image is pulled', IMAGE_PULL_POLICIES),
  securityContext: kubernetesObject("the function container's SecurityContext"),
  podSecurityContext: kubernetesObject("the pod's PodSecurityContext"),
  serviceAccount: string("the pod's ServiceAccount"),
  sidecars: listOf('extra containers (Kubernetes Container)', kubernetesObject('a container')),
  initContainers: listOf('init containers (Kubernetes Container)', kubernetesObject('a container')),
  targetCPU: integer('CPU utilization percentage the autoscaler aims at (default 75)', 1, 100),
};

/**
 * JSON Schema (OpenAPI v3, Kubernetes structural) of a function's `spec`, for the
 * NuclioFunction CRD and API servers. It checks only what is cheap and certain: types,
 * enums, bounds. Nothing is required (Nuclio resources omit fields that get defaults), every
 * value `validateFunctionConfig` accepts is accepted here, and unknown fields are preserved
 * (Nuclio has many): `validateFunctionConfig` stays the full check.
 */
export const functionSpecSchema: JsonSchema = deepFreeze({
  type: 'object',
  description: "A Nuclio function's spec (function.yaml's spec)",
  properties: specProperties,
  ...PRESERVE,
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
