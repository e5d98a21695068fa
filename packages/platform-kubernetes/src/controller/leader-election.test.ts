import { noopLogger } from '@nucleon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from './kube-client.js';
import { LEASES } from './kube-resources.js';
import { holderIdentity, LeaderElector, LEASE_NAME } from './leader-election.js';
import { FakeCluster } from './test-support/fake-cluster.js';

const NS = 'nucleon';
const FAST = { leaseDurationSeconds: 0.3, renewPeriodMs: 30, renewDeadlineMs: 100, retryPeriodMs: 20 };
let cluster: FakeCluster;
const electors: LeaderElector[] = [];

function elector(identity: string, client = cluster, timing = FAST): LeaderElector {
  const e = new LeaderElector({ client, namespace: NS, identity, logger: noopLogger, ...timing });
  electors.push(e);
  return e;
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const holder = () => (cluster.stored(LEASES, NS)[0] as KubeObject & { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity;

beforeEach(() => { cluster = new FakeCluster(); });
afterEach(async () => { await Promise.all(electors.splice(0).map((e) => e.stop())); });

describe('LeaderElector', () => {
  it('takes a free lease, and a second candidate stays standby while it is renewed', async () => {
    const a = elector('a');
    const b = elector('b');
    let aStarted = 0;
    let bStarted = 0;
    void a.run({ onStartedLeading: () => { aStarted++; }, onStoppedLeading: () => {} });
    await until(() => aStarted === 1);
    void b.run({ onStartedLeading: () => { bStarted++; }, onStoppedLeading: () => {} });
    await new Promise((r) => setTimeout(r, 500));
    expect(holder()).toBe('a');
    expect(a.isLeading()).toBe(true);
    expect(b.isLeading()).toBe(false);
    expect(bStarted).toBe(0);
    expect(cluster.stored(LEASES, NS)[0]!.metadata!.name).toBe(LEASE_NAME);
  });

  it('hands over at once when the leader stops (it clears the holder)', async () => {
    const a = elector('a');
    const b = elector('b', cluster, { ...FAST, leaseDurationSeconds: 30 });
    void a.run({ onStartedLeading: () => {}, onStoppedLeading: () => {} });
    await until(() => a.isLeading());
    let bLeads = false;
    void b.run({ onStartedLeading: () => { bLeads = true; }, onStoppedLeading: () => {} });
    await new Promise((r) => setTimeout(r, 100));
    expect(bLeads).toBe(false);
    const stoppedAt = Date.now();
    await a.stop();
    expect(holder()).toBe('');
    await until(() => bLeads);
    expect(Date.now() - stoppedAt).toBeLessThan(1000);
    expect(holder()).toBe('b');
  });

  it('takes over a lease whose holder stopped renewing, after the lease duration', async () => {
    await cluster.create(LEASES, NS, {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: LEASE_NAME, namespace: NS },
      spec: { holderIdentity: 'dead', leaseDurationSeconds: 0.3, renewTime: new Date().toISOString() },
    });
    const b = elector('b');
    const startedAt = Date.now();
    let leads = false;
    void b.run({ onStartedLeading: () => { leads = true; }, onStoppedLeading: () => {} });
    await until(() => leads);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    const lease = cluster.stored(LEASES, NS)[0] as KubeObject & { spec: { leaseTransitions: number } };
    expect(lease.spec.leaseTransitions).toBe(1);
  });

  it('of two candidates racing for a free lease, exactly one leads', async () => {
    const a = elector('a');
    const b = elector('b');
    const leaders = new Set<string>();
    void a.run({ onStartedLeading: () => { leaders.add('a'); }, onStoppedLeading: () => {} });
    void b.run({ onStartedLeading: () => { leaders.add('b'); }, onStoppedLeading: () => {} });
    await until(() => leaders.size > 0);
    await new Promise((r) => setTimeout(r, 300));
    expect(leaders.size).toBe(1);
    expect([a.isLeading(), b.isLeading()].filter(Boolean)).toHaveLength(1);
  });

  it('stops leading when it cannot renew within the deadline', async () => {
    const a = elector('a');
    let stoppedLeading = false;
    const outcome = a.run({ onStartedLeading: () => {}, onStoppedLeading: () => { stoppedLeading = true; } });
    await until(() => a.isLeading());
    for (let i = 0; i < 50; i++) cluster.failNext('get', 'leases', 500);
    expect(await outcome).toBe('lost');
    expect(stoppedLeading).toBe(true);
    expect(a.isLeading()).toBe(false);
  });

  it('names itself <hostname>-<pid>-<random>', () => {
    expect(holderIdentity()).toMatch(new RegExp(`-${process.pid}-[0-9a-f]{6}$`));
    expect(holderIdentity()).not.toBe(holderIdentity());
  });
});
