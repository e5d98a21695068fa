import { InMemoryLogger } from '@nucleon/core/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KubeConfig } from '@kubernetes/client-node';
import { runController, type ControllerHandle } from './controller.js';
import { statusCodeOf, type KubeClient, type KubeObject } from './kube-client.js';
import { CONFIG_MAPS, DEPLOYMENTS, FUNCTIONS, HPAS, INGRESSES, SERVICES } from './kube-resources.js';
import type { FunctionObject } from './reconciler.js';
import { applyCrd, createTestNamespace, deleteTestNamespace, realCluster, waitFor } from './test-support/real-cluster.js';

// Images only ever name the local registry: a pod that tries to pull never leaves loopback.
const IMAGE = '127.0.0.1:5000/nucleon-test/absent:1';

let kubeConfig: KubeConfig;
let client: KubeClient;
let namespace: string;
let controller: ControllerHandle;
let logger: InMemoryLogger;

function nuclioFunction(name: string, spec: Record<string, unknown> = {}): FunctionObject {
  return {
    apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', metadata: { name, namespace },
    spec: { handler: 'main:handler', runtime: 'nodejs', image: IMAGE, env: [{ name: 'GREETING', value: 'hello' }], ...spec },
  } as FunctionObject;
}

const get = <T extends KubeObject = KubeObject>(resource: typeof DEPLOYMENTS, name: string) => client.get<T>(resource, namespace, name);
type DeploymentJson = KubeObject & { spec: { strategy?: { type?: string }; template: { spec: {
  nodeSelector?: Record<string, string>; tolerations?: unknown[];
  containers: Array<{ env?: Array<{ name: string; value?: string }>; resources?: { limits?: Record<string, string> } }>;
} } } };

/** Changes a function's spec as `kubectl edit` would: read, change, replace, again on a 409 (the controller writes its status meanwhile). */
async function editFunction(name: string, change: (spec: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  await waitFor(`an edit of ${name}`, async () => {
    const current = (await get<FunctionObject>(FUNCTIONS, name))!;
    try {
      await client.replace(FUNCTIONS, namespace, name, { ...current, spec: change(current.spec) });
      return true;
    } catch (err) {
      if (statusCodeOf(err) === 409) return false;
      throw err;
    }
  });
}

async function startController(resyncMs = 60_000): Promise<void> {
  logger = new InMemoryLogger();
  controller = await runController({ kubeConfig, namespace, leaderElect: false, metricsPort: 0, resyncMs, logger });
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${controller.metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name + ' '));
  return Number(line?.split(' ')[1] ?? NaN);
}

beforeAll(async () => {
  ({ kubeConfig, client } = await realCluster());
  await applyCrd(client);
});

beforeEach(async () => {
  namespace = await createTestNamespace(client);
});

afterEach(async () => {
  await controller?.stop();
  await deleteTestNamespace(client, namespace);
});


