import { PassThrough } from 'node:stream';
import { CoreV1Api, CustomObjectsApi, Log, type V1Pod } from '@kubernetes/client-node';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_PLURAL, type NuclioFunctionResource } from '../objects/resource.js';
import { translateApiError, unreachable } from './api-errors.js';
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
  const call = async <T>(what: string, work: () => Promise<T>, customResource = false): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw translateApiError(err, what, where, customResource);
    }
  };
  const fn = (namespace: string, name?: string): string => `NuclioFunction ${namespace}/${name ?? ''}`;
  return {
    where,
    getFunction: async (namespace, name) => {
      try {
        return await call(`reading ${fn(namespace, name)}`, async () =>
          (await custom.getNamespacedCustomObject({ ...CRD, namespace, name })) as NuclioFunctionResource, true);
      } catch (err) {
        if (statusCodeOf(err) === 404) return undefined;
        throw err;
      }
    },
    listFunctions: (namespace) => call(`listing NuclioFunctions in ${namespace}`, async () =>
      ((await custom.listNamespacedCustomObject({ ...CRD, namespace })) as { items: NuclioFunctionResource[] }).items, true),
    createFunction: (resource) => call(`creating ${fn(resource.metadata.namespace!, resource.metadata.name)}`, async () =>
      (await custom.createNamespacedCustomObject({ ...CRD, namespace: resource.metadata.namespace as string, body: resource })) as NuclioFunctionResource, true),
    replaceFunction: (resource) => call(`updating ${fn(resource.metadata.namespace!, resource.metadata.name)}`, async () =>
      (await custom.replaceNamespacedCustomObject({
        ...CRD, namespace: resource.metadata.namespace as string, name: resource.metadata.name as string, body: resource,
      })) as NuclioFunctionResource, true),
    deleteFunction: async (namespace, name) => {
      await call(`deleting ${fn(namespace, name)}`, () => custom.deleteNamespacedCustomObject({ ...CRD, namespace, name, propagationPolicy: 'Foreground' }), true);
    },
    listPods: (namespace, labelSelector) => call(`listing pods in ${namespace}`, async () =>
      (await core.listNamespacedPod({ namespace, labelSelector })).items as V1Pod[]),
    readPodLog: (namespace, pod, container, options = {}) => call(`reading the log of pod ${namespace}/${pod}`, () => core.readNamespacedPodLog({
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

