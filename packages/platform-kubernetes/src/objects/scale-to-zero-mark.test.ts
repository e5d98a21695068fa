import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { desiredObjects } from './desired-objects.js';
import { functionConfigOf } from './function-config.js';
import { functionStatus } from './function-state.js';
import { deploymentToApply } from './replicas.js';
import type { NuclioFunctionResource } from './resource.js';
import { SCALE_TO_ZERO_ANNOTATION, isScaledToZero } from './scale-to-zero-mark.js';
import { storedResource } from './test-fixtures.js';

const PORTS = { http: 31000, admin: 31001 };
const MARK = { [SCALE_TO_ZERO_ANNOTATION]: 'true' };

function marked(spec: Record<string, unknown>): NuclioFunctionResource {
  const resource = storedResource(spec);
  resource.metadata.annotations = { ...resource.metadata.annotations, ...MARK };
  return resource;
}

function objectsOf(resource: NuclioFunctionResource) {
  const { config, problems } = functionConfigOf(resource);
  if (!config) throw new Error(`invalid: ${JSON.stringify(problems)}`);
  return desiredObjects(resource, config, PORTS);
}

const envOf = (resource: NuclioFunctionResource) => objectsOf(resource).deployment.spec!.template.spec!.containers[0]!.env ?? [];

describe('the scaled-to-zero mark: rendering', () => {
  it('a function with minReplicas 0 runs one pod until it is marked, then none, with no HPA; the Service and pod template stay', () => {
    const awake = objectsOf(storedResource({ minReplicas: 0 }));
    expect(awake.deployment.spec!.replicas).toBe(1);
    const zero = objectsOf(marked({ minReplicas: 0 }));
    expect(zero.deployment.spec!.replicas).toBe(0);
    expect(zero.hpa).toBeUndefined();
    expect(zero.service).toEqual(awake.service);
    // Only the count changes: marking never rolls the pods (same template, same ConfigMap).
    expect(zero.deployment.spec!.template).toEqual(awake.deployment.spec!.template);
    expect(zero.configMap).toEqual(awake.configMap);
    expect(zero.configMap.data!['function.yaml']).not.toContain(SCALE_TO_ZERO_ANNOTATION);
  });

  it('an autoscaled function (minReplicas 0, maxReplicas 3) loses its HPA at zero and gets it back (minimum 1) when woken', () => {
    const awake = objectsOf(storedResource({ minReplicas: 0, maxReplicas: 3 }));
    expect(awake.deployment.spec!.replicas).toBeUndefined();
    expect(awake.hpa?.spec).toMatchObject({ minReplicas: 1, maxReplicas: 3 });
    const zero = objectsOf(marked({ minReplicas: 0, maxReplicas: 3 }));
    expect(zero.hpa).toBeUndefined();
    expect(zero.deployment.spec!.replicas).toBe(0);
  });

  it('a woken autoscaled Deployment still at 0 is set to the HPA minimum once (an HPA does not scale up from 0)', () => {
    const awake = objectsOf(storedResource({ minReplicas: 0, maxReplicas: 3 }));
    const atZero: V1Deployment = { spec: { replicas: 0, selector: {}, template: {} } };
    expect(deploymentToApply(awake.deployment, awake.hpa, atZero).spec!.replicas).toBe(1);
    // Once up, the HPA owns the count again: the desired object leaves it unset.
    const up: V1Deployment = { spec: { replicas: 2, selector: {}, template: {} } };
    expect(deploymentToApply(awake.deployment, awake.hpa, up)).toBe(awake.deployment);
    expect(deploymentToApply(awake.deployment, awake.hpa, undefined)).toBe(awake.deployment);
    const fixed = objectsOf(storedResource({ minReplicas: 0 }));
    expect(deploymentToApply(fixed.deployment, fixed.hpa, atZero)).toBe(fixed.deployment);
  });

  it('a mark on a function that does not scale to zero is ignored: its pods keep running', () => {
    const resource = marked({ minReplicas: 1 });
    expect(isScaledToZero(resource, functionConfigOf(resource).config!)).toBe(false);
    expect(objectsOf(resource).deployment.spec!.replicas).toBe(1);
    expect(objectsOf(marked({ replicas: 2 })).deployment.spec!.replicas).toBe(2);
  });

  it('pods of a scale-to-zero function bind with SO_REUSEPORT (NUCLEON_HTTP_REUSE_PORT=1), others do not', () => {
    expect(envOf(storedResource({ minReplicas: 0 }))).toContainEqual({ name: 'NUCLEON_HTTP_REUSE_PORT', value: '1' });
    expect(envOf(marked({ minReplicas: 0 }))).toContainEqual({ name: 'NUCLEON_HTTP_REUSE_PORT', value: '1' });
    expect(envOf(storedResource({})).map((e) => e.name)).not.toContain('NUCLEON_HTTP_REUSE_PORT');
    expect(envOf(storedResource({ minReplicas: 2, maxReplicas: 4 })).map((e) => e.name)).not.toContain('NUCLEON_HTTP_REUSE_PORT');
  });
});

describe('the scaled-to-zero mark: the state rule', () => {
  const zeroDeployment: V1Deployment = {
    metadata: { generation: 2 }, spec: { replicas: 0, selector: {}, template: {} }, status: { observedGeneration: 2, replicas: 1 },
  };
  const pod = (name: string, deleting = false): V1Pod => ({
    metadata: { name, ...(deleting ? { deletionTimestamp: new Date('2026-12-02T10:00:00Z') } : {}) },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
  });
  const statusOf = (resource: NuclioFunctionResource, pods: V1Pod[], deployment: V1Deployment = zeroDeployment) => {
    const { config, problems } = functionConfigOf(resource);
    return functionStatus({ resource, config, problems, ports: PORTS, deployment, pods, now: () => new Date('2026-12-02T10:00:00Z') });
  };

  it('is waitingForScaleResourcesToZero while a pod is left (terminating included), then scaledToZero, keeping the ports', () => {
    const resource = marked({ minReplicas: 0 });
    expect(statusOf(resource, [pod('nuclio-hello-b', true), pod('nuclio-hello-a')])).toMatchObject({
      state: 'waitingForScaleResourcesToZero', message: 'scaling to zero: 2 pods left (nuclio-hello-a, nuclio-hello-b)',
      httpPort: 31000, adminPort: 31001,
    });
    const zero = statusOf(resource, []);
    expect(zero).toMatchObject({
      state: 'scaledToZero', message: `scaled to zero (the ${SCALE_TO_ZERO_ANNOTATION} annotation)`, httpPort: 31000, adminPort: 31001,
      internalInvocationUrls: ['http://127.0.0.1:31000', 'nuclio-hello.fns.svc.cluster.local:31000'],
    });
    expect(zero.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([['Available', 'False', 'ScaledToZero'], ['Progressing', 'True', 'ScaledToZero']]);
  });

  it('replicas: 0 without the mark is scaled to zero too, saying why', () => {
    expect(statusOf(storedResource({ replicas: 0 }), [])).toMatchObject({ state: 'scaledToZero', message: 'scaled to zero (0 replicas wanted)' });
  });

  it('names an ignored mark in the message of a running function', () => {
    const running: V1Deployment = {
      metadata: { generation: 1 }, spec: { replicas: 1, selector: {}, template: {} },
      status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1 },
    };
    expect(statusOf(marked({ minReplicas: 1 }), [], running)).toMatchObject({
      state: 'ready',
      message: `1/1 replicas ready; ignoring the ${SCALE_TO_ZERO_ANNOTATION} annotation: the function does not scale to zero (spec.minReplicas is 1, not 0)`,
    });
  });
});
