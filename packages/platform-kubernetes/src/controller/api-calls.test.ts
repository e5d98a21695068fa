import { describe, expect, it } from 'vitest';
import { ApiCallCounter, countingClient } from './api-calls.js';
import { DEPLOYMENTS, FUNCTIONS } from './kube-resources.js';
import { FakeCluster } from './test-support/fake-cluster.js';

describe('countingClient', () => {
  it('counts each call by verb and resource, writes apart from reads', async () => {
    const counter = new ApiCallCounter();
    const client = countingClient(new FakeCluster(), counter);
    const d = await client.create(DEPLOYMENTS, 'ns', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } });
    await client.get(DEPLOYMENTS, 'ns', 'd');
    await client.get(DEPLOYMENTS, 'ns', 'missing');
    await client.list(DEPLOYMENTS, '*');
    await client.replace(DEPLOYMENTS, 'ns', 'd', d);
    await client.create(FUNCTIONS, 'ns', { apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', metadata: { name: 'f' } });
    await client.replaceStatus(FUNCTIONS, 'ns', 'f', { apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', metadata: { name: 'f' }, status: {} });
    await client.delete(DEPLOYMENTS, 'ns', 'd');
    counter.record('watch', 'deployments');
    expect(counter.stats()).toEqual({
      byVerb: {
        create: { deployments: 1, nucliofunctions: 1 },
        get: { deployments: 2 },
        list: { deployments: 1 },
        update: { deployments: 1, 'nucliofunctions/status': 1 },
        delete: { deployments: 1 },
        watch: { deployments: 1 },
      },
      writes: 5,
      reads: 4,
    });
  });

  it('writes Prometheus text', () => {
    const counter = new ApiCallCounter();
    counter.record('get', 'pods');
    counter.record('get', 'pods');
    expect(counter.prometheus()).toContain('nucleon_controller_api_calls_total{verb="get",resource="pods"} 2\n');
    expect(counter.prometheus()).toContain('# TYPE nucleon_controller_api_calls_total counter');
  });
});
