import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeconfigCandidates, loadKubeConfig } from './kubeconfig.js';

function kubeconfig(server: string, namespace?: string): string {
  return [
    'apiVersion: v1', 'kind: Config', 'current-context: main',
    'clusters:', `- name: c\n  cluster:\n    server: ${server}`,
    'users:', '- name: u\n  user:\n    token: t',
    'contexts:', `- name: main\n  context:\n    cluster: c\n    user: u${namespace ? `\n    namespace: ${namespace}` : ''}`,
    '- name: other\n  context:\n    cluster: c\n    user: u\n    namespace: elsewhere', '',
  ].join('\n');
}

describe('kubeconfig search', () => {
  const home = mkdtempSync(join(tmpdir(), 'nucleon-kubeconfig-'));
  const cache = join(home, 'cache');
  const env = { HOME: home, NUCLEON_CACHE: cache };

  it('looks at --kubeconfig, KUBECONFIG, ~/.kube/config, then the local cluster\'s admin kubeconfig', () => {
    expect(kubeconfigCandidates({}, env)).toEqual([join(home, '.kube', 'config'), join(cache, 'kubernetes-data', 'admin.kubeconfig')]);
    expect(kubeconfigCandidates({}, { ...env, KUBECONFIG: '/a:/b' })[0]).toBe('/a:/b');
    expect(kubeconfigCandidates({ kubeconfig: '/x' }, { ...env, KUBECONFIG: '/a' })).toEqual(['/x']);
  });

  it('says where it looked when there is none', () => {
    expect(() => loadKubeConfig({}, env)).toThrow(/no kubeconfig found \(looked at .*\.kube\/config, .*admin\.kubeconfig\)/);
  });

  it('falls back to the local cluster\'s kubeconfig and reads server and namespace from the context', () => {
    mkdirSync(join(cache, 'kubernetes-data'), { recursive: true });
    writeFileSync(join(cache, 'kubernetes-data', 'admin.kubeconfig'), kubeconfig('https://127.0.0.1:6443'));
    const loaded = loadKubeConfig({}, env);
    expect(loaded).toMatchObject({ server: 'https://127.0.0.1:6443', context: 'main', source: join(cache, 'kubernetes-data', 'admin.kubeconfig') });
    expect(loaded.namespace).toBeUndefined();
    expect(loadKubeConfig({ context: 'other' }, env).namespace).toBe('elsewhere');
    expect(() => loadKubeConfig({ context: 'missing' }, env)).toThrow(/has no context "missing" \(it has: main, other\)/);
  });

  it('prefers ~/.kube/config over the local cluster\'s, and --kubeconfig over both', () => {
    mkdirSync(join(home, '.kube'), { recursive: true });
    writeFileSync(join(home, '.kube', 'config'), kubeconfig('https://127.0.0.1:7443', 'team'));
    expect(loadKubeConfig({}, env)).toMatchObject({ server: 'https://127.0.0.1:7443', namespace: 'team' });
    const explicit = join(home, 'explicit');
    writeFileSync(explicit, kubeconfig('https://127.0.0.1:8443'));
    expect(loadKubeConfig({ kubeconfig: explicit }, env).server).toBe('https://127.0.0.1:8443');
  });
});
