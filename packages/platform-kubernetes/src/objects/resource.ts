import type { V1ObjectMeta } from '@kubernetes/client-node';

// Placeholder with the shapes of the shared design (common brief); Helper B's version of this
// file replaces it at merge.

export const NUCLIO_API_GROUP = 'nuclio.io';
export const NUCLIO_API_VERSION = 'v1beta1';
export const NUCLIO_PLURAL = 'nucliofunctions';
export const NUCLIO_KIND = 'NuclioFunction';

/** A condition of the status, Kubernetes' usual shape. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export interface NuclioFunctionStatus {
  state: 'building' | 'ready' | 'error' | 'scaledToZero' | 'unhealthy';
  message?: string;
  conditions?: Condition[];
  httpPort?: number;
  adminPort?: number;
  internalInvocationUrls?: string[];
  externalInvocationUrls?: string[];
  replicas?: number;
  readyReplicas?: number;
  observedGeneration?: number;
}

export interface NuclioFunctionResource {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: Record<string, unknown>;
  status?: NuclioFunctionStatus;
}

export const FUNCTION_NAME_LABEL = 'nuclio.io/function-name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'nucleon';
