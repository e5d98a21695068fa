import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { localUnappliedFields } from './unapplied-fields.js';

const config = (spec: Record<string, unknown>) => validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', ...spec } }).config;

describe('localUnappliedFields', () => {
  it('names every field the local platform does not act on', () => {
    const problems = localUnappliedFields(config({
      replicas: 3, minReplicas: 1, maxReplicas: 4, resources: { limits: { cpu: '1' } }, scaleToZero: { scaleResources: [] },
      image: 'fn:1', build: { baseImage: 'node:24', registry: 'r.example' },
      triggers: { web: { kind: 'http', url: ':8080' } },
    }));
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.replicas: not applied by the local platform (it runs one processor)',
      'spec.minReplicas: not applied by the local platform (it runs one processor)',
      'spec.maxReplicas: not applied by the local platform (it runs one processor)',
      'spec.resources.limits.cpu: not applied by the local platform (no cgroup to set it in; only limits.memory is enforced)',
      'spec.image: not applied by the local platform (it runs the code in the function folder)',
      'spec.build.baseImage: not applied by the local platform',
      'spec.build.registry: not applied by the local platform',
      'spec.triggers.web.url: not applied by the local platform (set attributes.port and attributes.host)',
    ]);
  });

  it('does not warn about scale to zero, which the scaler applies', () => {
    expect(localUnappliedFields(config({ minReplicas: 0, scaleToZero: { scaleResources: [{ windowSize: '1m' }] } }))).toEqual([]);
  });

  it('warns about GPU limits and requests, and not about the memory limit it enforces', () => {
    expect(localUnappliedFields(config({
      resources: { limits: { memory: '256Mi', 'nvidia.com/gpu': 1 }, requests: { memory: '64Mi' } },
    })).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.resources.limits["nvidia.com/gpu"]: not applied by the local platform',
      'spec.resources.requests.memory: not applied by the local platform (it schedules nothing)',
    ]);
  });

  it('is silent for what it applies: env, triggers, build commands, one replica, disableDefaultHTTPTrigger, limits.memory', () => {
    expect(localUnappliedFields(config({
      resources: { limits: { memory: '128Mi' } },
      replicas: 1, env: [{ name: 'A', value: '1' }], build: { commands: ['true'], noCache: true }, disableDefaultHTTPTrigger: true,
      triggers: { web: { kind: 'http', attributes: { port: 8080 } } },
    }))).toEqual([]);
  });

  it('names the Kubernetes-only fields and HTTP ingresses as not applied (Kubernetes only)', () => {
    expect(localUnappliedFields(config({
      nodeSelector: { gpu: 'yes' }, tolerations: [{ key: 'gpu', operator: 'Exists' }], serviceType: 'NodePort', targetCPU: 50,
      volumes: [{ volume: { name: 'v', emptyDir: {} }, volumeMount: { name: 'v', mountPath: '/v' } }],
      triggers: { web: { kind: 'http', attributes: { ingresses: { main: { host: 'fn.example', paths: ['/'] } } } } },
    })).map((p) => `${p.path}: ${p.message}`)).toEqual([
      'spec.nodeSelector: not applied by the local platform (Kubernetes only)',
      'spec.tolerations: not applied by the local platform (Kubernetes only)',
      'spec.serviceType: not applied by the local platform (Kubernetes only)',
      'spec.volumes: not applied by the local platform (Kubernetes only)',
      'spec.targetCPU: not applied by the local platform (Kubernetes only)',
      'spec.triggers.web.attributes.ingresses: not applied by the local platform (Kubernetes only)',
    ]);
  });
});
