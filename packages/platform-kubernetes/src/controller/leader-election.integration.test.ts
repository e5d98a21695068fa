import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noopLogger } from '@nucleon/core/testing';
import type { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runController, type ControllerHandle } from './controller.js';
import type { KubeClient, KubeObject } from './kube-client.js';
import { DEPLOYMENTS, FUNCTIONS, LEASES } from './kube-resources.js';
import { LEASE_NAME } from './leader-election.js';
import type { FunctionObject } from './reconciler.js';
import { applyCrd, createTestNamespace, deleteTestNamespace, realCluster, waitFor } from './test-support/real-cluster.js';

const CONTROLLER_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'controller-main.js');
const IMAGE = '127.0.0.1:5000/nucleon-test/absent:1';

let kubeConfig: KubeConfig;
let client: KubeClient;
let namespace: string;
const controllers: ControllerHandle[] = [];
const children: ChildProcess[] = [];

const nuclioFunction = (name: string) => ({
  apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', metadata: { name, namespace },
  spec: { handler: 'main:handler', runtime: 'nodejs', image: IMAGE },
}) as FunctionObject;

type Lease = KubeObject & { spec?: { holderIdentity?: string } };
const leaseHolder = async () => (await client.get<Lease>(LEASES, namespace, LEASE_NAME))?.spec?.holderIdentity;

/** Every function has its Deployment and a status with ports. */
async function converged(names: string[]): Promise<boolean> {
  for (const name of names) {
    const fn = await client.get<FunctionObject>(FUNCTIONS, namespace, name);
    if (!fn?.status?.httpPort || !(await client.get(DEPLOYMENTS, namespace, `nuclio-${name}`))) return false;
  }
  return true;
}

/** `node dist/controller-main.js` on this namespace, its stderr lines collected. */
function startChild(identity: string): { child: ChildProcess; lines: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CONTROLLER_MAIN, '--namespace', namespace, '--identity', identity, '--metrics-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  let partial = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const parts = text.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

beforeAll(async () => {
  if (!existsSync(CONTROLLER_MAIN)) throw new Error(`${CONTROLLER_MAIN} is missing: build the package first (pnpm nx run-many -t build -p @nucleon/platform-kubernetes)`);
  ({ kubeConfig, client } = await realCluster());
  await applyCrd(client);
});

beforeEach(async () => { namespace = await createTestNamespace(client); });

afterEach(async () => {
  await Promise.all(controllers.splice(0).map((c) => c.stop()));
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await deleteTestNamespace(client, namespace);
});

describe('leader election on a real cluster', () => {
  it('two controllers: one holds the Lease and writes, the other writes nothing, then takes over when the leader stops', async () => {
    const start = (identity: string) => runController({ kubeConfig, namespace, identity, metricsPort: 0, logger: noopLogger }).then((c) => (controllers.push(c), c));
    const leader = await start('controller-a');
    await waitFor('a leader', async () => leader.isLeading());
    const standby = await start('controller-b');
    expect(await leaseHolder()).toBe(leader.identity);
    await client.create(FUNCTIONS, namespace, nuclioFunction('one'));
    await waitFor('function one reconciled', () => converged(['one']));
    await new Promise((r) => setTimeout(r, 1000));
    expect(standby.isLeading()).toBe(false);
    expect(standby.stats().writes).toBe(0);
    // All a standby does is read the Lease now and then.
    expect(Object.keys(standby.stats().byVerb)).toEqual(['get']);
    expect(Object.keys(standby.stats().byVerb.get!)).toEqual(['leases']);
    expect(leader.stats().writes).toBeGreaterThan(0);

    const stoppedAt = Date.now();
    await leader.stop();
    expect(await leader.done).toBe('stopped');
    await waitFor('the standby to take over', async () => standby.isLeading(), 10_000);
    // The stopped leader released the Lease, so the standby did not wait out its 15 s.
    expect(Date.now() - stoppedAt).toBeLessThan(8_000);
    expect(await leaseHolder()).toBe(standby.identity);
    await client.create(FUNCTIONS, namespace, nuclioFunction('two'));
    await waitFor('function two reconciled by the new leader', () => converged(['two']));
    expect(standby.stats().writes).toBeGreaterThan(0);
  }, 60_000);

  it('a controller process killed (SIGKILL) mid-reconcile converges after a restart; SIGTERM releases the Lease', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `fn-${i}`);
    for (const name of names) await client.create(FUNCTIONS, namespace, nuclioFunction(name));
    const first = startChild('first');
    await waitFor('the first controller to create something', async () => first.lines.some((l) => l.includes('"msg":"created ')), 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await converged(names)).toBe(false);

    const second = startChild('second');
    // The killed leader's Lease has to expire (15 s) before the second may write.
    await waitFor('all functions to converge after the restart', () => converged(names), 45_000);
    expect(await leaseHolder()).toBe('second');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await leaseHolder()).toBe('');
    expect(second.lines.join('\n')).toContain('released lease');
  }, 90_000);
});
