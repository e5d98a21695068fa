import type { ClusterClient } from './cluster-client.js';
import { createClusterClient } from './api-client.js';
import type { DeployTiming } from './deploy.js';
import { loadKubeConfig } from './kubeconfig.js';
import { KubernetesPlatform } from './kubernetes-platform.js';
import { DEFAULT_NAMESPACE, resolveSettings } from './settings.js';

/**
 * A kube platform from raw settings (`kubeconfig`, `context`, `namespace`), as the plugin's
 * `create` makes it; `client` replaces the real API client (tests pass an in-memory double,
 * and then no kubeconfig is read unless the namespace must come from one).
 */
export function createKubernetesPlatform(settings: Record<string, unknown> = {}, client?: ClusterClient, timing?: DeployTiming): KubernetesPlatform {
  const resolved = resolveSettings(settings);
  if (client) return new KubernetesPlatform(client, resolved.namespace ?? DEFAULT_NAMESPACE, timing);
  const loaded = loadKubeConfig({ ...(resolved.kubeconfig ? { kubeconfig: resolved.kubeconfig } : {}), ...(resolved.context ? { context: resolved.context } : {}) });
  return new KubernetesPlatform(createClusterClient(loaded), resolved.namespace ?? loaded.namespace ?? DEFAULT_NAMESPACE, timing);
}
