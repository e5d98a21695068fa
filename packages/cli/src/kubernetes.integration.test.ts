import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '@nucleon/core';
import { CLI, runNucleon, startNucleon, type CliResult } from './test-helpers/cli-process.js';

/**
 * `--platform kube` end to end through the built CLI, on the real single-node cluster
 * (scripts/services/kubernetes.sh), the Docker engine and the local registry: the controller
 * runs in the cluster from the `nucleon/controller` image, installed by `nucleon kube install`
 * into this run's own namespace, and functions deploy through it.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CACHE = process.env.NUCLEON_CACHE || join(homedir(), '.cache', 'nucleon');
const KUBECONFIG = join(CACHE, 'kubernetes-data', 'admin.kubeconfig');
const KUBECTL = join(CACHE, 'kubernetes-v1.37.2', 'bin', 'kubectl');
const RUN = Date.now().toString(36);
const NS = `nucleon-test-${RUN}`;
const REGISTRY = process.env.NUCLEON_REGISTRY ?? '127.0.0.1:5000';
let home: string;
let env: NodeJS.ProcessEnv;
let controllerImage = '';
let scalerPort = 0;

const nucleon = (...args: string[]): Promise<CliResult> => runNucleon(args, { cwd: home, env, timeoutMs: 300_000 });
const kube = (...args: string[]): Promise<CliResult> => nucleon(...args, '--platform', 'kube', '-n', NS);
const kubectl = (...args: string[]): string => execFileSync(KUBECTL, ['--kubeconfig', KUBECONFIG, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

function startService(script: string): void {
  const path = join(ROOT, 'scripts/services', script);
  // Idempotent: reuses a running service.
  if (existsSync(path)) execFileSync('bash', [path, 'start'], { stdio: 'inherit', timeout: 1_800_000 });
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
  startService('docker.sh');
  startService('kubernetes.sh');
  home = await mkdtemp(join(tmpdir(), 'nucleon-cli-kube-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '', KUBECONFIG };
  const images = await nucleon('images', 'controller', '--push', REGISTRY);
  expect(images.code, images.stderr).toBe(0);
  controllerImage = images.stdout.trim();
  const scalerImages = await nucleon('images', 'scaler', '--push', REGISTRY);
  expect(scalerImages.code, scalerImages.stderr).toBe(0);
  // Ports of their own: other controllers and scalers (other tests', a developer's) may run on this node.
  const metricsPort = String(await findFreePort());
  scalerPort = await findFreePort();
  const install = await nucleon('kube', 'install', '--namespace', NS, '--image', controllerImage, '--metrics-port', metricsPort,
    '--scaler-image', scalerImages.stdout.trim(), '--scaler-port', String(scalerPort), '--timeout', '180');
  expect(install.code, install.stderr).toBe(0);
  expect(install.stderr).toContain(`kube: applied Deployment ${NS}/nucleon-controller`);
  expect(install.stderr).toContain(`kube: applied Deployment ${NS}/nucleon-scaler`);
  expect(install.stderr).toContain('kube: ready');
}, 1_900_000);

afterAll(async () => {
  try {
    if (controllerImage) {
      const uninstall = await nucleon('kube', 'uninstall', '--namespace', NS);
      expect(uninstall.stderr).toContain(`kube: deleted Deployment ${NS}/nucleon-controller`);
      expect(uninstall.stderr).toContain(`kube: deleted Deployment ${NS}/nucleon-scaler`);
      // Foreground deletion: the Deployment goes once its ReplicaSet and pod have.
      kubectl('wait', '--for=delete', 'deployment/nucleon-controller', '-n', NS, '--timeout=90s');
      expect(kubectl('get', 'deployments,serviceaccounts,rolebindings', '-n', NS, '-o', 'name')).not.toContain('nucleon-controller');
      // The ClusterRole is shared by every namespace's install: it stays without --crd.
      expect(kubectl('get', 'clusterrole', 'nucleon-controller', '-o', 'name').trim()).toBe('clusterrole.rbac.authorization.k8s.io/nucleon-controller');
    }
  } finally {
    try {
      kubectl('delete', 'namespace', NS, '--wait=false');
    } catch {
      // Already gone, or the cluster is: nothing left to clean.
    }
    if (home) await rm(home, { recursive: true, force: true });
  }
});

async function initFunction(runtime: string, label = runtime): Promise<string> {
  const name = `k-${label}-${RUN}`;
  expect((await nucleon('init', name, '--runtime', runtime)).code).toBe(0);
  return name;
}

const objectsOf = (name: string): string =>
  kubectl('get', 'deployments,services,configmaps,pods', '-n', NS, '-l', `nuclio.io/function-name=${name}`, '-o', 'name').trim();

describe('nucleon --platform kube (built CLI, real cluster, controller installed by `nucleon kube install`)', () => {
  it.each(['node', 'python'])('%s: deploy (build, push, apply, wait), invoke on the host network, get, logs, delete removes every object', async (runtime) => {
    const name = await initFunction(runtime);
    // The node's first pull of a base image can take a while on a busy machine.
    const deploy = await kube('deploy', name, '--readiness-timeout', '180');
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).toMatch(new RegExp(`pushed ${REGISTRY.replace(/\./g, '\\.')}/nucleon/${name}:[0-9a-f]{12}`));
    expect(deploy.stderr).toContain(`deploy: applied NuclioFunction ${NS}/${name} (created, generation 1)`);
    expect(deploy.stderr).toContain('deploy: waiting for the controller');
    expect(deploy.stderr).toContain('deploy: ready');
    expect(deploy.stdout).toMatch(new RegExp(`function "${name}" deployed on kube\\n {2}state: ready\\n {2}url: {3}http://127\\.0\\.0\\.1:\\d+`));

    const invoke = await kube('invoke', name, '-b', '{"name":"Ada"}');
    expect(invoke.code, invoke.stderr).toBe(0);
    expect(invoke.stdout).toContain(`Hello from ${name}`);

    const get = await kube('get', name, '-o', 'json');
    expect(JSON.parse(get.stdout)).toMatchObject({ metadata: { name }, status: { platform: 'kube', state: 'ready', details: { namespace: NS, readyReplicas: 1 } } });
    const logs = await kube('logs', name);
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain(`"function":"${name}"`);

    expect(objectsOf(name)).not.toBe('');
    const del = await kube('delete', name);
    expect(del.code, del.stderr).toBe(0);
    expect(del.stderr).toContain('delete: deleted');
    expect(objectsOf(name)).toBe('');
    expect((await kube('get', name)).code).toBe(3);
  }, 600_000);

  it('a change of env, replicas and code rolls out', async () => {
    const name = await initFunction('node', 'change');
    expect((await kube('deploy', name)).code).toBe(0);
    const deployment = (path: string): string =>
      kubectl('get', 'deployment', '-n', NS, '-l', `nuclio.io/function-name=${name}`, '-o', `jsonpath={.items[0]${path}}`);
    const firstImage = deployment('.spec.template.spec.containers[0].image');

    const envChange = await kube('deploy', name, '-e', 'GREETING=hi');
    expect(envChange.code, envChange.stderr).toBe(0);
    expect(envChange.stderr).toContain('(updated, generation 2)');
    expect(JSON.parse((await kube('get', name, '-o', 'json')).stdout).spec.env).toEqual(expect.arrayContaining([{ name: 'GREETING', value: 'hi' }]));
    expect(kubectl('get', 'configmaps', '-n', NS, '-l', `nuclio.io/function-name=${name}`, '-o', 'yaml')).toContain('GREETING');

    // One node, host networking: a second replica wants the same port, so it may stay Pending;
    // what must roll out is the Deployment's replica count.
    await kube('deploy', name, '-e', 'GREETING=hi', '--replicas', '2', '--readiness-timeout', '20');
    expect(deployment('.spec.replicas')).toBe('2');

    const main = join(home, name, 'main.js');
    await writeFile(main, (await readFile(main, 'utf8')).replace('Hello from', 'Changed code of'));
    const codeChange = await kube('deploy', name, '-e', 'GREETING=hi', '--replicas', '1');
    expect(codeChange.code, codeChange.stderr).toBe(0);
    expect(deployment('.spec.template.spec.containers[0].image')).not.toBe(firstImage);
    expect((await kube('invoke', name)).stdout).toContain(`Changed code of ${name}`);
    expect((await kube('delete', name)).code).toBe(0);
  }, 600_000);

  it('a function asking for a GPU stays Pending, and get shows the scheduler\'s reason', async () => {
    const name = await initFunction('node', 'gpu');
    const deploy = await kube('deploy', name, '--resource-limit', 'nvidia.com/gpu=1', '--readiness-timeout', '15');
    expect(deploy.code).toBe(1);
    expect(deploy.stderr).toMatch(/deploy: pods: 0\/1 ready \(Pending: 0\/1 nodes are available: .*nvidia\.com\/gpu/);
    const get = JSON.parse((await kube('get', name, '-o', 'json')).stdout);
    expect(get.status.state).not.toBe('ready');
    expect(get.status.message).toMatch(/Insufficient nvidia\.com\/gpu/);
    expect((await kube('delete', name)).code).toBe(0);
  }, 300_000);

  it('a function keeps serving with the controller stopped (its Deployment scaled to 0)', async () => {
    const name = await initFunction('node', 'orphan');
    expect((await kube('deploy', name)).code).toBe(0);
    kubectl('scale', 'deployment/nucleon-controller', '-n', NS, '--replicas=0');
    try {
      kubectl('wait', '--for=delete', 'pod', '-n', NS, '-l', 'app.kubernetes.io/name=nucleon-controller', '--timeout=60s');
      const invoke = await kube('invoke', name);
      expect(invoke.code, invoke.stderr).toBe(0);
      expect(invoke.stdout).toContain(`Hello from ${name}`);
    } finally {
      kubectl('scale', 'deployment/nucleon-controller', '-n', NS, '--replicas=1');
    }
    kubectl('rollout', 'status', 'deployment/nucleon-controller', '-n', NS, '--timeout=120s');
    expect((await kube('delete', name)).code).toBe(0);
  }, 300_000);

  it('`nucleon kube controller` runs the controller in the foreground for a namespace, and Ctrl-C ends it', async () => {
    const devNs = `${NS}-dev`;
    kubectl('create', 'namespace', devNs);
    const controller = startNucleon(['kube', 'controller', '-n', devNs, '--metrics-port', '0'], { cwd: home, env });
    try {
      const name = await initFunction('node', 'dev');
      const deploy = await nucleon('deploy', name, '--platform', 'kube', '-n', devNs, '--readiness-timeout', '120');
      expect(deploy.code, `${deploy.stderr}\n${controller.output()}`).toBe(0);
      expect(controller.output()).toContain(`running the controller for namespace ${devNs}`);
      expect((await nucleon('invoke', name, '--platform', 'kube', '-n', devNs)).stdout).toContain(`Hello from ${name}`);
      expect((await nucleon('delete', name, '--platform', 'kube', '-n', devNs)).code).toBe(0);
    } finally {
      controller.child.kill('SIGINT');
      await new Promise((resolve) => controller.child.once('exit', resolve));
      kubectl('delete', 'namespace', devNs, '--wait=false');
    }
    expect(controller.child.exitCode ?? 0).toBe(0);
  }, 300_000);

  it('no kubeconfig, or no cluster at it, is one clear coded error', async () => {
    const missing = await nucleon('get', '--platform', 'kube', '--kubeconfig', join(home, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`error: no kubeconfig found (looked at ${join(home, 'nope')})`);
    const dead = join(home, 'dead.kubeconfig');
    await writeFile(dead, (await readFile(KUBECONFIG, 'utf8')).replace(/server: .*/, 'server: https://127.0.0.1:1'));
    const unreachable = await nucleon('get', '--platform', 'kube', '--kubeconfig', dead);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`error: no Kubernetes API server answers at https://127.0.0.1:1 (kubeconfig ${dead})`);
  }, 60_000);
});

