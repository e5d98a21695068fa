import { InMemoryLogger } from '@nucleon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runController, type ControllerHandle, type ControllerOptions } from './controller.js';
import { DEPLOYMENTS, FUNCTIONS } from './kube-resources.js';
import type { FunctionObject } from './reconciler.js';
import { FakeCluster } from './test-support/fake-cluster.js';
import { fakeObjects, nuclioFunction } from './test-support/fake-objects.js';

const NS = 'team';
let cluster: FakeCluster;
const running: ControllerHandle[] = [];

async function start(options: Partial<ControllerOptions> = {}): Promise<ControllerHandle> {
  const handle = await runController({
    namespace: NS, client: cluster, informers: cluster, objects: fakeObjects(), leaderElect: false, metricsPort: 0,
    logger: new InMemoryLogger(), resyncMs: 50,
    leaderElection: { leaseDurationSeconds: 0.3, renewPeriodMs: 30, renewDeadlineMs: 100, retryPeriodMs: 20 },
    ...options,
  });
  running.push(handle);
  return handle;
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const stateOf = (name: string) => cluster.stored<FunctionObject>(FUNCTIONS, NS).find((f) => f.metadata.name === name)?.status?.state;

beforeEach(() => { cluster = new FakeCluster(); });
afterEach(async () => { await Promise.all(running.splice(0).map((c) => c.stop())); });

describe('runController', () => {
  it('reconciles functions as they appear and change, and a no-op resync makes no write', async () => {
    const controller = await start();
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'hello', { image: 'img:1' }));
    await until(() => stateOf('hello') === 'building');
    cluster.edit(DEPLOYMENTS, NS, 'nuclio-hello', (d) => { d.status = { readyReplicas: 1 }; });
    await until(() => stateOf('hello') === 'ready');
    await new Promise((r) => setTimeout(r, 60));
    const writes = controller.stats().writes;
    await new Promise((r) => setTimeout(r, 250)); // several resyncs
    expect(controller.stats().writes).toBe(writes);
    expect(controller.stats().byVerb.create).toMatchObject({ deployments: 1, configmaps: 1, services: 1 });
  });

  it('serves /metrics and /healthz on 127.0.0.1', async () => {
    const controller = await start();
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'hello', { image: 'img:1' }));
    await until(() => stateOf('hello') === 'building');
    const metrics = await (await fetch(`http://127.0.0.1:${controller.metricsPort}/metrics`)).text();
    expect(metrics).toContain('nucleon_controller_api_calls_total{verb="create",resource="deployments"} 1');
    expect(metrics).toContain('nucleon_controller_leader 1');
    expect(metrics).toMatch(/nucleon_controller_reconciles_total\{result="success"\} [1-9]/);
    const health = await fetch(`http://127.0.0.1:${controller.metricsPort}/healthz`);
    expect(health.status).toBe(200);
  });

  it('retries a failing reconcile with backoff and logs the same error once', async () => {
    const logger = new InMemoryLogger();
    for (let i = 0; i < 3; i++) cluster.failNext('create', 'deployments', 500);
    await start({ logger, resyncMs: 60_000 });
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'hello', { image: 'img:1' }));
    await until(() => stateOf('hello') === 'building');
    const failures = logger.records.filter((r) => r.level === 'error');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toBe(`reconcile ${NS}/hello failed; retrying with backoff`);
    expect(String(failures[0]!.fields.error)).toContain('injected 500');
  });

  it('with two controllers, only the Lease holder writes; the other takes over when it stops', async () => {
    const a = await start({ leaderElect: true, identity: 'a' });
    await until(() => a.isLeading());
    const b = await start({ leaderElect: true, identity: 'b' });
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'one', { image: 'img:1' }));
    await until(() => stateOf('one') === 'building');
    await new Promise((r) => setTimeout(r, 200));
    expect(b.isLeading()).toBe(false);
    expect(b.stats().writes).toBe(0);
    await a.stop();
    expect(await a.done).toBe('stopped');
    await until(() => b.isLeading());
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'two', { image: 'img:1' }));
    await until(() => stateOf('two') === 'building');
    expect(b.stats().byVerb.create?.deployments).toBe(1);
  });

  it('stops writing at once and settles done with lost-lease when the Lease cannot be renewed', async () => {
    const controller = await start({ leaderElect: true, identity: 'a' });
    await until(() => controller.isLeading());
    for (let i = 0; i < 100; i++) cluster.failNext('get', 'leases', 500);
    expect(await controller.done).toBe('lost-lease');
    expect(controller.isLeading()).toBe(false);
    const writes = cluster.writes().length;
    await cluster.create(FUNCTIONS, NS, nuclioFunction(NS, 'late', { image: 'img:1' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(cluster.writes().length).toBe(writes + 1); // the test's own create only
  });
});
