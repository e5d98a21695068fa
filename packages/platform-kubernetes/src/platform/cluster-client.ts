import type { V1Pod } from '@kubernetes/client-node';
import type { NuclioFunctionResource } from '../objects/resource.js';

/**
 * The slice of the Kubernetes API the platform uses. Typing against it (not client-node's
 * classes) lets the platform's logic run in unit tests over an in-memory double; the real
 * one is {@link import('./api-client.js').createClusterClient}.
 */
export interface ClusterClient {
  /** The kubeconfig and API server the client talks to, for messages. */
  readonly where: { source: string; server: string };
  getFunction(namespace: string, name: string): Promise<NuclioFunctionResource | undefined>;
  listFunctions(namespace: string): Promise<NuclioFunctionResource[]>;
  createFunction(resource: NuclioFunctionResource): Promise<NuclioFunctionResource>;
  /** Replaces the whole resource; `metadata.resourceVersion` must be the current one (else a 409). */
  replaceFunction(resource: NuclioFunctionResource): Promise<NuclioFunctionResource>;
  /** Deletes with `propagationPolicy: Foreground`: the resource goes once its dependents have. */
  deleteFunction(namespace: string, name: string): Promise<void>;
  listPods(namespace: string, labelSelector: string): Promise<V1Pod[]>;
  /** A container's log text; `previous` reads the last terminated instance's. */
  readPodLog(namespace: string, pod: string, container: string, options?: { tailLines?: number; previous?: boolean }): Promise<string>;
  /** A container's log as it is written (text chunks), until `signal` aborts or the container ends. */
  followPodLog(namespace: string, pod: string, container: string, signal: AbortSignal): AsyncIterable<string>;
}

/** The HTTP status of an API error (404 not found, 409 conflict), when it is one. */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown; statusCode?: unknown } | null)?.code ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}
