import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { functionConfigOf } from './function-config.js';
import { functionStatus, type FunctionStatusInput } from './function-state.js';
import type { NuclioFunctionResource } from './resource.js';
import { storedResource } from './test-fixtures.js';

const PORTS = { http: 31000, admin: 31001 };
const T0 = new Date('2026-12-02T10:00:00.123Z');
const T1 = new Date('2026-12-02T11:00:00Z');

function deployment(replicas: number, status: Partial<NonNullable<V1Deployment['status']>>, generation = 2): V1Deployment {
  return { metadata: { name: 'nuclio-hello', generation }, spec: { replicas, selector: {}, template: {} }, status: { observedGeneration: generation, ...status } };
}

function statusOf(resource: NuclioFunctionResource, rest: Partial<FunctionStatusInput> = {}, now = T0) {
  const { config, problems } = functionConfigOf(resource);
  return functionStatus({ resource, config, problems, ports: config ? PORTS : undefined, pods: [], now: () => now, ...rest });
}

const crashing: V1Pod = {
  metadata: { name: 'nuclio-hello-abc' },
  status: {
    phase: 'Running',
    containerStatuses: [{
      name: 'nuclio', image: 'x', imageID: '', ready: false, restartCount: 4,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 1m20s restarting failed container' } },
      lastState: { terminated: { exitCode: 4, reason: 'Error' } },
    }],
  },
};
const unschedulable: V1Pod = {
  metadata: { name: 'nuclio-hello-gpu' },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu.' }],
  },
};

describe('functionStatus', () => {
  it('is ready once the Deployment saw the newest template and enough pods are ready and updated', () => {
    const status = statusOf(storedResource({}, { generation: 3 }), {
      deployment: deployment(2, { replicas: 2, readyReplicas: 2, updatedReplicas: 2 }),
    });
    expect(status).toEqual({
      state: 'ready', message: '2/2 replicas ready',
      conditions: [
        { type: 'Available', status: 'True', reason: 'ReplicasReady', message: '2/2 replicas ready', lastTransitionTime: '2026-12-02T10:00:00Z' },
        { type: 'Progressing', status: 'True', reason: 'RolloutComplete', message: '2/2 replicas ready', lastTransitionTime: '2026-12-02T10:00:00Z' },
      ],
      httpPort: 31000, adminPort: 31001,
      internalInvocationUrls: ['http://127.0.0.1:31000', 'nuclio-hello.fns.svc.cluster.local:31000'],
      replicas: 2, readyReplicas: 2, observedGeneration: 3,
    });
  });

  it('is building while the Deployment is missing, behind, or short of ready pods', () => {
    expect(statusOf(storedResource()).state).toBe('building');
    const behind = deployment(1, { readyReplicas: 1, updatedReplicas: 1, observedGeneration: 1 }, 2);
    expect(statusOf(storedResource(), { deployment: behind })).toMatchObject({ state: 'building', message: expect.stringContaining('new template') });
    expect(statusOf(storedResource(), { deployment: deployment(2, { readyReplicas: 1, updatedReplicas: 2 }) }).state).toBe('building');
  });

  it('is not ready while an old pod is the ready one (the new pod waits for its host port)', () => {
    // One replica wanted: the new pod is created (updated 1) but Pending, the old one still
    // serves (ready 1), so two pods exist.
    const rolling = deployment(1, { replicas: 2, readyReplicas: 1, updatedReplicas: 1 });
    expect(statusOf(storedResource(), { deployment: rolling }).state).toBe('building');
    const done = deployment(1, { replicas: 1, readyReplicas: 1, updatedReplicas: 1 });
    expect(statusOf(storedResource(), { deployment: done }).state).toBe('ready');
  });

  it('is error with every problem when the resource is invalid, keeping its recorded ports', () => {
    const resource = { ...storedResource({ replicas: 'two', targetCPU: 0 }), status: { state: 'ready' as const, httpPort: 30500, adminPort: 30501 } };
    const status = statusOf(resource);
    expect(status.state).toBe('error');
    expect(status.message).toContain('spec.replicas: expected a whole number');
    expect(status.message).toContain('spec.targetCPU');
    expect([status.httpPort, status.adminPort]).toEqual([30500, 30501]);
  });

  it('is unhealthy with the reason when pods crash-loop or cannot be scheduled', () => {
    const waiting = deployment(1, { readyReplicas: 0, updatedReplicas: 1 });
    expect(statusOf(storedResource(), { deployment: waiting, pods: [crashing] })).toMatchObject({
      state: 'unhealthy',
      message: 'pod nuclio-hello-abc: container nuclio: CrashLoopBackOff (last exit code 4, Error): back-off 1m20s restarting failed container',
    });
    const gpu = statusOf(storedResource(), { deployment: waiting, pods: [unschedulable] });
    expect(gpu.state).toBe('unhealthy');
    expect(gpu.message).toBe('pod nuclio-hello-gpu cannot be scheduled: 0/1 nodes are available: 1 Insufficient nvidia.com/gpu.');
    expect(gpu.conditions?.find((c) => c.type === 'Progressing')).toMatchObject({ status: 'False', reason: 'PodsStuck' });
    const leaving = { ...crashing, metadata: { name: 'old', deletionTimestamp: new Date() } };
    expect(statusOf(storedResource(), { deployment: waiting, pods: [leaving] }).state).toBe('building');
  });

  it('is scaledToZero when zero replicas are wanted', () => {
    expect(statusOf(storedResource({ replicas: 0 }), { deployment: deployment(0, {}) }).state).toBe('scaledToZero');
  });

  it('keeps lastTransitionTime while a condition holds, so an unchanged function gets an identical status', () => {
    const input = { deployment: deployment(1, { replicas: 1, readyReplicas: 1, updatedReplicas: 1 }) };
    const first = statusOf(storedResource(), input, T0);
    const again = statusOf({ ...storedResource(), status: first }, input, T1);
    expect(again).toEqual(first);
    const broken = statusOf({ ...storedResource(), status: first }, { deployment: deployment(1, { readyReplicas: 0, updatedReplicas: 1 }), pods: [crashing] }, T1);
    expect(broken.conditions?.map((c) => c.lastTransitionTime)).toEqual(['2026-12-02T11:00:00Z', '2026-12-02T11:00:00Z']);
  });

  it('lists the ingress hosts as external URLs', () => {
    const status = statusOf(storedResource({
      triggers: { web: { kind: 'http', attributes: { ingresses: { a: { host: 'hello.example.com', paths: ['/', '/api'] } } } } },
    }));
    expect(status.externalInvocationUrls).toEqual(['hello.example.com/', 'hello.example.com/api']);
  });
});
