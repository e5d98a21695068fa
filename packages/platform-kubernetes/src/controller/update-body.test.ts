import { describe, expect, it } from 'vitest';
import { updateBody } from './update-body.js';

describe('updateBody', () => {
  it('is desired, conditional on the actual resourceVersion', () => {
    const body = updateBody(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1' } }, data: { x: '2' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '42', labels: { a: '0', stale: 'y' } }, data: { x: '1', old: 'z' } },
    );
    expect(body).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { a: '1' }, resourceVersion: '42' }, data: { x: '2' } });
  });

  it("keeps a Deployment's replicas when desired leaves them to the HPA, and others' annotations", () => {
    const body = updateBody(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: { mine: 'new' } }, spec: { template: {} } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', resourceVersion: '1', annotations: { mine: 'old', 'deployment.kubernetes.io/revision': '3' } }, spec: { replicas: 4 } },
    );
    expect(body.spec).toEqual({ template: {}, replicas: 4 });
    expect(body.metadata!.annotations).toEqual({ mine: 'new', 'deployment.kubernetes.io/revision': '3' });
  });

  it('sets replicas when desired sets them', () => {
    const body = updateBody(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 4 } },
    );
    expect(body.spec).toEqual({ replicas: 2 });
  });

  it("keeps a Service's allocated cluster IP", () => {
    const body = updateBody(
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 81 }], clusterIP: '10.0.0.9', clusterIPs: ['10.0.0.9'] } },
    );
    expect(body.spec).toEqual({ ports: [{ port: 80 }], clusterIP: '10.0.0.9', clusterIPs: ['10.0.0.9'] });
  });
});
