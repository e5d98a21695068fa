import { KUBERNETES_SPEC_FIELDS } from './kubernetes-fields.js';

/**
 * Nuclio `spec` fields Nucleon reads and acts on (some on one platform only). Anything else under `spec` is either a
 * known Nuclio field that is not supported yet (warned, listed below) or unknown (warned).
 */
export const SUPPORTED_SPEC_FIELDS = new Set<string>([
  // Acted on by the Kubernetes platform only; the others report them as not applied.
  ...KUBERNETES_SPEC_FIELDS,
  'description', 'handler', 'runtime', 'env', 'triggers', 'resources', 'minReplicas', 'maxReplicas',
  'replicas', 'scaleToZero', 'eventTimeout', 'build', 'readinessTimeoutSeconds', 'image', 'runtimeAttributes',
  'disableDefaultHTTPTrigger',
  // Derived from eventTimeout by validation and recomputed when a validated config is read back.
  'eventTimeoutMs',
]);

/** Nuclio fields accepted for compatibility but not acted on yet; each warns at load. */
export const UNSUPPORTED_SPEC_FIELDS = new Set([
  'dataBindings', 'loggerSinks', 'platform',
  'runRegistry', 'imageHash', 'version', 'alias', 'publish', 'disable', 'avatar',
  'autoScaleMetrics', 'customScalingMetricSpecs',
  'waitReadinessTimeoutBeforeFailure',
  'dealerURI', 'minAvailable', 'ports', 'defaultHTTPIngressHostTemplate',
]);

export const SUPPORTED_TRIGGER_FIELDS = new Set([
  'kind', 'numWorkers', 'maxWorkers', 'workerAvailabilityTimeoutMilliseconds', 'explicitAckMode',
  'attributes', 'disable', 'url', 'annotations', 'name', 'class', 'batch',
]);

export const UNSUPPORTED_TRIGGER_FIELDS = new Set([
  'workerAllocatorName', 'workerTerminationTimeout', 'mode', 'password', 'username', 'secret',
  'maxWorkerInstanceRestarts',
]);

export const SUPPORTED_BUILD_FIELDS = new Set(['commands', 'baseImage', 'path', 'noCache', 'registry', 'image']);
export const UNSUPPORTED_BUILD_FIELDS = new Set([
  'functionSourceCode', 'onbuildImage', 'runtimeAttributes', 'codeEntryType', 'codeEntryAttributes',
  'dependencies', 'addedObjectPaths', 'offline', 'timestamp', 'flags', 'mode', 'functionConfigPath',
  'tempDir', 'builderServiceAccount', 'secret', 'dockerfile', 'imageName', 'readinessTimeoutSeconds',
]);

/** Keys of one `spec.env` entry (Kubernetes' EnvVar); any other key warns. */
export const ENV_ENTRY_FIELDS = new Set(['name', 'value', 'valueFrom']);

/** Nuclio's explicit-ack modes of stream triggers. */
export const ACK_MODES = ['disable', 'enable', 'explicitOnly'] as const;

export const DEFAULT_EVENT_TIMEOUT = '60s';
export const DEFAULT_WORKER_AVAILABILITY_TIMEOUT_MS = 10_000;
export const DEFAULT_READINESS_TIMEOUT_SECONDS = 60;
export const SUPPORTED_API_VERSIONS = ['nuclio.io/v1', 'nuclio.io/v1beta1'] as const;
