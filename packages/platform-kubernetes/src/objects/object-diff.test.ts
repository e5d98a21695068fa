import { describe, expect, it } from 'vitest';
import { desiredObjects } from './desired-objects.js';
import { functionConfigOf } from './function-config.js';
import { differs } from './object-diff.js';
import { storedResource } from './test-fixtures.js';

/** What the API server returns for a created object: defaults filled in, metadata and status added. */
function asServerReturns<T extends object>(object: T): T {
  const stored = structuredClone(object) as Record<string, any>;
  stored.metadata = {
    ...stored.metadata, uid: 'u-1', resourceVersion: '123', generation: 1, creationTimestamp: new Date('2026-12-01T00:00:00Z'),
    managedFields: [{ manager: 'nucleon', operation: 'Apply' }],
  };
  return stored as T;
}

function serverDeployment(desired: ReturnType<typeof desiredObjects>['deployment']) {
  const stored = asServerReturns(desired) as Record<string, any>;
  const spec = stored.spec;
  spec.revisionHistoryLimit = 10;
  spec.progressDeadlineSeconds = 600;
  if (spec.strategy.type === 'RollingUpdate') spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 1 };
  const pod = spec.template.spec;
  pod.restartPolicy = 'Always';
  pod.schedulerName = 'default-scheduler';
  pod.securityContext = pod.securityContext ?? {};
  for (const container of pod.containers) {
    container.terminationMessagePath = '/dev/termination-log';
    container.terminationMessagePolicy = 'File';
    container.imagePullPolicy = container.imagePullPolicy ?? 'IfNotPresent';
    // With hostNetwork the server sets hostPort to the containerPort.
    for (const port of container.ports ?? []) port.hostPort = port.containerPort;
    if (container.readinessProbe) Object.assign(container.readinessProbe, { timeoutSeconds: 1, successThreshold: 1 });
    // The server canonicalises quantities.
    if (container.resources?.limits?.cpu === '2') container.resources.limits.cpu = '2';
    if (container.resources?.requests?.cpu === '500m') container.resources.requests.cpu = '0.5';
  }
  for (const volume of pod.volumes) if (volume.configMap) volume.configMap.defaultMode = 420;
  stored.status = { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1 };
  return stored;
}

const resource = storedResource({
  resources: { limits: { cpu: '2000m', memory: '1024Mi' }, requests: { cpu: '0.5' } },
  env: [{ name: 'A', value: '1' }],
});
const { config } = functionConfigOf(resource);
const desired = desiredObjects(resource, config!, { http: 31000, admin: 31001 });

describe('differs', () => {
  it('is false for objects as the server returns them, defaults and canonical quantities included', () => {
    const deployment = serverDeployment(desired.deployment);
    deployment.spec.template.spec.containers[0].resources = { limits: { cpu: '2', memory: '1Gi' }, requests: { cpu: '500m' } };
    expect(differs(desired.deployment, deployment)).toBe(false);
    const service = asServerReturns(desired.service) as Record<string, any>;
    Object.assign(service.spec, {
      clusterIP: '10.0.0.12', clusterIPs: ['10.0.0.12'], sessionAffinity: 'None', ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster',
    });
    expect(differs(desired.service, service)).toBe(false);
    expect(differs(desired.configMap, asServerReturns(desired.configMap))).toBe(false);
  });

  it('is true when a field desired sets differs, however deep', () => {
    const changed = serverDeployment(desired.deployment);
    changed.spec.template.spec.containers[0].env[0].value = '2';
    expect(differs(desired.deployment, changed)).toBe(true);
    const image = serverDeployment(desired.deployment);
    image.spec.template.spec.containers[0].image = 'other:1';
    expect(differs(desired.deployment, image)).toBe(true);
    const cpu = serverDeployment(desired.deployment);
    cpu.spec.template.spec.containers[0].resources.limits.cpu = '1';
    expect(differs(desired.deployment, cpu)).toBe(true);
    const hash = serverDeployment(desired.deployment);
    hash.spec.template.metadata.annotations['nucleon.io/config-hash'] = 'old';
    expect(differs(desired.deployment, hash)).toBe(true);
  });

  it('compares lists by length too: an added or removed element is a change', () => {
    const fewer = serverDeployment(desired.deployment);
    fewer.spec.template.spec.containers[0].env.pop();
    expect(differs(desired.deployment, fewer)).toBe(true);
    const more = serverDeployment(desired.deployment);
    more.spec.template.spec.containers.push({ name: 'extra', image: 'x' });
    expect(differs(desired.deployment, more)).toBe(true);
  });

  it('normalises quantities only where quantities live', () => {
    expect(differs({ limits: { cpu: '1000m', memory: '1Gi' } }, { limits: { cpu: '1', memory: '1073741824' } })).toBe(false);
    expect(differs({ requests: { 'nvidia.com/gpu': '1' } }, { requests: { 'nvidia.com/gpu': 1 } })).toBe(false);
    expect(differs({ env: [{ name: 'A', value: '1000m' }] }, { env: [{ name: 'A', value: '1' }] })).toBe(true);
    expect(differs({ emptyDir: { sizeLimit: '1Gi' } }, { emptyDir: { sizeLimit: '1024Mi' } })).toBe(false);
  });

  it('treats empty maps, lists and zero values the server omits as equal to missing, but not empty structs', () => {
    expect(differs({ metadata: { annotations: {} }, tolerations: [], readOnly: false }, { metadata: {} })).toBe(false);
    expect(differs({ volume: { name: 'v', emptyDir: {} } }, { volume: { name: 'v', hostPath: { path: '/x' } } })).toBe(true);
    expect(differs({ replicas: 0 }, { replicas: 1 })).toBe(true);
  });

  it('notices a missing object part and a changed strategy', () => {
    expect(differs({ spec: { replicas: 1 } }, {})).toBe(true);
    const recreate = serverDeployment(desired.deployment);
    recreate.spec.strategy = { type: 'Recreate' };
    expect(differs(desired.deployment, recreate)).toBe(true);
  });
});
