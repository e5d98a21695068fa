import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { dockerUnappliedFields } from './unapplied-fields.js';

const config = (spec: Record<string, unknown>) => validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', image: 'fn:1', ...spec } }).config;

describe('dockerUnappliedFields', () => {
  it('names replicas, scaling, resources Docker has no knob for, and the HTTP port and host', () => {
    const problems = dockerUnappliedFields(config({
      replicas: 2, maxReplicas: 3, scaleToZero: {},
      resources: { limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } },
      triggers: { web: { kind: 'http', attributes: { port: 8080, host: '0.0.0.0' } } },
    }));
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.replicas: not applied by the docker platform (it runs one container)',
      'spec.maxReplicas: not applied by the docker platform (it runs one container)',
      'spec.scaleToZero: not applied by the docker platform without spec.minReplicas: 0',
      'spec.resources.limits.ephemeral-storage: not applied by the docker platform (Docker has no such limit)',
      'spec.resources.requests.cpu: not applied by the docker platform (Docker has no such request)',
      'spec.triggers.web.attributes.port: not applied by the docker platform (it publishes a free port on 127.0.0.1)',
      'spec.triggers.web.attributes.host: not applied by the docker platform (it publishes a free port on 127.0.0.1)',
    ]);
  });

  it('applies scale to zero (minReplicas 0, scaleToZero, maxReplicas 1) on the host network; in bridge mode warns that a wake refuses connections', () => {
    const zero = config({ minReplicas: 0, maxReplicas: 1, scaleToZero: { scaleResources: [{ metricName: 'nuclio_processor_handled_events', windowSize: '1m', threshold: 0 }] } });
    expect(dockerUnappliedFields(zero)).toEqual([]);
    expect(dockerUnappliedFields(config({ minReplicas: 1 }))).toEqual([]);
    expect(dockerUnappliedFields(config({ minReplicas: 2 })).map((p) => p.path)).toEqual(['spec.minReplicas']);
    const bridge = dockerUnappliedFields(zero, 'bridge');
    expect(bridge.map((p) => p.path)).toEqual(['spec.minReplicas']);
    expect(bridge[0]!.message).toMatch(/^scale to zero in bridge mode: connections to the function are refused while its container starts/);
  });

  it('is silent for CPU and memory limits, GPUs and a plain HTTP trigger', () => {
    expect(dockerUnappliedFields(config({
      resources: { limits: { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': 1 }, requests: { memory: '1Gi' } },
      triggers: { web: { kind: 'http' } },
    }))).toEqual([]);
  });

  it('leaves the other HTTP triggers\' port and host alone on the host network: the processor applies them', () => {
    expect(dockerUnappliedFields(config({
      triggers: { web: { kind: 'http' }, admin: { kind: 'http', attributes: { port: 0 } }, ops: { kind: 'http', attributes: { port: 9000, host: '127.0.0.1' } } },
    }))).toEqual([]);
  });

  it('in bridge mode names another HTTP trigger Docker cannot publish: port 0, or a host other than all interfaces', () => {
    const problems = dockerUnappliedFields(config({
      triggers: {
        web: { kind: 'http' }, any: { kind: 'http', attributes: { port: 0 } }, inner: { kind: 'http', attributes: { port: 9000, host: '127.0.0.1' } },
        fixed: { kind: 'http', attributes: { port: 9001 } }, off: { kind: 'http', disable: true, attributes: { port: 0 } },
      },
    }), 'bridge');
    expect(problems.map((p) => p.path)).toEqual(['spec.triggers.any.attributes.port', 'spec.triggers.inner.attributes.host']);
    expect(problems[0]!.message).toContain('not reachable from the host in bridge mode');
  });

  it('names the Kubernetes-only fields and HTTP ingresses as not applied (Kubernetes only)', () => {
    expect(dockerUnappliedFields(config({
      nodeSelector: { gpu: 'yes' }, tolerations: [{ key: 'gpu', operator: 'Exists' }], serviceType: 'NodePort', targetCPU: 50,
      volumes: [{ volume: { name: 'v', emptyDir: {} }, volumeMount: { name: 'v', mountPath: '/v' } }],
      triggers: { web: { kind: 'http', attributes: { ingresses: { main: { host: 'fn.example', paths: ['/'] } } } } },
    })).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.nodeSelector: not applied by the docker platform (Kubernetes only)',
      'spec.tolerations: not applied by the docker platform (Kubernetes only)',
      'spec.serviceType: not applied by the docker platform (Kubernetes only)',
      'spec.volumes: not applied by the docker platform (Kubernetes only)',
      'spec.targetCPU: not applied by the docker platform (Kubernetes only)',
      'spec.triggers.web.attributes.ingresses: not applied by the docker platform (Kubernetes only)',
    ]);
  });
});
