import { describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import type { NuclioFunctionResource } from '../objects/resource.js';
import { createKubernetesPlatform } from './create-platform.js';
import { FakeCluster, fakePod } from './test-support/fake-cluster.js';

function config(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({ metadata: { name: 'echo', ...metadata }, spec: { runtime: 'nodejs', handler: 'main:handler', image: 'reg/fn:1', ...spec } }).config;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  return promise.then(() => { throw new Error('expected a failure'); }, (err: Error) => err);
}

const readyController = (resource: NuclioFunctionResource) => ({
  state: 'ready' as const, httpPort: 31001, adminPort: 31002, replicas: 1, readyReplicas: 1, observedGeneration: resource.metadata.generation,
});

const fast = { noControllerAfterMs: 50, intervalMs: 5 };

function platformOver(cluster: FakeCluster) {
  return createKubernetesPlatform({ namespace: 'fns' }, cluster, fast);
}

describe('KubernetesPlatform deploy (in-memory API)', () => {
  it('refuses a function without spec.image, saying the CLI builds and pushes one', async () => {
    const cluster = new FakeCluster();
    const error = await failure(platformOver(cluster).deploy({ config: config({ image: undefined }), functionDir: '/f' }));
    expect(error.code).toBe('NUCLEON_ERR_INVALID_CONFIG');
    expect(error.message).toContain('`nucleon deploy --platform kube` builds and pushes one');
    expect(cluster.functions.size).toBe(0);
  });

  it('creates the NuclioFunction with the config as its spec and waits for the controller\'s ready', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    cluster.pods = [fakePod('echo', 'echo-abc')];
    const lines: string[] = [];
    const status = await platformOver(cluster).deploy({
      config: config({ env: [{ name: 'A', value: '1' }] }, { labels: { team: 'x' } }), functionDir: '/f', onProgress: (l) => lines.push(l),
    });
    const stored = cluster.functions.get('fns/echo')!;
    expect(stored).toMatchObject({ apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction' });
    expect(stored.metadata.labels).toEqual({ team: 'x', 'nuclio.io/function-name': 'echo', 'app.kubernetes.io/managed-by': 'nucleon' });
    expect(stored.spec).toMatchObject({ image: 'reg/fn:1', runtime: 'nodejs', env: [{ name: 'A', value: '1' }] });
    expect(stored.spec).not.toHaveProperty('eventTimeoutMs');
    expect(lines[0]).toBe('applied NuclioFunction fns/echo (created, generation 1)');
    expect(lines).toContain('waiting for the controller');
    expect(lines.at(-1)).toBe('ready');
    expect(status).toMatchObject({ name: 'echo', platform: 'kube', state: 'ready', url: 'http://127.0.0.1:31001', httpPort: 31001, restarts: 0 });
    expect(status.details).toMatchObject({ namespace: 'fns', image: 'reg/fn:1', replicas: 1, readyReplicas: 1 });
  });

  it('deploys into metadata.namespace when the configuration names one', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    await platformOver(cluster).deploy({ config: config({}, { namespace: 'other' }), functionDir: '/f' });
    expect([...cluster.functions.keys()]).toEqual(['other/echo']);
  });

  it('an update is ready only once the controller has observed the new generation', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    await platform.deploy({ config: config(), functionDir: '/f' });
    // The controller lags: for a while it still reports ready for generation 1.
    let reads = 0;
    cluster.controller = (resource) => {
      reads += 1;
      return reads < 5 ? { state: 'ready', httpPort: 31001, observedGeneration: 1 } : readyController(resource);
    };
    const lines: string[] = [];
    const status = await platform.deploy({ config: config({ image: 'reg/fn:2' }), functionDir: '/f', onProgress: (l) => lines.push(l) });
    expect(reads).toBeGreaterThanOrEqual(5);
    expect(lines[0]).toBe('applied NuclioFunction fns/echo (updated, generation 2)');
    expect(status.details).toMatchObject({ image: 'reg/fn:2', generation: 2, observedGeneration: 2 });
  });

  it('waits past a ready status while an old pod still runs the previous image', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    cluster.pods = [fakePod('echo', 'echo-old')];
    await platform.deploy({ config: config(), functionDir: '/f' });
    const newPod = fakePod('echo', 'echo-new', { image: 'fn:2', ready: false, unschedulable: "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports." });
    cluster.pods = [fakePod('echo', 'echo-old'), newPod];
    const lines: string[] = [];
    const error = await failure(platform.deploy({ config: config({ image: 'fn:2' }), functionDir: '/f', readinessTimeoutMs: 200, onProgress: (l) => lines.push(l) }));
    expect(error.message).toContain("not ready within 0.2 s (state ready, but pods of the previous image still run; pods: 1/1 ready (Pending: 0/1 nodes are available: 1 node(s) didn't have free ports");
    expect(lines).toContain("pods: 1/1 ready (Pending: 0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.)");
    cluster.pods = [fakePod('echo', 'echo-new', { image: 'fn:2' })];
    expect(await platform.deploy({ config: config({ image: 'fn:2' }), functionDir: '/f' })).toMatchObject({ state: 'ready' });
  });

  it('retries a replace that conflicts with the controller\'s status write', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    await platform.deploy({ config: config(), functionDir: '/f' });
    cluster.conflicts = 2;
    await platform.deploy({ config: config({ image: 'reg/fn:2' }), functionDir: '/f' });
    expect(cluster.functions.get('fns/echo')!.spec.image).toBe('reg/fn:2');
    expect(cluster.calls.filter((c) => c.startsWith('replace')).length).toBe(3);
  });

  it('with no controller: says so in progress, then fails at the timeout pointing at `nucleon kube install`', async () => {
    const cluster = new FakeCluster();
    const lines: string[] = [];
    const error = await failure(platformOver(cluster).deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 300, onProgress: (l) => lines.push(l) }));
    expect(lines.some((l) => l.startsWith('no status from the controller after'))).toBe(true);
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toContain('is the controller installed? `nucleon kube install`');
    // Nuclio's way: the resource stays, so `get` can say what is wrong.
    expect(cluster.functions.has('fns/echo')).toBe(true);
  });

  it('fails on the controller\'s error with its message and the pod\'s last log lines', async () => {
    const cluster = new FakeCluster();
    cluster.controller = (r) => ({ state: 'error', message: 'the processor exited with code 1', observedGeneration: r.metadata.generation });
    cluster.pods = [fakePod('echo', 'echo-x', { ready: false, restarts: 3, waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } })];
    cluster.logs.set('echo-x:previous', Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n'));
    const error = await failure(platformOver(cluster).deploy({ config: config(), functionDir: '/f' }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toContain('the controller reports an error: the processor exited with code 1');
    expect(error.message).toMatch(/last lines of pod echo-x:\nline 10\n[\s\S]*line 29$/);
    expect(error.message).not.toContain('line 9\n');
  });

  it('reports the pods\' progress, the scheduler\'s reason included, and fails at the readiness timeout', async () => {
    const cluster = new FakeCluster();
    cluster.controller = (r) => ({ state: 'building', observedGeneration: r.metadata.generation, replicas: 1, readyReplicas: 0 });
    cluster.pods = [fakePod('echo', 'echo-gpu', { ready: false, unschedulable: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.' })];
    const lines: string[] = [];
    const error = await failure(platformOver(cluster).deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 200, onProgress: (l) => lines.push(l) }));
    expect(lines).toContain('pods: 0/1 ready (Pending: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.)');
    expect(lines.filter((l) => l.startsWith('pods:')).length).toBe(1);
    expect(error.message).toContain('not ready within 0.2 s (state building; pods: 0/1 ready (Pending: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.))');
  });

  it('an aborted first deploy deletes the new function', async () => {
    const cluster = new FakeCluster();
    const abort = new AbortController();
    const deploying = platformOver(cluster).deploy({ config: config(), functionDir: '/f', signal: abort.signal, readinessTimeoutMs: 5_000 });
    setTimeout(() => abort.abort(), 30);
    const error = await failure(deploying);
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_INTERRUPTED');
    expect(error.message).toContain('the new function was deleted');
    expect(cluster.functions.size).toBe(0);
  });

  it('an aborted update puts the previous spec and labels back', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    await platform.deploy({ config: config({}, { labels: { v: '1' } }), functionDir: '/f' });
    const before = structuredClone(cluster.functions.get('fns/echo')!);
    cluster.controller = () => ({ state: 'ready', observedGeneration: 1, httpPort: 31001 });
    const abort = new AbortController();
    const deploying = platform.deploy({ config: config({ image: 'reg/fn:2' }, { labels: { v: '2' } }), functionDir: '/f', signal: abort.signal });
    setTimeout(() => abort.abort(), 30);
    const error = await failure(deploying);
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_INTERRUPTED');
    expect(error.details).toMatchObject({ previous: 'rolled-back' });
    const after = cluster.functions.get('fns/echo')!;
    expect(after.spec).toEqual(before.spec);
    expect(after.metadata.labels).toEqual(before.metadata.labels);
  });
});

