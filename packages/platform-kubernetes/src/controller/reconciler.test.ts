import { InMemoryLogger } from '@nucleon/core/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KubeClient, KubeObject } from './kube-client.js';
import { CONFIG_MAPS, DEPLOYMENTS, FUNCTIONS, HPAS, SERVICES } from './kube-resources.js';
import { RecentWrites } from './recent-writes.js';
import { Reconciler, type FunctionObject, type ReconcilerCaches } from './reconciler.js';
import { FakeCluster } from './test-support/fake-cluster.js';
import { fakeObjects, nuclioFunction } from './test-support/fake-objects.js';

const NS = 'team';
let cluster: FakeCluster;
let logger: InMemoryLogger;

function reconcilerOver(client: KubeClient = cluster, owned = true): Reconciler {
  const caches: ReconcilerCaches = { functions: cluster.informer<FunctionObject>(FUNCTIONS, NS) };
  if (owned) {
    caches.configMaps = cluster.informer(CONFIG_MAPS, NS);
    caches.deployments = cluster.informer(DEPLOYMENTS, NS);
    caches.services = cluster.informer(SERVICES, NS);
    caches.hpas = cluster.informer(HPAS, NS);
  }
  return new Reconciler({ client, caches, objects: fakeObjects(), recentWrites: new RecentWrites(), logger });
}

async function createFunction(name: string, spec: Record<string, unknown>): Promise<FunctionObject> {
  return cluster.create(FUNCTIONS, NS, nuclioFunction(NS, name, spec));
}

const statusOf = (name: string) => cluster.stored<FunctionObject>(FUNCTIONS, NS).find((f) => f.metadata.name === name)?.status;

beforeEach(() => {
  cluster = new FakeCluster();
  logger = new InMemoryLogger();
});

