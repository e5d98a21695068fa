// STAND-IN for Helper B's module of the same name (shared design in the brief): just enough
// for the controller to compile and run; replaced by B's file at merge.
import type { V1ObjectMeta } from '@kubernetes/client-node';

export const NUCLIO_API_GROUP = 'nuclio.io';
export const NUCLIO_API_VERSION = 'v1beta1';
export const NUCLIO_PLURAL = 'nucliofunctions';
export const NUCLIO_KIND = 'NuclioFunction';
export const FUNCTION_NAME_LABEL = 'nuclio.io/function-name';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'nucleon';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
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
