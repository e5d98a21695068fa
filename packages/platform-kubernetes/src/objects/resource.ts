import type { V1ObjectMeta } from '@kubernetes/client-node';

/** Nuclio's API group, version, plural and kind: a Nuclio user's resources apply unchanged. */
export const NUCLIO_API_GROUP = 'nuclio.io';
export const NUCLIO_API_VERSION = 'v1beta1';
export const NUCLIO_PLURAL = 'nucliofunctions';
export const NUCLIO_KIND = 'NuclioFunction';
/** `nuclio.io/v1beta1`, as `apiVersion` and owner references spell it. */
export const NUCLIO_GROUP_VERSION = `${NUCLIO_API_GROUP}/${NUCLIO_API_VERSION}`;

/** Nuclio's label naming the function on every object made for it (and the pod selector). */
export const FUNCTION_NAME_LABEL = 'nuclio.io/function-name';
/** Nuclio's label marking function objects (its tools list functions by it). */
export const CLASS_LABEL = 'nuclio.io/class';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'nucleon';
/** Pod template annotation: a hash of the ConfigMap, so a configuration change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'nucleon.io/config-hash';

/** The state a NuclioFunction's status reports (Nuclio's names). */
export type FunctionState = 'building' | 'ready' | 'error' | 'scaledToZero' | 'waitingForScaleResourcesToZero' | 'unhealthy';

/** A status condition, as Kubernetes writes them (times as RFC 3339 strings: a CR's status is plain JSON). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** The status the controller writes; Nuclio's field names where Nuclio has them. */
export interface NuclioFunctionStatus {
  state: FunctionState;
  message?: string;
  conditions?: Condition[];
  /** The processor's HTTP port on the node (host network); kept on later reconciles. */
  httpPort?: number;
  /** The processor's admin port (/ready, /live, /metrics); kept on later reconciles. */
  adminPort?: number;
  internalInvocationUrls?: string[];
  externalInvocationUrls?: string[];
  replicas?: number;
  readyReplicas?: number;
  /** The resource generation this status describes. */
  observedGeneration?: number;
}

/** A `nuclio.io/v1beta1` NuclioFunction as the API returns it (spec as written by its author). */
export interface NuclioFunctionResource {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: Record<string, unknown>;
  status?: NuclioFunctionStatus;
}

/** The name of every object made for function `name` (Nuclio's `nuclio-<name>`). */
export function objectName(functionName: string): string {
  return `nuclio-${functionName}`;
}
