import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
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
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (listed.length > 0) {
    // kubectl's rule: several files merge, the first to set the current context wins.
    kubeConfig.loadFromFile(listed[0]!);
    for (const file of listed.slice(1)) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      // An entry named twice: the first file's wins (client-node's mergeConfig throws instead).
      for (const cluster of more.getClusters()) if (!kubeConfig.getCluster(cluster.name)) kubeConfig.addCluster(cluster);
      for (const user of more.getUsers()) if (!kubeConfig.getUser(user.name)) kubeConfig.addUser(user);
      for (const context of more.getContexts()) if (!kubeConfig.getContextObject(context.name)) kubeConfig.addContext(context);
      if (!kubeConfig.getCurrentContext()) kubeConfig.setCurrentContext(more.getCurrentContext());
    }
    return { kubeConfig, source: 'KUBECONFIG' };
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(SERVICE_ACCOUNT_TOKEN)) {
    kubeConfig.loadFromCluster();
    return { kubeConfig, source: 'in-cluster' };
  }
  const homeDir = env.HOME ?? homedir();
  const home = join(homeDir, '.kube', 'config');
  if (existsSync(home)) {
    kubeConfig.loadFromFile(home);
    return { kubeConfig, source: 'home' };
  }
  const cache = env.NUCLEON_CACHE ?? join(homeDir, '.cache', 'nucleon');
  kubeConfig.loadFromFile(join(cache, 'kubernetes-data', 'admin.kubeconfig'));
  return { kubeConfig, source: 'nucleon-cache' };
}
