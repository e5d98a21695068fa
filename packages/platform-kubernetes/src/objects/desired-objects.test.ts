import { parseFunctionConfigText, validateFunctionConfig } from '@nucleon/core';
import { describe, expect, it } from 'vitest';
import { CONFIG_HASH_ANNOTATION, type NuclioFunctionResource } from './resource.js';
import { desiredObjects } from './desired-objects.js';
import { functionConfigOf } from './function-config.js';
import { storedResource } from './test-fixtures.js';

const PORTS = { http: 31000, admin: 31001 };

function objectsOf(resource: NuclioFunctionResource) {
  const { config, problems } = functionConfigOf(resource);
  expect(problems).toEqual([]);
  return desiredObjects(resource, config!, PORTS);
}

const GPU_FUNCTION = storedResource({
  resources: { limits: { 'nvidia.com/gpu': 1, cpu: 2, memory: '4Gi' }, requests: { cpu: '500m' } },
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  nodeSelector: { 'nvidia.com/gpu.present': 'true' },
  affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } },
  priorityClassName: 'high', preemptionPolicy: 'Never', nodeName: 'node-1',
  volumes: [{ volume: { name: 'models', hostPath: { path: '/models' } }, volumeMount: { name: 'models', mountPath: '/models', readOnly: true } }],
  securityContext: { runAsNonRoot: true }, podSecurityContext: { fsGroup: 1000 }, serviceAccount: 'inference',
  imagePullSecrets: 'registry-creds', imagePullPolicy: 'Always',
  sidecars: [{ name: 'proxy', image: 'proxy:1' }], initContainers: [{ name: 'fetch', image: 'fetch:1' }],
  env: [{ name: 'MODE', value: 'fast' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tokens', key: 'hello' } } }],
  eventTimeout: '45s',
});

