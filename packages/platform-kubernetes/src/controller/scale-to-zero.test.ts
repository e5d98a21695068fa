import { InMemoryLogger } from '@nucleon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCALE_TO_ZERO_ANNOTATION } from '../objects/scale-to-zero-mark.js';
import { runController, type ControllerHandle } from './controller.js';
import type { KubeObject } from './kube-client.js';
import { DEPLOYMENTS, FUNCTIONS, HPAS, PODS, SERVICES } from './kube-resources.js';
import type { FunctionObject } from './reconciler.js';
import { FakeCluster } from './test-support/fake-cluster.js';
import { nuclioFunction } from './test-support/fake-objects.js';

/**
 * The controller's half of scale to zero over the in-memory API server, with the real
 * rendering and state rule (`src/objects/`): the test plays the Deployment controller and the
 * kubelet (pods come and go); a long resync, so every step is driven by watch events.
 */
const NS = 'team';
const SPEC = { runtime: 'nodejs', handler: 'main:handler', image: '127.0.0.1:5000/fn:1', minReplicas: 0, maxReplicas: 3 };
let cluster: FakeCluster;
let controller: ControllerHandle | undefined;
let logger: InMemoryLogger;

async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; controller log:\n${logger.records.map((r) => `${r.message} ${JSON.stringify(r.fields)}`).join('\n')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const fn = () => cluster.stored<FunctionObject>(FUNCTIONS, NS).find((f) => f.metadata.name === 'hello');
const deployment = () => cluster.stored<KubeObject & { spec: { replicas?: number } }>(DEPLOYMENTS, NS)[0];
const hpas = () => cluster.stored(HPAS, NS);

function setMark(on: boolean): void {
  cluster.edit(FUNCTIONS, NS, 'hello', (f) => {
    const annotations = { ...f.metadata!.annotations };
    if (on) annotations[SCALE_TO_ZERO_ANNOTATION] = 'true';
    else delete annotations[SCALE_TO_ZERO_ANNOTATION];
    f.metadata!.annotations = annotations;
  });
}

/** What the Deployment controller and the kubelet would do: `count` ready pods, the Deployment's status to match. */
async function runPods(count: number): Promise<void> {
  for (const pod of cluster.stored(PODS, NS)) await cluster.delete(PODS, NS, pod.metadata!.name!);
  for (let i = 0; i < count; i++) {
    await cluster.create(PODS, NS, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `nuclio-hello-${i}`, labels: { 'nuclio.io/function-name': 'hello', 'app.kubernetes.io/managed-by': 'nucleon' } },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
    } as KubeObject);
  }
  cluster.edit(DEPLOYMENTS, NS, 'nuclio-hello', (d) => {
    // The API server defaults an unset count to 1 (the in-memory one does not).
    (d.spec as { replicas?: number }).replicas ??= 1;
    d.status = { observedGeneration: d.metadata!.generation, replicas: count, readyReplicas: count, updatedReplicas: count };
  });
}

beforeEach(async () => {
  cluster = new FakeCluster();
  logger = new InMemoryLogger();
  controller = await runController({
    namespace: NS, client: cluster, informers: cluster, leaderElect: false, metricsPort: 0, logger, resyncMs: 600_000,
  });
});
afterEach(async () => { await controller?.stop(); });

describe('the controller: scale to zero by the nucleon.io/scale-to-zero mark', () => {
  it('marked: 0 replicas, no HPA, Service and ports kept, scaledToZero once the last pod is gone; unmarked: back to the HPA, ready', async () => {
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'hello', SPEC));
    await until('the Deployment and HPA', () => deployment() !== undefined && hpas().length === 1);
    expect(deployment()!.spec.replicas).toBeUndefined(); // the HPA's
    await runPods(1);
    await until('ready', () => fn()?.status?.state === 'ready');
    const ports = { httpPort: fn()!.status!.httpPort, adminPort: fn()!.status!.adminPort };
    const template = JSON.stringify((deployment() as KubeObject & { spec: { template: unknown } }).spec.template);
    const configMapWrites = () => cluster.writes().filter((c) => c.resource === 'configmaps').length;
    const configMapWritesBefore = configMapWrites();

    setMark(true);
    await until('0 replicas', () => deployment()?.spec.replicas === 0);
    await until('the HPA deleted', () => hpas().length === 0);
    // The pod is still draining: not at zero yet.
    await until('waiting for the pod', () => fn()?.status?.state === 'waitingForScaleResourcesToZero');
    expect(fn()!.status!.message).toBe('scaling to zero: 1 pod left (nuclio-hello-0)');
    await runPods(0);
    await until('scaledToZero', () => fn()?.status?.state === 'scaledToZero');
    expect(fn()!.status).toMatchObject({ ...ports, message: `scaled to zero (the ${SCALE_TO_ZERO_ANNOTATION} annotation)` });
    expect(cluster.stored(SERVICES, NS)).toHaveLength(1);
    // Only the count changed: no rollout, no new configuration.
    expect(JSON.stringify((deployment() as KubeObject & { spec: { template: unknown } }).spec.template)).toBe(template);
    expect(configMapWrites()).toBe(configMapWritesBefore);
    expect(fn()!.spec).toEqual(SPEC);

    setMark(false);
    // An HPA does not scale up from 0: the controller sets its minimum once.
    await until('1 replica', () => deployment()?.spec.replicas === 1);
    await until('the HPA back', () => hpas().length === 1);
    await until('building', () => fn()?.status?.state === 'building');
    await runPods(1);
    await until('ready again', () => fn()?.status?.state === 'ready');
    expect(fn()!.status).toMatchObject(ports);
  });

  it('a mark on a function without minReplicas 0 is ignored and named in its status', async () => {
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'hello', { ...SPEC, minReplicas: 1, maxReplicas: 1 }));
    await until('the Deployment', () => deployment() !== undefined);
    await runPods(1);
    await until('ready', () => fn()?.status?.state === 'ready');
    setMark(true);
    await until('the message', () => fn()?.status?.message?.includes('ignoring the nucleon.io/scale-to-zero annotation') ?? false);
    expect(fn()!.status!.state).toBe('ready');
    expect(deployment()!.spec.replicas).toBe(1);
  });
});