describe('KubernetesPlatform get, list, delete, logs (in-memory API)', () => {
  it('maps the controller\'s states and sums pod restarts', async () => {
    const cluster = new FakeCluster();
    const platform = platformOver(cluster);
    cluster.controller = readyController;
    await platform.deploy({ config: config(), functionDir: '/f' });
    cluster.pods = [fakePod('echo', 'echo-1', { restarts: 2 }), fakePod('echo', 'echo-2', { restarts: 1 }), fakePod('other', 'other-1', { restarts: 9 })];
    expect(await platform.get('echo')).toMatchObject({ state: 'ready', restarts: 3 });
    for (const [state, mapped] of [['building', 'deploying'], ['error', 'error'], ['unhealthy', 'error'], ['waitingForScaleResourcesToZero', 'deploying']] as const) {
      cluster.controller = (r) => ({ state, message: `m-${state}`, observedGeneration: r.metadata.generation });
      expect(await platform.get('echo')).toMatchObject({ state: mapped, message: `m-${state}` });
    }
    cluster.controller = undefined;
    cluster.functions.get('fns/echo')!.metadata.deletionTimestamp = new Date();
    expect(await platform.get('echo')).toMatchObject({ state: 'stopped', message: 'being deleted (Kubernetes is removing what it owns first)' });
    delete cluster.functions.get('fns/echo')!.metadata.deletionTimestamp;
    delete cluster.functions.get('fns/echo')!.status;
    expect((await platform.get('echo'))?.message).toContain('waiting for the controller');
    expect(await platform.get('nope')).toBeUndefined();
  });

  it('shows a Pending pod\'s scheduler reason in the message', async () => {
    const cluster = new FakeCluster();
    cluster.controller = (r) => ({ state: 'building', observedGeneration: r.metadata.generation });
    const platform = platformOver(cluster);
    await platform.deploy({ config: config(), functionDir: '/f', readinessTimeoutMs: 50 }).catch(() => undefined);
    cluster.pods = [fakePod('echo', 'echo-gpu', { ready: false, unschedulable: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.' })];
    const status = await platform.get('echo');
    expect(status?.message).toContain('pod echo-gpu Pending: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
    expect((status?.details?.pods as unknown[])[0]).toMatchObject({ name: 'echo-gpu', phase: 'Pending', ready: false });
  });

  it('lists the namespace\'s functions sorted, each with its own pods, and reads the config back', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    await platform.deploy({ config: { ...config(), metadata: { ...config().metadata, name: 'zeta' } }, functionDir: '/f' });
    await platform.deploy({ config: config({ env: [{ name: 'K', value: 'v' }] }, { labels: { team: 'x' } }), functionDir: '/f' });
    cluster.pods = [fakePod('zeta', 'zeta-1', { restarts: 4 }), fakePod('echo', 'echo-1')];
    const list = await platform.list();
    expect(list.map((s) => [s.name, s.restarts])).toEqual([['echo', 0], ['zeta', 4]]);
    const read = await platform.getConfig('echo');
    expect(read?.metadata.labels).toEqual({ team: 'x' });
    expect(read?.spec.env).toEqual([{ name: 'K', value: 'v' }]);
    expect(read?.spec.image).toBe('reg/fn:1');
  });

  it('delete waits until the resource and its pods are gone, with progress; unknown names are FUNCTION_NOT_FOUND', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    await platform.deploy({ config: config(), functionDir: '/f' });
    cluster.pods = [fakePod('echo', 'echo-1')];
    cluster.podsLingerReads = 3;
    const lines: string[] = [];
    await platform.delete('echo', { onProgress: (l) => lines.push(l) });
    expect(lines[0]).toBe('deleting NuclioFunction fns/echo and what it owns (foreground)');
    expect(lines).toContain('NuclioFunction gone, 1 pod left');
    expect(lines.at(-1)).toBe('deleted');
    expect(cluster.pods).toEqual([]);
    expect((await failure(platform.delete('echo'))).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
  });

  it('logs: every pod\'s lines, prefixed by pod when there are several; follow stops on abort', async () => {
    const cluster = new FakeCluster();
    cluster.controller = readyController;
    const platform = platformOver(cluster);
    await platform.deploy({ config: config(), functionDir: '/f' });
    cluster.pods = [fakePod('echo', 'echo-1')];
    cluster.logs.set('echo-1', 'a\nb\n');
    const collect = async (options = {}): Promise<string[]> => {
      const out: string[] = [];
      for await (const line of platform.logs('echo', options)) out.push(line);
      return out;
    };
    expect(await collect()).toEqual(['a', 'b']);
    cluster.pods.push(fakePod('echo', 'echo-2'));
    cluster.logs.set('echo-2', 'c\n');
    expect(await collect()).toEqual(['[echo-1] a', '[echo-1] b', '[echo-2] c']);

    cluster.followChunks.set('echo-1', ['x', '1\nx2\n']);
    cluster.followChunks.set('echo-2', ['y1\n']);
    const abort = new AbortController();
    const followed: string[] = [];
    const done = (async () => {
      for await (const line of platform.logs('echo', { follow: true, signal: abort.signal })) {
        followed.push(line);
        if (followed.length === 3) abort.abort();
      }
    })();
    await done;
    expect(followed.sort()).toEqual(['[echo-1] x1', '[echo-1] x2', '[echo-2] y1']);
    const iterate = async (): Promise<void> => {
      for await (const _ of platform.logs('nope')) break;
    };
    expect((await failure(iterate())).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
  });

  it('names what Kubernetes does not apply: scale to zero without minReplicas 0, the first HTTP trigger\'s host', () => {
    const platform = platformOver(new FakeCluster());
    const problems = platform.unappliedFields(config({
      scaleToZero: {}, replicas: 3, resources: { limits: { 'nvidia.com/gpu': 1 } },
      triggers: { web: { kind: 'http', attributes: { port: 32100, host: '0.0.0.0' } } },
    }));
    expect(problems.map((p) => p.path)).toEqual(['spec.scaleToZero', 'spec.triggers.web.attributes.host']);
    expect(problems[0]!.message).toContain('without spec.minReplicas: 0');
    // With minReplicas 0 the scaler acts on it: nothing to warn about.
    expect(platform.unappliedFields(config({ minReplicas: 0, scaleToZero: { scaleResources: [{ metricName: 'x', windowSize: '1m', threshold: 0 }] } }))).toEqual([]);
  });
});
