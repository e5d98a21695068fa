import { describe, expect, it } from 'vitest';
import type { V1ClusterRole, V1CustomResourceDefinition, V1Deployment } from '@kubernetes/client-node';
import { installObjects } from './install-manifests.js';

const crd: V1CustomResourceDefinition = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'nucliofunctions.nuclio.io' },
  spec: { group: 'nuclio.io', names: { kind: 'NuclioFunction', plural: 'nucliofunctions' }, scope: 'Namespaced', versions: [] },
};

describe('installObjects', () => {
  it('applies the CRD first, then namespace, account, role, a namespaced binding and the controller', () => {
    const objects = installObjects({ namespace: 'nucleon', image: '127.0.0.1:5000/nucleon/controller:0.1.0', crd });
    expect(objects.map((o) => `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`)).toEqual([
      'CustomResourceDefinition /nucliofunctions.nuclio.io', 'Namespace /nucleon', 'ServiceAccount nucleon/nucleon-controller',
      'ClusterRole /nucleon-controller', 'RoleBinding nucleon/nucleon-controller', 'Deployment nucleon/nucleon-controller',
    ]);
    const deployment = objects.at(-1) as V1Deployment;
    const pod = deployment.spec!.template.spec!;
    expect(pod).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', serviceAccountName: 'nucleon-controller' });
    expect(pod.containers[0]).toMatchObject({
      image: '127.0.0.1:5000/nucleon/controller:0.1.0', args: ['--namespace', 'nucleon', '--metrics-port', '8094'],
      readinessProbe: { httpGet: { host: '127.0.0.1', port: 8094, path: '/healthz' } }, ports: [{ containerPort: 8094 }],
    });
    expect(pod.containers[0]!.env).toEqual(expect.arrayContaining([
      { name: 'KUBERNETES_SERVICE_HOST', value: '127.0.0.1' }, { name: 'KUBERNETES_SERVICE_PORT', value: '6443' },
    ]));
  });

  it('grants only what the controller touches: read-only pods, no secrets, no wildcard', () => {
    const role = installObjects({ namespace: 'n', image: 'i', crd })[3] as V1ClusterRole;
    const grants = role.rules!.flatMap((r) => r.resources!.map((res) => `${res}:${r.verbs.join(',')}`));
    expect(grants).toContain('pods:get,list,watch');
    expect(grants).toContain('pods/log:get');
    expect(grants).toContain('nucliofunctions/status:get,update,patch');
    expect(grants.join(' ')).not.toMatch(/secrets|\*/);
  });

  it('watching every namespace binds cluster-wide and passes --namespace *', () => {
    const objects = installObjects({ namespace: 'nucleon', image: 'i', crd, watchAll: true });
    expect(objects[4]!.kind).toBe('ClusterRoleBinding');
    expect((objects[5] as V1Deployment).spec!.template.spec!.containers[0]!.args).toEqual(['--namespace', '*', '--metrics-port', '8094']);
    const anyPort = (installObjects({ namespace: 'n', image: 'i', crd, metricsPort: 0 })[5] as V1Deployment).spec!.template.spec!.containers[0]!;
    expect(anyPort.readinessProbe).toBeUndefined();
    expect(anyPort.args).toContain('0');
  });
});
