import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { nuclioFunctionCrdManifest } from '../../objects/crd.js';
import { loadControllerKubeConfig } from '../controller-kube-config.js';
import { statusCodeOf, type KubeClient, type KubeObject } from '../kube-client.js';
import type { KubeResource } from '../kube-resources.js';
import { restKubeClient } from '../rest-client.js';

// Cluster-scoped kinds: their paths are the "all namespaces" collection paths ('*').
export const NAMESPACES: KubeResource = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace' };
export const CRDS: KubeResource = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition' };

/** The repository's cluster (scripts/services/kubernetes.sh), found as the controller finds it; a clear failure when it is not up. */
export async function realCluster(): Promise<{ kubeConfig: KubeConfig; kubeconfigPath?: string; client: KubeClient }> {
  let loaded;
  try {
    loaded = loadControllerKubeConfig();
  } catch (err) {
    throw new Error(`no Kubernetes cluster for the integration tests (start it: scripts/services/kubernetes.sh start): ${(err as Error).message}`);
  }
  const client = restKubeClient(loaded.kubeConfig);
  try {
    await client.list(NAMESPACES, '*');
  } catch (err) {
    throw new Error(`the Kubernetes API server at ${loaded.kubeConfig.getCurrentCluster()?.server} does not answer (start it: scripts/services/kubernetes.sh start): ${(err as Error).message}`);
  }
  return { kubeConfig: loaded.kubeConfig, client };
}

/**
 * Creates the NuclioFunction CRD (cluster-wide) when missing, and waits until it is
 * Established. One already there is left as it is: it is shared by every test run on the
 * cluster, and replacing it (with an older or looser schema) under another run's feet would
 * break that run's validation tests.
 */
export async function applyCrd(client: KubeClient): Promise<void> {
  // The manifest (JSON names): the REST client sends JSON as is, not client-node's model.
  const crd = nuclioFunctionCrdManifest() as unknown as KubeObject;
  const name = crd.metadata!.name!;
  if (!(await client.get(CRDS, '*', name))) {
    try {
      await client.create(CRDS, '*', crd);
    } catch (err) {
      if (statusCodeOf(err) !== 409) throw err; // another test file created it meanwhile
    }
  }
  await waitFor('the NuclioFunction CRD to be Established', async () => {
    const current = await client.get<KubeObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>(CRDS, '*', name);
    return current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  });
}

/** A fresh namespace `nucleon-test-<random>`. */
export async function createTestNamespace(client: KubeClient): Promise<string> {
  const name = `nucleon-test-${randomBytes(4).toString('hex')}`;
  await client.create(NAMESPACES, '*', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

export async function deleteTestNamespace(client: KubeClient, name: string): Promise<void> {
  await client.delete(NAMESPACES, '*', name);
}

/** Polls `check` every 200 ms until it holds, failing with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