describe('desiredObjects', () => {
  it('names every object nuclio-<name>, labels it, and makes the resource its controlling owner', () => {
    const objects = objectsOf(storedResource());
    expect(Object.keys(objects)).toEqual(['configMap', 'deployment', 'service']);
    for (const object of Object.values(objects)) {
      expect(object.metadata.name).toBe('nuclio-hello');
      expect(object.metadata.namespace).toBe('fns');
      expect(object.metadata.labels).toEqual({
        team: 'a', 'nuclio.io/function-name': 'hello', 'nuclio.io/class': 'function', 'app.kubernetes.io/managed-by': 'nucleon',
      });
      expect(object.metadata.ownerReferences).toEqual([{
        apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', name: 'hello', uid: '6c1f3d2e-0000-4000-8000-000000000001',
        controller: true, blockOwnerDeletion: true,
      }]);
    }
  });

  it('puts the validated config in the ConfigMap, mounted where NUCLEON_FUNCTION_CONFIG points', () => {
    const { configMap, deployment } = objectsOf(storedResource());
    const config = JSON.parse(configMap.data!['function.yaml']!);
    expect(config.metadata.name).toBe('hello');
    expect(config.spec.eventTimeoutMs).toBe(60_000);
    const pod = deployment.spec!.template.spec!;
    expect(pod.volumes![0]).toEqual({ name: 'nucleon-function-config', configMap: { name: 'nuclio-hello' } });
    expect(pod.containers[0]!.volumeMounts![0]).toEqual({ name: 'nucleon-function-config', mountPath: '/etc/nucleon', readOnly: true });
    expect(pod.containers[0]!.env).toContainEqual({ name: 'NUCLEON_FUNCTION_CONFIG', value: '/etc/nucleon/function.yaml' });
  });

  it('writes a processor config that validates again to the same config, without a warning', () => {
    const { config } = functionConfigOf(GPU_FUNCTION);
    const text = objectsOf(GPU_FUNCTION).configMap.data!['function.yaml']!;
    const again = validateFunctionConfig(parseFunctionConfigText(text));
    expect(again.warnings).toEqual([]);
    expect(again.config).toEqual(config);
  });

  it('runs the processor on the host network on its own loopback ports, probed on 127.0.0.1', () => {
    const { deployment, service } = objectsOf(storedResource());
    const pod = deployment.spec!.template.spec!;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    const container = pod.containers[0]!;
    expect(container.name).toBe('nuclio');
    expect(container.image).toBe('127.0.0.1:5000/hello:1');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 31000, protocol: 'TCP' }, { name: 'admin', containerPort: 31001, protocol: 'TCP' },
    ]);
    expect(container.env!.slice(-7)).toEqual([
      { name: 'NUCLEON_FUNCTION_CONFIG', value: '/etc/nucleon/function.yaml' },
      { name: 'NUCLEON_HTTP_PORT', value: '31000' }, { name: 'NUCLEON_HTTP_HOST', value: '127.0.0.1' },
      { name: 'NUCLEON_HTTP_DEFAULT_HOST', value: '127.0.0.1' }, { name: 'NUCLEON_ADMIN_PORT', value: '31001' },
      { name: 'NUCLEON_ADMIN_HOST', value: '127.0.0.1' }, { name: 'NUCLEON_DRAIN_TIMEOUT_MS', value: '60000' },
    ]);
    expect(container.readinessProbe?.httpGet).toEqual({ host: '127.0.0.1', path: '/ready', port: 31001, scheme: 'HTTP' });
    // eventTimeout 60s drained, plus the processor's 2 s hard stop and slack.
    expect(pod.terminationGracePeriodSeconds).toBe(65);
    expect(deployment.spec!.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect(deployment.spec!.replicas).toBe(1);
    expect(deployment.spec!.selector).toEqual({ matchLabels: { 'nuclio.io/function-name': 'hello' } });
    expect(service.spec).toEqual({
      type: 'ClusterIP', selector: { 'nuclio.io/function-name': 'hello' },
      ports: [{ name: 'http', port: 31000, targetPort: 31000, protocol: 'TCP' }],
    });
  });

  it('gives a GPU function its limit, Recreate, and every Kubernetes field passed through', () => {
    const { deployment } = objectsOf(GPU_FUNCTION);
    expect(deployment.spec!.strategy).toEqual({ type: 'Recreate' });
    const pod = deployment.spec!.template.spec!;
    const [container, sidecar] = pod.containers;
    expect(container!.resources).toEqual({ limits: { 'nvidia.com/gpu': '1', cpu: '2', memory: '4Gi' }, requests: { cpu: '500m' } });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(pod.affinity).toEqual({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } });
    expect(pod.priorityClassName).toBe('high');
    expect(pod.preemptionPolicy).toBe('Never');
    expect(pod.nodeName).toBe('node-1');
    expect(pod.volumes![1]).toEqual({ name: 'models', hostPath: { path: '/models' } });
    expect(container!.volumeMounts![1]).toEqual({ name: 'models', mountPath: '/models', readOnly: true });
    expect(container!.securityContext).toEqual({ runAsNonRoot: true });
    expect(pod.securityContext).toEqual({ fsGroup: 1000 });
    expect(pod.serviceAccountName).toBe('inference');
    expect(pod.imagePullSecrets).toEqual([{ name: 'registry-creds' }]);
    expect(container!.imagePullPolicy).toBe('Always');
    expect(sidecar).toEqual({ name: 'proxy', image: 'proxy:1' });
    expect(pod.initContainers).toEqual([{ name: 'fetch', image: 'fetch:1' }]);
    expect(container!.env!.slice(0, 2)).toEqual([
      { name: 'MODE', value: 'fast' }, { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'tokens', key: 'hello' } } },
    ]);
  });

  it('changes the config hash exactly when the configuration does', () => {
    const hash = (resource: NuclioFunctionResource) => objectsOf(resource).deployment.spec!.template.metadata!.annotations![CONFIG_HASH_ANNOTATION];
    const base = hash(storedResource({ env: [{ name: 'A', value: '1' }] }));
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(hash(storedResource({ env: [{ name: 'A', value: '1' }] }))).toBe(base);
    expect(hash(storedResource({ env: [{ name: 'A', value: '2' }] }))).not.toBe(base);
  });

  it('adds an HPA when maxReplicas > minReplicas, leaving the replica count to it', () => {
    const { deployment, hpa } = objectsOf(storedResource({ minReplicas: 2, maxReplicas: 5, targetCPU: 60 }));
    expect(deployment.spec!.replicas).toBeUndefined();
    expect(hpa?.apiVersion).toBe('autoscaling/v2');
    expect(hpa?.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nuclio-hello' },
      minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
    expect(objectsOf(storedResource({ minReplicas: 0, maxReplicas: 3 })).hpa?.spec?.minReplicas).toBe(1);
    expect(objectsOf(storedResource({ minReplicas: 1, maxReplicas: 4 })).hpa?.spec?.metrics?.[0]?.resource?.target.averageUtilization).toBe(75);
  });

  it('runs a fixed count without an HPA when replicas is set or min = max', () => {
    const fixed = objectsOf(storedResource({ replicas: 3, minReplicas: 1, maxReplicas: 5 }));
    expect(fixed.hpa).toBeUndefined();
    expect(fixed.deployment.spec!.replicas).toBe(3);
    const same = objectsOf(storedResource({ minReplicas: 2, maxReplicas: 2 }));
    expect(same.hpa).toBeUndefined();
    expect(same.deployment.spec!.replicas).toBe(2);
    expect(objectsOf(storedResource({ replicas: 0 })).deployment.spec!.replicas).toBe(0);
  });

  it('makes the Service of spec.serviceType and one Ingress of the HTTP ingresses', () => {
    const { service, ingress } = objectsOf(storedResource({
      serviceType: 'NodePort',
      triggers: { web: { kind: 'http', attributes: { ingresses: {
        public: { host: 'hello.example.com', paths: ['/', '/api'], secretName: 'hello-tls' },
        internal: { host: 'hello.internal', paths: ['/'], pathType: 'Prefix' },
      } } } },
    }));
    expect(service.spec!.type).toBe('NodePort');
    const backend = { service: { name: 'nuclio-hello', port: { number: 31000 } } };
    expect(ingress?.apiVersion).toBe('networking.k8s.io/v1');
    expect(ingress?.spec).toEqual({
      rules: [
        { host: 'hello.example.com', http: { paths: [
          { path: '/', pathType: 'ImplementationSpecific', backend }, { path: '/api', pathType: 'ImplementationSpecific', backend },
        ] } },
        { host: 'hello.internal', http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } },
      ],
      tls: [{ hosts: ['hello.example.com'], secretName: 'hello-tls' }],
    });
  });

  it('leaves owner references out for a resource not stored yet (no uid)', () => {
    const objects = objectsOf(storedResource({}, { uid: undefined }));
    expect(objects.deployment.metadata?.ownerReferences).toBeUndefined();
  });
});