describe('Reconciler', () => {
  it('creates the ConfigMap, Deployment and Service, owned by the function, and writes its status', async () => {
    const fn = await createFunction('hello', { image: 'img:1', env: { A: '1' } });
    await reconcilerOver().reconcile(`${NS}/hello`);
    const [deployment] = cluster.stored(DEPLOYMENTS, NS);
    expect(deployment!.metadata!.name).toBe('nuclio-hello');
    expect(deployment!.metadata!.ownerReferences![0]!.uid).toBe(fn.metadata.uid);
    expect(cluster.stored(CONFIG_MAPS, NS)[0]!.data).toEqual({ A: '1' });
    expect(cluster.stored(SERVICES, NS)).toHaveLength(1);
    expect(statusOf('hello')).toMatchObject({ state: 'building', httpPort: 30000, adminPort: 30001 });
    expect(logger.messages('info')).toEqual([
      `created ConfigMap ${NS}/nuclio-hello`, `created Deployment ${NS}/nuclio-hello`, `created Service ${NS}/nuclio-hello`, `status ${NS}/hello: building`,
    ]);
  });

  it('makes no write call when reconciling a function that has not changed', async () => {
    await createFunction('hello', { image: 'img:1' });
    const reconciler = reconcilerOver();
    await reconciler.reconcile(`${NS}/hello`);
    const before = cluster.writes().length;
    await reconciler.reconcile(`${NS}/hello`);
    await reconciler.reconcile(`${NS}/hello`);
    expect(cluster.writes().length).toBe(before);
  });

  it('makes no write call after a restart either (a new reconciler, same cluster)', async () => {
    await createFunction('hello', { image: 'img:1' });
    await reconcilerOver().reconcile(`${NS}/hello`);
    const before = cluster.writes().length;
    await reconcilerOver().reconcile(`${NS}/hello`);
    expect(cluster.writes().length).toBe(before);
  });

  it('updates only the objects a spec change touches, keeping the ports', async () => {
    await createFunction('hello', { image: 'img:1', env: { A: '1' } });
    const reconciler = reconcilerOver();
    await reconciler.reconcile(`${NS}/hello`);
    cluster.edit(FUNCTIONS, NS, 'hello', (fn) => { (fn.spec as Record<string, unknown>).env = { A: '2' }; });
    const before = cluster.writes().length;
    await reconciler.reconcile(`${NS}/hello`);
    expect(cluster.writes().slice(before).map((c) => `${c.verb} ${c.resource}`)).toEqual(['update configmaps']);
    expect(cluster.stored(CONFIG_MAPS, NS)[0]!.data).toEqual({ A: '2' });
    expect(statusOf('hello')).toMatchObject({ httpPort: 30000 });
  });

  it('puts back a Deployment someone else changed', async () => {
    await createFunction('hello', { image: 'img:1' });
    const reconciler = reconcilerOver();
    await reconciler.reconcile(`${NS}/hello`);
    cluster.edit(DEPLOYMENTS, NS, 'nuclio-hello', (d) => { (d.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]!.image = 'other'; });
    await reconciler.reconcile(`${NS}/hello`);
    expect(JSON.stringify(cluster.stored(DEPLOYMENTS, NS)[0]!.spec)).toContain('img:1');
  });

  it('reflects the Deployment in the status, writing it only when it changed', async () => {
    await createFunction('hello', { image: 'img:1' });
    const reconciler = reconcilerOver();
    await reconciler.reconcile(`${NS}/hello`);
    const notReadyAt = statusOf('hello')!.conditions![0]!.lastTransitionTime;
    await new Promise((r) => setTimeout(r, 5));
    cluster.edit(DEPLOYMENTS, NS, 'nuclio-hello', (d) => { d.status = { replicas: 1, readyReplicas: 1 }; });
    await reconciler.reconcile(`${NS}/hello`);
    expect(statusOf('hello')!.state).toBe('ready');
    const readyAt = statusOf('hello')!.conditions![0]!.lastTransitionTime;
    expect(readyAt).not.toBe(notReadyAt);
    const statusWrites = () => cluster.writes().filter((c) => c.verb === 'updateStatus').length;
    const before = statusWrites();
    await new Promise((r) => setTimeout(r, 5));
    await reconciler.reconcile(`${NS}/hello`);
    expect(statusWrites()).toBe(before);
    expect(statusOf('hello')!.conditions![0]!.lastTransitionTime).toBe(readyAt);
  });

  it('marks an invalid function as error and creates nothing', async () => {
    await createFunction('bad', { invalid: true });
    await reconcilerOver().reconcile(`${NS}/bad`);
    expect(statusOf('bad')).toMatchObject({ state: 'error', message: 'spec.invalid: invalid on purpose' });
    expect(cluster.stored(DEPLOYMENTS, NS)).toEqual([]);
    expect(cluster.stored(CONFIG_MAPS, NS)).toEqual([]);
  });

  it('does nothing for a function that is gone', async () => {
    await reconcilerOver().reconcile(`${NS}/nothing`);
    expect(cluster.writes()).toEqual([]);
  });

  it('reads with GET where it has no cache, and carries on when a create finds the object already there', async () => {
    await createFunction('hello', { image: 'img:1' });
    await reconcilerOver(cluster, false).reconcile(`${NS}/hello`);
    // A stale read: the first GET of the Deployment says "missing" although it exists.
    let hidden = false;
    const stale: KubeClient = Object.assign(Object.create(cluster) as FakeCluster, {
      get: async <T extends KubeObject>(...args: Parameters<KubeClient['get']>) => {
        if (!hidden && args[0] === DEPLOYMENTS) { hidden = true; return undefined; }
        return cluster.get<T>(...args);
      },
    });
    cluster.edit(DEPLOYMENTS, NS, 'nuclio-hello', (d) => { (d.spec as { replicas: number }).replicas = 5; });
    await reconcilerOver(stale, false).reconcile(`${NS}/hello`);
    const deployment = cluster.stored(DEPLOYMENTS, NS)[0]!;
    expect((deployment.spec as { replicas: number }).replicas).toBe(1);
    expect(cluster.calls.filter((c) => c.resource === 'deployments').map((c) => c.verb)).toEqual(['get', 'create', 'create', 'get', 'update']);
  });

  it('fails (to be retried) when an update meets a conflict', async () => {
    await createFunction('hello', { image: 'img:1' });
    const reconciler = reconcilerOver();
    await reconciler.reconcile(`${NS}/hello`);
    cluster.edit(FUNCTIONS, NS, 'hello', (fn) => { (fn.spec as Record<string, unknown>).image = 'img:2'; });
    cluster.failNext('update', 'deployments', 409);
    await expect(reconciler.reconcile(`${NS}/hello`)).rejects.toMatchObject({ code: 'NUCLEON_ERR_KUBE_API', details: { statusCode: 409 } });
    await reconciler.reconcile(`${NS}/hello`);
    expect(JSON.stringify(cluster.stored(DEPLOYMENTS, NS)[0]!.spec)).toContain('img:2');
  });

  it('creates an HPA when asked for and deletes it when no longer asked for', async () => {
    await createFunction('hello', { image: 'img:1', hpa: true });
    const reconciler = reconcilerOver();
    await reconciler.reconcile(`${NS}/hello`);
    expect(cluster.stored(HPAS, NS)).toHaveLength(1);
    cluster.edit(FUNCTIONS, NS, 'hello', (fn) => { delete (fn.spec as Record<string, unknown>).hpa; });
    await reconciler.reconcile(`${NS}/hello`);
    expect(cluster.stored(HPAS, NS)).toEqual([]);
    expect(logger.messages('info')).toContain(`deleted HorizontalPodAutoscaler ${NS}/nuclio-hello`);
  });

  it('leaves alone an HPA of that name that this function does not own', async () => {
    await cluster.create(HPAS, NS, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'nuclio-hello', namespace: NS } });
    await createFunction('hello', { image: 'img:1' });
    await reconcilerOver().reconcile(`${NS}/hello`);
    expect(cluster.stored(HPAS, NS)).toHaveLength(1);
  });

  it('gives two functions different ports even before either status is written', async () => {
    await createFunction('one', { image: 'img:1' });
    await createFunction('two', { image: 'img:1' });
    const reconciler = reconcilerOver();
    cluster.failNext('updateStatus', 'nucliofunctions', 500);
    await expect(reconciler.reconcile(`${NS}/one`)).rejects.toThrow();
    await reconciler.reconcile(`${NS}/two`);
    await reconciler.reconcile(`${NS}/one`);
    expect(statusOf('one')!.httpPort).toBe(30000);
    expect(statusOf('two')!.httpPort).toBe(30002);
  });
});
