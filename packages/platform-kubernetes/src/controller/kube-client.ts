import type { KubernetesObject } from '@kubernetes/client-node';
import { createError, ErrorCodes, type NucleonError } from '@nucleon/core';
import type { KubeResource } from './kube-resources.js';

/** A Kubernetes object as JSON, as the API returns it (no client-side model classes). */
export type KubeObject = KubernetesObject & Record<string, unknown>;

export interface KubeObjectList<T extends KubeObject = KubeObject> {
  items: T[];
  metadata: { resourceVersion?: string };
}

/**
 * The slice of the Kubernetes API the controller uses, one call per verb, generic over the
 * kind. Typing against it lets unit tests pass an in-memory cluster; `restKubeClient` is the
 * real one. Errors carry the HTTP status as `statusCode` (404, 409, ...).
 */
export interface KubeClient {
  /** The object, or undefined when it does not exist (404). */
  get<T extends KubeObject>(resource: KubeResource, namespace: string, name: string): Promise<T | undefined>;
  /** Objects in `namespace`, or in all namespaces for `'*'`. */
  list<T extends KubeObject>(resource: KubeResource, namespace: string, labelSelector?: string): Promise<KubeObjectList<T>>;
  create<T extends KubeObject>(resource: KubeResource, namespace: string, body: T): Promise<T>;
  /** PUT: `body.metadata.resourceVersion` makes it conditional (409 when someone wrote first). */
  replace<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, body: T): Promise<T>;
  /** PUT on the status subresource. */
  replaceStatus<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, body: T): Promise<T>;
  /** Deletes in the background (dependents garbage-collected); a missing object is fine. */
  delete(resource: KubeResource, namespace: string, name: string): Promise<void>;
}

/** The verbs counted by `api-calls.ts`, client-go's names. */
export type ApiVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** The HTTP status of a failed API call, when it has one (ours, or a client-node error's). */
export function statusCodeOf(err: unknown): number | undefined {
  const e = err as { statusCode?: unknown; code?: unknown; details?: { statusCode?: unknown } } | null;
  if (typeof e?.details?.statusCode === 'number') return e.details.statusCode;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.code === 'number') return e.code;
  return undefined;
}

/** A failed API call: NUCLEON_ERR_KUBE_API with the HTTP status and the server's reason. */
export function kubeApiError(statusCode: number, message: string, reason?: string): NucleonError {
  return createError(ErrorCodes.KUBE_API, message, { details: { statusCode, reason } });
}
