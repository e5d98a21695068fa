import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import { nuclioFunctionCrd } from '../objects/crd.js';
import { createClusterClient } from './api-client.js';
import { applyObjects, waitCrdEstablished } from './apply-objects.js';
import { KubernetesPlatform } from './kubernetes-platform.js';
import { loadKubeConfig, localClusterKubeconfig } from './kubeconfig.js';
import { createObjectClient } from './object-client.js';

/**
 * The platform against the real API server of the local cluster (scripts/services/kubernetes.sh),
 * and images that do not exist: what the platform itself does (apply, replace, roll back,
 * refuse, delete, time out) is checked on real objects, with or without a controller around.
 * The controller's side is in packages/cli/src/kubernetes.integration.test.ts.
 */
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const NS = `nucleon-test-${Date.now().toString(36)}p`;
let platform: KubernetesPlatform;
const namespaceObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } };

function config(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}): FunctionConfig {
  return validateFunctionConfig({ metadata: { name, labels }, spec: { runtime: 'nodejs', handler: 'main:handler', image: '127.0.0.1:5000/nucleon/none:1', ...spec } }).config;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  return promise.then(() => { throw new Error('expected a failure'); }, (err: Error) => err);
}

beforeAll(async () => {
  const script = join(ROOT, 'scripts/services/kubernetes.sh');
  if (existsSync(script)) execFileSync('bash', [script, 'start'], { stdio: 'inherit', timeout: 1_800_000 });
  const loaded = loadKubeConfig({ kubeconfig: process.env.KUBECONFIG ?? localClusterKubeconfig() });
  const client = createObjectClient(loaded);
  const crdName = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'nucliofunctions.nuclio.io' } };
  if (!(await client.read(crdName))) {
    // Shared by every test of the cluster: created when missing, never replaced or removed.
    await client.create(nuclioFunctionCrd());
    await waitCrdEstablished(client, nuclioFunctionCrd());
  }
  await applyObjects(client, [namespaceObject], () => undefined);
  platform = new KubernetesPlatform(createClusterClient(loaded), NS, { noControllerAfterMs: 1_000, intervalMs: 100 });
}, 1_900_000);

afterAll(async () => {
  const loaded = loadKubeConfig({ kubeconfig: process.env.KUBECONFIG ?? localClusterKubeconfig() });
  await createObjectClient(loaded).delete(namespaceObject).catch(() => undefined);
});

describe('KubernetesPlatform on the real API server', () => {
  it('applies the NuclioFunction, fails at the timeout (no controller, or an image that does not exist), and the resource stays for `get`', async () => {
    const lines: string[] = [];
    const error = await failure(platform.deploy({ config: config('lonely'), functionDir: '/f', readinessTimeoutMs: 2_500, onProgress: (l) => lines.push(l) }));
    expect(lines[0]).toBe(`applied NuclioFunction ${NS}/lonely (created, generation 1)`);
    expect(lines[1]).toBe('waiting for the controller');
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    // The shared cluster may run a controller watching every namespace (another test's).
    if (lines.some((l) => l.startsWith('controller: '))) {
      expect(error.message).toContain('not ready within 2.5 s');
    } else {
      expect(lines.some((l) => l.startsWith('no status from the controller after')), lines.join('\n')).toBe(true);
      expect(error.message).toContain('is the controller installed? `nucleon kube install`');
    }
    expect(await platform.get('lonely')).toMatchObject({ name: 'lonely', platform: 'kube', details: { namespace: NS, generation: 1 } });
    expect((await platform.getConfig('lonely'))?.spec.image).toBe('127.0.0.1:5000/nucleon/none:1');
    expect((await platform.list()).map((s) => s.name)).toContain('lonely');
  }, 30_000);

  it('an aborted update is rolled back to the previous spec; an aborted first deploy leaves nothing', async () => {
    await platform.deploy({ config: config('rolled', {}, { v: 'one' }), functionDir: '/f', readinessTimeoutMs: 300 }).catch(() => undefined);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 500);
    const error = await failure(platform.deploy({ config: config('rolled', { image: '127.0.0.1:5000/nucleon/none:2' }, { v: 'two' }), functionDir: '/f', signal: abort.signal }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_INTERRUPTED');
    const back = await platform.getConfig('rolled');
    expect(back?.spec.image).toBe('127.0.0.1:5000/nucleon/none:1');
    expect(back?.metadata.labels).toEqual({ v: 'one' });

    const fresh = new AbortController();
    setTimeout(() => fresh.abort(), 300);
    expect((await failure(platform.deploy({ config: config('fresh'), functionDir: '/f', signal: fresh.signal }))).code).toBe('NUCLEON_ERR_DEPLOY_INTERRUPTED');
    const after = await platform.get('fresh');
    expect(after === undefined || after.state === 'stopped').toBe(true);
  }, 30_000);

  it('a resource the API server refuses is INVALID_CONFIG with the server\'s field', async () => {
    const error = await failure(platform.deploy({ config: config('badlabel', {}, { v: 'a:b' }), functionDir: '/f' }));
    expect(error.code).toBe('NUCLEON_ERR_INVALID_CONFIG');
    expect(error.message).toContain(`the Kubernetes API server refused creating NuclioFunction ${NS}/badlabel`);
    expect(error.details?.problems).toEqual([expect.objectContaining({ path: 'metadata.labels' })]);
  }, 30_000);

  it('delete waits until the resource is gone; a second delete is FUNCTION_NOT_FOUND', async () => {
    await platform.deploy({ config: config('doomed'), functionDir: '/f', readinessTimeoutMs: 300 }).catch(() => undefined);
    const lines: string[] = [];
    await platform.delete('doomed', { onProgress: (l) => lines.push(l) });
    expect(lines.at(-1)).toBe('deleted');
    expect(await platform.get('doomed')).toBeUndefined();
    expect((await failure(platform.delete('doomed'))).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
  }, 60_000);

  it('no API server at the kubeconfig\'s address is CLUSTER_UNREACHABLE naming it', async () => {
    const loaded = loadKubeConfig({ kubeconfig: process.env.KUBECONFIG ?? localClusterKubeconfig() });
    const cluster = loaded.kubeConfig.getCurrentCluster()!;
    (cluster as { server: string }).server = 'https://127.0.0.1:1';
    const dead = new KubernetesPlatform(createClusterClient({ ...loaded, server: 'https://127.0.0.1:1' }), NS);
    const error = await failure(dead.list());
    expect(error.code).toBe('NUCLEON_ERR_CLUSTER_UNREACHABLE');
    expect(error.message).toContain('no Kubernetes API server answers at https://127.0.0.1:1');
  }, 30_000);
});
