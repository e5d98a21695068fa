import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryLogger } from '@nucleon/core/testing';
import { validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { runController, type ControllerHandle } from '../controller/controller.js';
import { statusCodeOf, type KubeClient, type KubeObject } from '../controller/kube-client.js';
import { DEPLOYMENTS, FUNCTIONS, HPAS, PODS, SERVICES } from '../controller/kube-resources.js';
import type { FunctionObject } from '../controller/reconciler.js';
import { applyCrd, deleteTestNamespace, NAMESPACES, realCluster, waitFor } from '../controller/test-support/real-cluster.js';
import { SCALE_TO_ZERO_ANNOTATION } from '../objects/scale-to-zero-mark.js';
import { createClusterClient } from './api-client.js';
import { KubernetesPlatform } from './kubernetes-platform.js';
import { loadKubeConfig, localClusterKubeconfig } from './kubeconfig.js';
import { pushTestFunctionImage } from './test-support/function-image.js';

/**
 * Scale to zero on the real single-node cluster (scripts/services/kubernetes.sh) with a real
 * function image (the processor built from this workspace, pushed to the local registry
 * through the Docker engine) and the controller running in this process for the test's own
 * namespace: pods really start, answer on 127.0.0.1, drain and go.
 */
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const NS = `wt-kube-s2z-${Date.now().toString(36)}`;
let image: string;
let kubeConfig: KubeConfig;
let client: KubeClient;
let controller: ControllerHandle | undefined;
let platform: KubernetesPlatform;

function config(name: string, spec: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name }, spec: { runtime: 'nodejs', handler: 'main:handler', image, minReplicas: 0, readinessTimeoutSeconds: 120, ...spec },
  }).config;
}

function newPlatform(): KubernetesPlatform {
  return new KubernetesPlatform(createClusterClient(loadKubeConfig({ kubeconfig: process.env.KUBECONFIG ?? localClusterKubeconfig() })), NS);
}

async function startController(): Promise<void> {
  controller = await runController({ kubeConfig, namespace: NS, leaderElect: false, metricsPort: 0, resyncMs: 60_000, logger: new InMemoryLogger() });
}

const podsOf = async (name: string) => (await client.list(PODS, NS, `nuclio.io/function-name=${name}`)).items;
const deploymentOf = (name: string) => client.get<KubeObject & { spec: { replicas?: number } }>(DEPLOYMENTS, NS, `nuclio-${name}`);

async function answer(port: number): Promise<{ status: number; started?: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(5_000) });
  const body = await response.json() as { started?: string };
  return { status: response.status, started: body.started };
}

function startService(script: string): void {
  const path = join(ROOT, 'scripts/services', script);
  // Idempotent: reuses a running service.
  if (existsSync(path)) execFileSync('bash', [path, 'start'], { stdio: 'inherit', timeout: 1_800_000 });
}

