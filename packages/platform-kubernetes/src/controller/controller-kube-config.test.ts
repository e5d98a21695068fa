import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadControllerKubeConfig } from './controller-kube-config.js';

function kubeconfigFile(dir: string, server: string): string {
  const path = join(dir, `${server.replace(/\W/g, '')}.yaml`);
  writeFileSync(path, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
  return path;
}

describe('loadControllerKubeConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-kubeconfig-'));
  const flag = kubeconfigFile(dir, 'https://127.0.0.1:1001');
  const env = kubeconfigFile(dir, 'https://127.0.0.1:1002');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeFileSync(join(home, '.kube', 'config'), `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1003" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
  const cache = join(dir, 'cache');
  mkdirSync(join(cache, 'kubernetes-data'), { recursive: true });
  writeFileSync(join(cache, 'kubernetes-data', 'admin.kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
  const server = (r: ReturnType<typeof loadControllerKubeConfig>) => `${r.source} ${r.kubeConfig.getCurrentCluster()?.server}`;

  it('takes --kubeconfig, then KUBECONFIG, then ~/.kube/config, then the nucleon cache', () => {
    expect(server(loadControllerKubeConfig({ kubeconfig: flag, env: { KUBECONFIG: env } }))).toBe('flag https://127.0.0.1:1001');
    expect(server(loadControllerKubeConfig({ env: { KUBECONFIG: env, HOME: home } }))).toBe('KUBECONFIG https://127.0.0.1:1002');
    expect(server(loadControllerKubeConfig({ env: { HOME: home } }))).toBe('home https://127.0.0.1:1003');
    expect(server(loadControllerKubeConfig({ env: { HOME: join(dir, 'nohome'), NUCLEON_CACHE: cache } }))).toBe('nucleon-cache https://127.0.0.1:6443');
  });

  it('merges a KUBECONFIG list, the first file setting the context', () => {
    expect(server(loadControllerKubeConfig({ env: { KUBECONFIG: `${env}:${flag}` } }))).toBe('KUBECONFIG https://127.0.0.1:1002');
  });
});
