import { describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import type { NuclioFunctionResource, NuclioFunctionStatus } from '../objects/resource.js';
import { SCALE_TO_ZERO_ANNOTATION } from '../objects/scale-to-zero-mark.js';
import { createKubernetesPlatform } from './create-platform.js';
import { FakeCluster, fakePod } from './test-support/fake-cluster.js';

function config(spec: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({ metadata: { name: 'echo' }, spec: { runtime: 'nodejs', handler: 'main:handler', image: 'reg/fn:1', minReplicas: 0, ...spec } }).config;
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  return promise.then(() => { throw new Error('expected a failure'); }, (err: Error) => err);
}

const PORTS = { httpPort: 31001, adminPort: 31002 };
const marked = (r: NuclioFunctionResource) => r.metadata.annotations?.[SCALE_TO_ZERO_ANNOTATION] === 'true';

/**
 * Plays the controller and the kubelet: an unmarked function runs one ready pod; a marked one
 * keeps its pod for `drainReads` reads (waitingForScaleResourcesToZero), then has none
 * (scaledToZero). Waking takes `wakeReads` reads of `building`.
 */
function playController(cluster: FakeCluster, options: { drainReads?: number; wakeReads?: number } = {}): void {
  let draining = options.drainReads ?? 3;
  let waking = options.wakeReads ?? 3;
  cluster.pods = [fakePod('echo', 'echo-1')];
  cluster.controller = (r): NuclioFunctionStatus => {
    const base = { ...PORTS, observedGeneration: r.metadata.generation };
    if (marked(r)) {
      waking = options.wakeReads ?? 3;
      if (draining-- > 0) {
        cluster.pods = [fakePod('echo', 'echo-1', { ready: false })];
        return { ...base, state: 'waitingForScaleResourcesToZero', message: 'scaling to zero: 1 pod left (echo-1)', replicas: 1 };
      }
      cluster.pods = [];
      return { ...base, state: 'scaledToZero', message: 'scaled to zero', replicas: 0, readyReplicas: 0 };
    }
    draining = options.drainReads ?? 3;
    if (r.status?.state === 'scaledToZero' || r.status?.state === 'building') {
      if (waking-- > 0) return { ...base, state: r.status.state === 'scaledToZero' && waking === (options.wakeReads ?? 3) - 1 ? 'scaledToZero' : 'building' };
    }
    cluster.pods = [fakePod('echo', 'echo-2', { image: String(r.spec.image) })];
    return { ...base, state: 'ready', message: '1/1 replicas ready', replicas: 1, readyReplicas: 1 };
  };
}

async function deployed(spec: Record<string, unknown> = {}) {
  const cluster = new FakeCluster();
  playController(cluster);
  const platform = createKubernetesPlatform({ namespace: 'fns' }, cluster, { noControllerAfterMs: 1000, intervalMs: 2 });
  await platform.deploy({ config: config(spec), functionDir: '/f' });
  return { cluster, platform };
}

describe('KubernetesPlatform.scale (in-memory API)', () => {
  it('0 marks the resource (never its spec) and resolves once scaledToZero with no pod left', async () => {
    const { cluster, platform } = await deployed();
    const specBefore = structuredClone(cluster.functions.get('fns/echo')!.spec);
    const lines: string[] = [];
    const status = await platform.scale('echo', 0, { onProgress: (l) => lines.push(l) });
    expect(status).toMatchObject({ state: 'scaledToZero', httpPort: 31001, url: 'http://127.0.0.1:31001' });
    expect(status.details).toMatchObject({ adminHost: '127.0.0.1', adminPort: 31002, adminUrl: 'http://127.0.0.1:31002', scaledToZeroMark: true, pods: [] });
    const stored = cluster.functions.get('fns/echo')!;
    expect(stored.metadata.annotations).toEqual({ [SCALE_TO_ZERO_ANNOTATION]: 'true' });
    expect(stored.spec).toEqual(specBefore);
    expect(stored.metadata.generation).toBe(1);
    expect(lines[0]).toBe(`marked NuclioFunction fns/echo scaled to zero (${SCALE_TO_ZERO_ANNOTATION}: "true")`);
    expect(lines).toContain('pods: 1 left (echo-1 Running)');
    expect(lines.at(-1)).toBe('scaled to zero');
    // The configuration stays the user's: no mark in `get -o yaml` / export.
    expect((await platform.getConfig('echo'))?.metadata.annotations).toEqual({});
    expect(await platform.get('echo')).toMatchObject({ state: 'scaledToZero', httpPort: 31001 });
    expect((await platform.list())[0]).toMatchObject({ name: 'echo', state: 'scaledToZero' });
  });

  it('1 removes the mark and resolves once a pod is ready, on the same port', async () => {
    const { cluster, platform } = await deployed();
    await platform.scale('echo', 0);
    const lines: string[] = [];
    const status = await platform.scale('echo', 1, { onProgress: (l) => lines.push(l) });
    expect(status).toMatchObject({ state: 'ready', httpPort: 31001, details: { scaledToZeroMark: false, readyReplicas: 1 } });
    expect(cluster.functions.get('fns/echo')!.metadata.annotations ?? {}).toEqual({});
    expect(lines[0]).toBe('removed the scaled-to-zero mark from NuclioFunction fns/echo');
    expect(lines).toContain('waiting for the controller');
    expect(lines.at(-1)).toBe('ready');
  });

  it('1 does not take a stale ready status without a ready pod for the wake', async () => {
    const { cluster, platform } = await deployed();
    await platform.scale('echo', 0);
    // The controller has not seen the wake yet: its last status (from before the zero) says ready, no pod runs.
    let stale = 5;
    const real = cluster.controller!;
    cluster.controller = (r) => {
      if (stale-- > 0) {
        cluster.pods = [];
        return { ...PORTS, state: 'ready', observedGeneration: r.metadata.generation };
      }
      return real(r);
    };
    await platform.scale('echo', 1);
    expect(stale).toBeLessThan(0);
  });

  it('0 on a function without minReplicas 0 is SCALE_REFUSED and changes nothing', async () => {
    const { cluster, platform } = await deployed({ minReplicas: 1 });
    const before = structuredClone(cluster.functions.get('fns/echo')!);
    const replaces = cluster.calls.filter((c) => c.startsWith('replace')).length;
    const error = await failure(platform.scale('echo', 0));
    expect(error.code).toBe('NUCLEON_ERR_SCALE_REFUSED');
    expect(error.message).toBe('cannot scale function "echo" in fns to 0: it does not scale to zero: only a function with spec.minReplicas: 0 may (its spec.minReplicas is 1)');
    expect(cluster.calls.filter((c) => c.startsWith('replace')).length).toBe(replaces);
    expect(cluster.functions.get('fns/echo')!.metadata).toEqual(before.metadata);
  });

  it('counts other than 0 and 1 are SCALE_REFUSED saying where the count comes from; a missing function is FUNCTION_NOT_FOUND', async () => {
    const { cluster, platform } = await deployed();
    const replaces = cluster.calls.filter((c) => c.startsWith('replace')).length;
    const two = await failure(platform.scale('echo', 2));
    expect(two.code).toBe('NUCLEON_ERR_SCALE_REFUSED');
    expect(two.message).toContain('from its spec (spec.replicas, or spec.minReplicas/maxReplicas');
    for (const bad of [-1, 1.5, Number.NaN]) {
      const error = await failure(platform.scale('echo', bad));
      expect(error.code).toBe('NUCLEON_ERR_SCALE_REFUSED');
      expect(error.message).toContain(`${bad} is not a replica count`);
    }
    expect(cluster.calls.filter((c) => c.startsWith('replace')).length).toBe(replaces);
    expect((await failure(platform.scale('nope', 0))).code).toBe('NUCLEON_ERR_FUNCTION_NOT_FOUND');
  });

  it('marking retries when the controller changed the resource meanwhile (409)', async () => {
    const { cluster, platform } = await deployed();
    cluster.conflicts = 2;
    await platform.scale('echo', 0);
    expect(marked(cluster.functions.get('fns/echo')!)).toBe(true);
  });

  it('a wake by someone else while scaling to zero fails the wait clearly', async () => {
    const { cluster, platform } = await deployed();
    let reads = 0;
    const real = cluster.controller!;
    cluster.controller = (r) => {
      if (++reads === 3) delete cluster.functions.get('fns/echo')!.metadata.annotations;
      return real(r);
    };
    const error = await failure(platform.scale('echo', 0));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toContain('its nucleon.io/scale-to-zero mark was removed meanwhile');
  });

  it('0 without a controller fails at the timeout, saying the controller may not run', async () => {
    const { cluster, platform } = await deployed();
    cluster.controller = undefined;
    const lines: string[] = [];
    const error = await failure(platform.scale('echo', 0, { readinessTimeoutMs: 100, onProgress: (l) => lines.push(l) }));
    expect(error.code).toBe('NUCLEON_ERR_DEPLOY_FAILED');
    expect(error.message).toContain('did not finish within 0.1 s (state ready');
    expect(error.message).toContain('is the controller running?');
  });

  it('a deploy of a zeroed function wakes it: the applied resource carries no mark', async () => {
    const { cluster, platform } = await deployed();
    await platform.scale('echo', 0);
    const lines: string[] = [];
    const status = await platform.deploy({ config: config({ image: 'reg/fn:2' }), functionDir: '/f', onProgress: (l) => lines.push(l) });
    expect(status.state).toBe('ready');
    expect(marked(cluster.functions.get('fns/echo')!)).toBe(false);
    expect(lines).toContain(`it was scaled to zero (${SCALE_TO_ZERO_ANNOTATION}): deploying wakes it`);
  });

  it('get: a replicas: 0 function is stopped, a function just woken (mark gone, status not yet) is deploying', async () => {
    const { cluster, platform } = await deployed({ replicas: 0, minReplicas: undefined });
    cluster.controller = (r) => ({ ...PORTS, state: 'scaledToZero', observedGeneration: r.metadata.generation });
    expect((await platform.get('echo'))?.state).toBe('stopped');
    const other = await deployed();
    await other.platform.scale('echo', 0);
    other.cluster.controller = undefined;
    delete other.cluster.functions.get('fns/echo')!.metadata.annotations;
    expect(await other.platform.get('echo')).toMatchObject({ state: 'deploying', message: expect.stringContaining('waking from zero') });
  });
});