describe('scale to zero on Kubernetes (the scaler installed by `nucleon kube install`)', () => {
  it('a function idles to zero (no pod, same port), and 50 concurrent requests to it all succeed, each answered once', async () => {
    const name = `k-s2z-${RUN}`;
    const dir = join(home, name);
    execFileSync('mkdir', ['-p', dir]);
    await writeFile(join(dir, 'main.js'), 'exports.handler = async (context, event) => ({ path: event.path });\n');
    await writeFile(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
    await writeFile(join(dir, 'function.yaml'), `metadata: { name: ${name} }\nspec:\n  runtime: nodejs\n  handler: main:handler\n  minReplicas: 0\n` +
      '  scaleToZero: { scaleResources: [{ windowSize: 3s }] }\n');
    const deploy = await kube('deploy', dir, '--readiness-timeout', '180');
    expect(deploy.code, deploy.stderr).toBe(0);
    const url = (JSON.parse((await kube('get', name, '-o', 'json')).stdout) as { status: { url: string } }).status.url;
    const until = Date.now() + 90_000;
    while (!(await kube('get', name)).stdout.includes('scaled to zero')) {
      if (Date.now() > until) throw new Error(`${name} never scaled to zero: ${kubectl('logs', '-n', NS, 'deployment/nucleon-scaler', '--tail=30')}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(kubectl('get', 'pods', '-n', NS, '-l', `nuclio.io/function-name=${name}`, '-o', 'name').trim()).toBe('');
    // The in-cluster scaler's activator holds the function's port (the pod runs on the node's network).
    const status = (await (await fetch(`http://127.0.0.1:${scalerPort}/status`)).json()) as { functions: Array<{ name: string; holding: boolean }> };
    expect(status.functions.find((f) => f.name === name)?.holding).toBe(true);

    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => fetch(`${url}/r${i}`)
      .then(async (res) => ({ status: res.status, body: await res.json() as { path: string } }))));
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(replies.map((r) => r.body.path)).toEqual(Array.from({ length: 50 }, (_, i) => `/r${i}`));
    const woken = JSON.parse((await kube('get', name, '-o', 'json')).stdout) as { status: { state: string; url: string; details: { adminPort: number } } };
    expect(woken.status).toMatchObject({ state: 'ready', url });
    const metrics = await (await fetch(`http://127.0.0.1:${woken.status.details.adminPort}/metrics`)).text();
    const handled = metrics.split('\n').filter((l) => l.startsWith('nucleon_events_total{')).reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    expect(handled).toBe(50);
    expect((await kube('delete', name)).code).toBe(0);
  }, 300_000);
});

