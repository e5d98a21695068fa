import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Where the controller's kubeconfig came from, for its first log line. */
export type KubeConfigSource = 'flag' | 'KUBECONFIG' | 'in-cluster' | 'home' | 'nucleon-cache';

/**
 * The controller's API server and credentials, first found of: `--kubeconfig`, `KUBECONFIG`,
 * the pod's service account (in-cluster: `KUBERNETES_SERVICE_HOST`/`PORT`, which the install
 * manifest sets to 127.0.0.1:6443 because pods here run on the host network and no
 * kube-proxy routes the Service address), `~/.kube/config`, then the repository cluster's
 * `$NUCLEON_CACHE/kubernetes-data/admin.kubeconfig`.
 */
export function loadControllerKubeConfig(options: { kubeconfig?: string; env?: NodeJS.ProcessEnv } = {}): { kubeConfig: KubeConfig; source: KubeConfigSource } {
  const env = options.env ?? process.env;
  const kubeConfig = new KubeConfig();
  if (options.kubeconfig) {
    kubeConfig.loadFromFile(options.kubeconfig);
    return { kubeConfig, source: 'flag' };
  }
  if (env.KUBECONFIG) {
    kubeConfig.loadFromDefault();
    return { kubeConfig, source: 'KUBECONFIG' };
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kubeConfig.loadFromCluster();
    return { kubeConfig, source: 'in-cluster' };
  }
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) {
    kubeConfig.loadFromFile(home);
    return { kubeConfig, source: 'home' };
  }
  const cache = env.NUCLEON_CACHE ?? join(homedir(), '.cache', 'nucleon');
  kubeConfig.loadFromFile(join(cache, 'kubernetes-data', 'admin.kubeconfig'));
  return { kubeConfig, source: 'nucleon-cache' };
}
