import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_KIND, NUCLIO_PLURAL } from '../objects/resource.js';

/** Where a kind lives in the API: enough to build its REST paths and name it in logs and stats. */
export interface KubeResource {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
}

export const FUNCTIONS: KubeResource = { group: NUCLIO_API_GROUP, version: NUCLIO_API_VERSION, plural: NUCLIO_PLURAL, kind: NUCLIO_KIND };
export const CONFIG_MAPS: KubeResource = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap' };
export const SERVICES: KubeResource = { group: '', version: 'v1', plural: 'services', kind: 'Service' };
export const PODS: KubeResource = { group: '', version: 'v1', plural: 'pods', kind: 'Pod' };
export const DEPLOYMENTS: KubeResource = { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' };
export const HPAS: KubeResource = { group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler' };
export const INGRESSES: KubeResource = { group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress' };
export const LEASES: KubeResource = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', kind: 'Lease' };

/**
 * The collection path of `resource` in `namespace`, or across all namespaces for `'*'`
 * (`/apis/apps/v1/namespaces/ns/deployments`, `/api/v1/pods`).
 */
export function collectionPath(resource: KubeResource, namespace: string): string {
  const root = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return namespace === '*' ? `${root}/${resource.plural}` : `${root}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`;
}

/** `apiVersion` as objects of `resource` carry it. */
export function apiVersionOf(resource: KubeResource): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}