describe('the controller on a real cluster', () => {
  it('creates the ConfigMap, Deployment (GPU: limit, Recreate, tolerations, nodeSelector), Service, HPA and Ingress, owned by the function', async () => {
    await startController();
    const fn = await client.create<FunctionObject>(FUNCTIONS, namespace, nuclioFunction('gpu', {
      resources: { limits: { 'nvidia.com/gpu': 1 } },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      minReplicas: 1, maxReplicas: 3,
      triggers: { web: { kind: 'http', attributes: { ingresses: { main: { host: 'gpu.nucleon.test', paths: ['/'] } } } } },
    }));
    const deployment = await waitFor('the Deployment', () => get<DeploymentJson>(DEPLOYMENTS, 'nuclio-gpu'));
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0]!.resources?.limits?.['nvidia.com/gpu']).toBe('1');
    expect(deployment.spec.strategy?.type).toBe('Recreate');
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    for (const resource of [CONFIG_MAPS, DEPLOYMENTS, SERVICES, HPAS, INGRESSES]) {
      const object = await waitFor(`the ${resource.kind}`, () => get(resource, 'nuclio-gpu'));
      expect(object.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'NuclioFunction', name: 'gpu', uid: fn.metadata.uid, controller: true })]);
    }
    expect(logger.messages('info')).toContain(`created Deployment ${namespace}/nuclio-gpu`);

    // No GPU on this node: the pod stays Pending and the status says why, from the scheduler.
    const status = await waitFor('status unhealthy with the scheduler\'s reason', async () => {
      const current = await get<FunctionObject>(FUNCTIONS, 'gpu');
      return current?.status?.state === 'unhealthy' && current.status.message?.includes('Insufficient nvidia.com/gpu') ? current.status : undefined;
    });
    expect(status.httpPort).toBeGreaterThanOrEqual(30000);
    expect(status.adminPort).toBeGreaterThanOrEqual(30000);
  });

  it('rolls a spec change (env) out to the ConfigMap and Deployment, and deletes an HPA no longer asked for', async () => {
    await startController();
    await client.create(FUNCTIONS, namespace, nuclioFunction('hello', { minReplicas: 1, maxReplicas: 2 }));
    await waitFor('the HPA', () => get(HPAS, 'nuclio-hello'));
    const before = await waitFor('the Deployment', () => get<DeploymentJson>(DEPLOYMENTS, 'nuclio-hello'));
    await editFunction('hello', (spec) => {
      const { minReplicas: _min, maxReplicas: _max, ...rest } = spec;
      return { ...rest, env: [{ name: 'GREETING', value: 'changed' }] };
    });
    const after = await waitFor('the Deployment with the new env', async () => {
      const d = await get<DeploymentJson>(DEPLOYMENTS, 'nuclio-hello');
      return d?.spec.template.spec.containers[0]!.env?.some((e) => e.name === 'GREETING' && e.value === 'changed') ? d : undefined;
    });
    expect(after.metadata!.uid).toBe(before.metadata!.uid);
    const configMap = await get<KubeObject & { data: Record<string, string> }>(CONFIG_MAPS, 'nuclio-hello');
    expect(Object.values(configMap!.data).join()).toContain('changed');
    await waitFor('the HPA to be deleted', async () => !(await get(HPAS, 'nuclio-hello')));
    expect(logger.messages('info')).toEqual(expect.arrayContaining([
      `updated ConfigMap ${namespace}/nuclio-hello`, `updated Deployment ${namespace}/nuclio-hello`, `deleted HorizontalPodAutoscaler ${namespace}/nuclio-hello`,
    ]));
  });

  it('makes no write call on a no-op resync', async () => {
    await startController(500);
    await client.create(FUNCTIONS, namespace, nuclioFunction('steady'));
    await waitFor('a status', async () => (await get<FunctionObject>(FUNCTIONS, 'steady'))?.status?.state);
    // Settle: the pod's first status changes may legitimately change the function's status.
    let writes = -1;
    await waitFor('writes to stop', async () => {
      const now = controller.stats().writes;
      const settled = now === writes;
      writes = now;
      if (!settled) await new Promise((r) => setTimeout(r, 1500));
      return settled;
    }, 20_000);
    const reconcilesBefore = await metric('nucleon_controller_reconciles_total{result="success"}');
    const before = controller.stats();
    await new Promise((r) => setTimeout(r, 2600)); // five resyncs
    expect(await metric('nucleon_controller_reconciles_total{result="success"}')).toBeGreaterThanOrEqual(reconcilesBefore + 4);
    expect(controller.stats().writes).toBe(writes);
    // Informer caches answer every read: a resync costs no GET. (Lists are left out: a watch
    // may be restarted meanwhile, e.g. when another test replaces the cluster-wide CRD.)
    expect(controller.stats().byVerb.get).toEqual(before.byVerb.get);
  });

  it('sets status error for an invalid function and creates nothing for it', async () => {
    await startController();
    await client.create(FUNCTIONS, namespace, nuclioFunction('bad', { eventTimeout: 'soon' }));
    const status = await waitFor('status error', async () => {
      const s = (await get<FunctionObject>(FUNCTIONS, 'bad'))?.status;
      return s?.state === 'error' ? s : undefined;
    });
    expect(status.message).toContain('eventTimeout');
    expect(await get(DEPLOYMENTS, 'nuclio-bad')).toBeUndefined();
    expect(await get(CONFIG_MAPS, 'nuclio-bad')).toBeUndefined();
  });

  it('leaves the deletion of every object to the garbage collector when the function is deleted', async () => {
    await startController();
    await client.create(FUNCTIONS, namespace, nuclioFunction('gone', {
      minReplicas: 1, maxReplicas: 2,
      triggers: { web: { kind: 'http', attributes: { ingresses: { main: { host: 'gone.nucleon.test', paths: ['/'] } } } } },
    }));
    for (const resource of [CONFIG_MAPS, DEPLOYMENTS, SERVICES, HPAS, INGRESSES]) await waitFor(`the ${resource.kind}`, () => get(resource, 'nuclio-gone'));
    const writesBefore = controller.stats().byVerb.delete ?? {};
    await client.delete(FUNCTIONS, namespace, 'gone');
    for (const resource of [CONFIG_MAPS, DEPLOYMENTS, SERVICES, HPAS, INGRESSES]) {
      await waitFor(`the ${resource.kind} to be garbage-collected`, async () => !(await get(resource, 'nuclio-gone')));
    }
    expect(controller.stats().byVerb.delete ?? {}).toEqual(writesBefore);
  });

  it('reconciles 50 new functions with 3 creates each and no update, distinct ports, and then a resync costs nothing', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `many-${i}`);
    // replicas 0: the objects are real, but no pod loads the shared node.
    for (const name of names) await client.create(FUNCTIONS, namespace, nuclioFunction(name, { replicas: 0 }));
    await startController(1000);
    const functions = await waitFor('every function to have its ports in its status', async () => {
      const list = await client.list<FunctionObject>(FUNCTIONS, namespace);
      return list.items.every((f) => f.status?.httpPort) ? list.items : undefined;
    });
    expect(new Set(functions.map((f) => f.status!.httpPort)).size).toBe(names.length);
    await new Promise((r) => setTimeout(r, 500));
    const settled = controller.stats();
    const n = names.length;
    expect(settled.byVerb.create).toEqual({ configmaps: n, deployments: n, services: n });
    // No object is ever updated; the status is written once, or twice when the Deployment's
    // own status arriving changes what it says.
    expect(Object.keys(settled.byVerb.update ?? {})).toEqual(['nucliofunctions/status']);
    expect(settled.byVerb.update!['nucliofunctions/status']).toBeGreaterThanOrEqual(n);
    expect(settled.byVerb.update!['nucliofunctions/status']).toBeLessThanOrEqual(2 * n);
    await new Promise((r) => setTimeout(r, 2500)); // two resyncs of all 50
    expect(controller.stats().writes).toBe(settled.writes);
    expect(controller.stats().byVerb.get).toEqual(settled.byVerb.get);
  }, 90_000);
});
