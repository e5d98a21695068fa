import { describe, expect, it } from 'vitest';
import { DEPLOYMENTS } from './kube-resources.js';
import { FakeCluster } from './test-support/fake-cluster.js';
import { guardedClient } from './write-guard.js';

describe('guardedClient', () => {
  it('refuses writes, without sending them, while mayWrite() is false; reads pass', async () => {
    const cluster = new FakeCluster();
    let leader = false;
    const client = guardedClient(cluster, () => leader);
    const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } };
    await expect(client.create(DEPLOYMENTS, 'ns', body)).rejects.toMatchObject({ code: 'NUCLEON_ERR_NOT_LEADER' });
    await expect(client.delete(DEPLOYMENTS, 'ns', 'd')).rejects.toMatchObject({ code: 'NUCLEON_ERR_NOT_LEADER' });
    expect(await client.get(DEPLOYMENTS, 'ns', 'd')).toBeUndefined();
    expect(cluster.writes()).toEqual([]);
    leader = true;
    await client.create(DEPLOYMENTS, 'ns', body);
    expect(cluster.writes()).toHaveLength(1);
  });
});
