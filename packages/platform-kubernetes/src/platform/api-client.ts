import { PassThrough } from 'node:stream';
import { CoreV1Api, CustomObjectsApi, Log, type V1Pod } from '@kubernetes/client-node';
import { createError, ErrorCodes } from '@nucleon/core';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_PLURAL, type NuclioFunctionResource } from '../objects/resource.js';
import { statusCodeOf, type ClusterClient } from './cluster-client.js';
import type { LoadedKubeConfig } from './kubeconfig.js';

const CRD = { group: NUCLIO_API_GROUP, version: NUCLIO_API_VERSION, plural: NUCLIO_PLURAL };

/**
 * The {@link ClusterClient} over `@kubernetes/client-node`. An error that is not an API
 * answer (refused connection, TLS, DNS) becomes NUCLEON_ERR_CLUSTER_UNREACHABLE naming the
 * kubeconfig and the server, so "no cluster" reads as that, not as a socket error.
 */
export function createClusterClient(loaded: LoadedKubeConfig): ClusterClient {
  const custom = loaded.kubeConfig.makeApiClient(CustomObjectsApi);
  const core = loaded.kubeConfig.makeApiClient(CoreV1Api);
  const where = { source: loaded.source, server: loaded.server };
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw statusCodeOf(err) === undefined ? unreachable(where, err) : err;
    }
  };
  // A 404 about the resource type (not about one object) means the CRD is not installed.
  const withCrd = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await call(work);
    } catch (err) {
      throw statusCodeOf(err) === 404 && !isObjectNotFound(err) ? crdMissing(where, err) : err;
    }
  };
  const missingIsUndefined = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await withCrd(work);
    } catch (err) {
      if (statusCodeOf(err) === 404) return undefined;
      throw err;
    }
  };
  return {
    where,
    getFunction: (namespace, name) => missingIsUndefined(async () =>
      (await custom.getNamespacedCustomObject({ ...CRD, namespace, name })) as NuclioFunctionResource),
    listFunctions: (namespace) => withCrd(async () =>
      ((await custom.listNamespacedCustomObject({ ...CRD, namespace })) as { items: NuclioFunctionResource[] }).items),
    createFunction: (resource) => withCrd(async () =>
      (await custom.createNamespacedCustomObject({ ...CRD, namespace: resource.metadata.namespace as string, body: resource })) as NuclioFunctionResource),
    replaceFunction: (resource) => withCrd(async () => (await custom.replaceNamespacedCustomObject({
      ...CRD, namespace: resource.metadata.namespace as string, name: resource.metadata.name as string, body: resource,
    })) as NuclioFunctionResource),
    deleteFunction: async (namespace, name) => {
      await withCrd(() => custom.deleteNamespacedCustomObject({ ...CRD, namespace, name, propagationPolicy: 'Foreground' }));
    },
    listPods: (namespace, labelSelector) => call(async () => (await core.listNamespacedPod({ namespace, labelSelector })).items as V1Pod[]),
    readPodLog: (namespace, pod, container, options = {}) => call(() => core.readNamespacedPodLog({
      namespace, name: pod, container, ...(options.tailLines === undefined ? {} : { tailLines: options.tailLines }),
      ...(options.previous ? { previous: true } : {}),
    })),
    followPodLog: (namespace, pod, container, signal) => followLog(new Log(loaded.kubeConfig), namespace, pod, container, signal, where),
  };
}

async function* followLog(
  log: Log, namespace: string, pod: string, container: string, signal: AbortSignal, where: ClusterClient['where'],
): AsyncGenerator<string> {
  if (signal.aborted) return;
  const stream = new PassThrough();
  // client-node turns a failed connection into an ApiException 500 of its own here.
  const request = await log.log(namespace, pod, container, stream, { follow: true }).catch((err: unknown) => {
    throw statusCodeOf(err) === undefined ? unreachable(where, err) : err;
  });
  const abort = (): void => {
    request.abort();
    stream.end();
  };
  signal.addEventListener('abort', abort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield chunk.toString('utf8');
      if (signal.aborted) break;
    }
  } finally {
    signal.removeEventListener('abort', abort);
    request.abort();
  }
}

/**
 * True for the API server's "no such object" (a Status with reason NotFound), false for its
 * plain-text "404 page not found" of a path it does not serve (no such resource type).
 */
function isObjectNotFound(err: unknown): boolean {
  const body = (err as { body?: unknown }).body;
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  return (parsed as { reason?: unknown } | undefined)?.reason === 'NotFound';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function crdMissing(where: ClusterClient['where'], cause: unknown): Error {
  return createError(ErrorCodes.CRD_NOT_INSTALLED,
    `the cluster at ${where.server} does not serve ${NUCLIO_PLURAL}.${NUCLIO_API_GROUP}/${NUCLIO_API_VERSION}: ` +
    'the NuclioFunction CRD is not installed; run `nucleon kube install`', { cause, details: where });
}

function unreachable(where: ClusterClient['where'], cause: unknown): Error {
  const reason = (cause as { cause?: { code?: string; message?: string }; message?: string })?.cause?.message ?? (cause as Error)?.message ?? String(cause);
  return createError(ErrorCodes.CLUSTER_UNREACHABLE,
    `no Kubernetes API server answers at ${where.server} (kubeconfig ${where.source}): ${reason}; ` +
    'is the cluster running? (the local one: `bash scripts/services/kubernetes.sh start`)',
    { cause, details: where });
}