beforeAll(async () => {
  startService('kubernetes.sh');
  startService('docker.sh');
  ({ kubeConfig, client } = await realCluster());
  await applyCrd(client);
  await client.create(NAMESPACES, '*', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  image = await pushTestFunctionImage();
  await startController();
  platform = newPlatform();
}, 1_900_000);

afterAll(async () => {
  await controller?.stop();
  if (client) await deleteTestNamespace(client, NS).catch(() => undefined);
});

describe('scale to zero on the real cluster', () => {
  let port: number;
  let adminPort: number;
  let firstStarted: string | undefined;

  it('deploys a minReplicas 0 function running one pod; get reports its admin address (/ready, /metrics)', async () => {
    const deployed = await platform.deploy({ config: config('zed', { minReplicas: 0, maxReplicas: 2 }), functionDir: '/f' });
    expect(deployed.state).toBe('ready');
    port = deployed.httpPort!;
    adminPort = deployed.details!.adminPort as number;
    expect(deployed.details).toMatchObject({ adminHost: '127.0.0.1', adminUrl: `http://127.0.0.1:${adminPort}`, scaledToZeroMark: false, readyReplicas: 1 });
    const first = await answer(port);
    expect(first.status).toBe(200);
    firstStarted = first.started;
    expect((await fetch(`http://127.0.0.1:${adminPort}/ready`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text()).toContain('nucleon_events_total');
    // An HPA (0..2 asks for autoscaling; its minimum is 1), and the reusePort variable in the pod.
    expect(await client.get(HPAS, NS, 'nuclio-zed')).toBeDefined();
    const [pod] = await podsOf('zed') as Array<KubeObject & { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } }>;
    expect(pod!.spec.containers[0]!.env).toContainEqual({ name: 'NUCLEON_HTTP_REUSE_PORT', value: '1' });
  }, 240_000);

  it('scale 0 removes the pod and the HPA, keeps the Service and the port; the spec stays the user\'s', async () => {
    const specBefore = (await client.get<FunctionObject>(FUNCTIONS, NS, 'zed'))!.spec;
    const lines: string[] = [];
    const started = Date.now();
    const status = await platform.scale('zed', 0, { onProgress: (l) => lines.push(l) });
    const tookMs = Date.now() - started;
    console.log(`scale 0 took ${tookMs} ms; progress: ${lines.join(' | ')}`);
    expect(status).toMatchObject({ state: 'scaledToZero', httpPort: port, details: { adminPort, scaledToZeroMark: true } });
    expect(await podsOf('zed')).toEqual([]);
    expect((await deploymentOf('zed'))!.spec.replicas).toBe(0);
    expect(await client.get(HPAS, NS, 'nuclio-zed')).toBeUndefined();
    expect(await client.get(SERVICES, NS, 'nuclio-zed')).toBeDefined();
    const stored = (await client.get<FunctionObject>(FUNCTIONS, NS, 'zed'))!;
    expect(stored.metadata.annotations?.[SCALE_TO_ZERO_ANNOTATION]).toBe('true');
    expect(stored.spec).toEqual(specBefore);
    expect((await platform.getConfig('zed'))?.metadata.annotations).toEqual({});
    // Nothing listens on the port now.
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  }, 120_000);

  it('stays scaledToZero for a new platform instance and across a controller restart', async () => {
    const zeroed = await newPlatform().get('zed');
    console.log(`get at zero: ${JSON.stringify(zeroed)}`);
    expect(zeroed).toMatchObject({ state: 'scaledToZero', httpPort: port, details: { adminPort } });
    await controller!.stop();
    await startController();
    // Give the new controller its first reconcile; it must not bring a pod back.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(controller!.stats().reads).toBeGreaterThan(0);
    expect((await deploymentOf('zed'))!.spec.replicas).toBe(0);
    expect(await podsOf('zed')).toEqual([]);
    expect(await newPlatform().get('zed')).toMatchObject({ state: 'scaledToZero', httpPort: port });
  }, 60_000);

  it('scale 1 brings it back ready on the same port while a host process holds that port with SO_REUSEPORT', async () => {
    const holder: Server = createServer((socket) => socket.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n'));
    await new Promise<void>((resolve, reject) => {
      holder.once('error', reject);
      holder.listen({ port, host: '127.0.0.1', reusePort: true }, resolve);
    });
    try {
      const lines: string[] = [];
      const started = Date.now();
      const status = await platform.scale('zed', 1, { onProgress: (l) => lines.push(l) });
      console.log(`scale 1 took ${Date.now() - started} ms (port held by the test); progress: ${lines.join(' | ')}`);
      expect(status).toMatchObject({ state: 'ready', httpPort: port, details: { adminPort, scaledToZeroMark: false } });
      expect((await fetch(`http://127.0.0.1:${adminPort}/ready`)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
    console.log(`get woken: ${JSON.stringify(await platform.get('zed'))}`);
    const woken = await answer(port);
    expect(woken.status).toBe(200);
    expect(woken.started).not.toBe(firstStarted); // a new processor
    expect(await client.get(HPAS, NS, 'nuclio-zed')).toBeDefined();
  }, 240_000);

  it('a deploy of a zeroed function wakes it; delete at zero removes everything', async () => {
    await platform.scale('zed', 0);
    const lines: string[] = [];
    const redeployed = await platform.deploy({
      config: config('zed', { minReplicas: 0, maxReplicas: 2, env: [{ name: 'V', value: '2' }] }), functionDir: '/f', onProgress: (l) => lines.push(l),
    });
    expect(lines).toContain(`it was scaled to zero (${SCALE_TO_ZERO_ANNOTATION}): deploying wakes it`);
    expect(redeployed).toMatchObject({ state: 'ready', httpPort: port, details: { scaledToZeroMark: false } });
    expect((await answer(port)).status).toBe(200);

    await platform.scale('zed', 0);
    await platform.delete('zed');
    expect(await platform.get('zed')).toBeUndefined();
    await waitFor('the Service to go', async () => (await client.get(SERVICES, NS, 'nuclio-zed')) === undefined);
    expect(await podsOf('zed')).toEqual([]);
  }, 360_000);

  it('a function without minReplicas 0: scale 0 is refused, and a mark put by hand is ignored (its pod keeps serving)', async () => {
    const deployed = await platform.deploy({ config: config('fixed', { minReplicas: 1 }), functionDir: '/f' });
    const error = await platform.scale('fixed', 0).then(() => undefined, (err: Error & { code?: string }) => err);
    expect(error?.code).toBe('NUCLEON_ERR_SCALE_REFUSED');
    expect((await client.get<FunctionObject>(FUNCTIONS, NS, 'fixed'))!.metadata.annotations?.[SCALE_TO_ZERO_ANNOTATION]).toBeUndefined();

    // As `kubectl annotate` would: the controller does not act on it, and says so.
    await waitFor('the annotation written', async () => {
      const current = (await client.get<FunctionObject>(FUNCTIONS, NS, 'fixed'))!;
      try {
        await client.replace(FUNCTIONS, NS, 'fixed', { ...current, metadata: { ...current.metadata, annotations: { [SCALE_TO_ZERO_ANNOTATION]: 'true' } } });
        return true;
      } catch (err) {
        if (statusCodeOf(err) === 409) return false;
        throw err;
      }
    });
    await waitFor('the status to name the ignored mark', async () =>
      (await client.get<FunctionObject>(FUNCTIONS, NS, 'fixed'))?.status?.message?.includes('ignoring the nucleon.io/scale-to-zero annotation'));
    expect((await deploymentOf('fixed'))!.spec.replicas).toBe(1);
    expect((await answer(deployed.httpPort!)).status).toBe(200);
    expect((await platform.get('fixed'))?.state).toBe('ready');
  }, 240_000);
});
