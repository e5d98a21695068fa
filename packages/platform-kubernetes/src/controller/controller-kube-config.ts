import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig, localClusterKubeconfig, SERVICE_ACCOUNT_TOKEN } from '../platform/kubeconfig.js';

/** Where the controller's kubeconfig came from, for its first log line. */
export type KubeConfigSource = 'flag' | 'KUBECONFIG' | 'in-cluster' | 'home' | 'nucleon-cache';

/**
 * The controller's API server and credentials: the CLI's search order (`--kubeconfig`,
 * `KUBECONFIG`, `~/.kube/config`, the local cluster's admin kubeconfig) with the pod's service
 * account before `~/.kube/config`. In a pod, `KUBERNETES_SERVICE_HOST`/`PORT` are what the
 * install manifest sets (127.0.0.1:6443), because pods here run on the host network and no
 * kube-proxy routes the Service address.
 */
export function loadControllerKubeConfig(options: { kubeconfig?: string; env?: NodeJS.ProcessEnv } = {}): { kubeConfig: KubeConfig; source: KubeConfigSource } {
  const env = options.env ?? process.env;
  if (options.kubeconfig) return { kubeConfig: loadKubeConfig({ kubeconfig: options.kubeconfig }, env).kubeConfig, source: 'flag' };
  if (env.KUBECONFIG) return { kubeConfig: loadKubeConfig({}, env).kubeConfig, source: 'KUBECONFIG' };
  if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromCluster();
    return { kubeConfig, source: 'in-cluster' };
  }
  const loaded = loadKubeConfig({}, env);
  return { kubeConfig: loaded.kubeConfig, source: loaded.source === localClusterKubeconfig(env) ? 'nucleon-cache' : 'home' };
}
