import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { translateApiError } from './api-errors.js';
import { describeObject } from './apply-objects.js';
import { statusCodeOf } from './cluster-client.js';
import type { LoadedKubeConfig } from './kubeconfig.js';

/** Generic object access for `kube install`/`uninstall` (any kind, by apiVersion/kind/name). */
export interface ObjectClient {
  readonly where: { source: string; server: string };
  read<T extends KubernetesObject>(object: KubernetesObject): Promise<T | undefined>;
  create(object: KubernetesObject): Promise<KubernetesObject>;
  replace(object: KubernetesObject): Promise<KubernetesObject>;
  /** False when it was not there. */
  delete(object: KubernetesObject): Promise<boolean>;
}

/** The {@link ObjectClient} over client-node's KubernetesObjectApi. */
export function createObjectClient(loaded: LoadedKubeConfig): ObjectClient {
  const api = KubernetesObjectApi.makeApiClient(loaded.kubeConfig);
  const where = { source: loaded.source, server: loaded.server };
  const call = async <T>(what: string, object: KubernetesObject, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw translateApiError(err, `${what} ${describeObject(object)}`, where, false);
    }
  };
  const header = (object: KubernetesObject): KubernetesObject & { metadata: { name: string; namespace?: string } } => ({
    apiVersion: object.apiVersion, kind: object.kind,
    metadata: { name: object.metadata?.name ?? '', ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}) },
  });
  return {
    where,
    read: async <T extends KubernetesObject>(object: KubernetesObject) => {
      try {
        return (await call('reading', object, () => api.read(header(object)))) as T;
      } catch (err) {
        if (statusCodeOf(err) === 404) return undefined;
        throw err;
      }
    },
    create: (object) => call('creating', object, () => api.create(object)),
    replace: (object) => call('updating', object, () => api.replace(object)),
    delete: async (object) => {
      try {
        await call('deleting', object, () => api.delete(header(object), undefined, undefined, undefined, undefined, 'Foreground'));
        return true;
      } catch (err) {
        if (statusCodeOf(err) === 404) return false;
        throw err;
      }
    },
  };
}
