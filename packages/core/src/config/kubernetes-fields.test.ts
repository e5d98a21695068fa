import { describe, expect, it } from 'vitest';
import { isNucleonError, type NucleonError } from '../errors.js';
import { KUBERNETES_SPEC_FIELDS } from './kubernetes-fields.js';
import { validateFunctionConfig } from './validate.js';

const withSpec = (spec: Record<string, unknown>) => ({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', ...spec } });

function problemsOf(spec: Record<string, unknown>): Array<{ path: string; message: string }> {
  try {
    validateFunctionConfig(withSpec(spec));
  } catch (err) {
    if (!isNucleonError(err)) throw err;
    return (err as NucleonError).details.problems ?? [];
  }
  throw new Error('expected the config to be refused');
}

const GPU_FUNCTION = {
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } },
  nodeSelector: { 'nvidia.com/gpu.present': 'true' }, nodeName: 'node-1',
  tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  priorityClassName: 'high', preemptionPolicy: 'Never', serviceType: 'NodePort',
  volumes: [{ volume: { name: 'models', hostPath: { path: '/models' } }, volumeMount: { name: 'models', mountPath: '/models' } }],
  imagePullSecrets: 'registry-creds', imagePullPolicy: 'Always',
  securityContext: { runAsNonRoot: true }, podSecurityContext: { fsGroup: 1000 }, serviceAccount: 'inference',
  sidecars: [{ name: 'proxy', image: 'proxy:1' }], initContainers: [{ name: 'fetch', image: 'fetch:1' }], targetCPU: 60,
};

describe('validateFunctionConfig: the Kubernetes fields', () => {
  it('keeps every one in the validated config, without a warning', () => {
    const { config, warnings } = validateFunctionConfig(withSpec(GPU_FUNCTION));
    expect(warnings).toEqual([]);
    for (const [key, value] of Object.entries(GPU_FUNCTION)) expect(config.spec[key as keyof typeof config.spec], key).toEqual(value);
    expect(Object.keys(GPU_FUNCTION).sort()).toEqual([...KUBERNETES_SPEC_FIELDS].sort());
  });

  it('leaves absent ones absent, so a validated config reads back unchanged', () => {
    const { config } = validateFunctionConfig(withSpec({}));
    for (const key of KUBERNETES_SPEC_FIELDS) expect(key in config.spec, key).toBe(false);
    const again = validateFunctionConfig(structuredClone(validateFunctionConfig(withSpec(GPU_FUNCTION)).config));
    expect(again.warnings).toEqual([]);
    expect(again.config.spec.volumes).toEqual(GPU_FUNCTION.volumes);
  });

  it('refuses the wrong outer shapes, every one at once with its path', () => {
    const problems = problemsOf({
      affinity: [], nodeSelector: { disk: 1 }, tolerations: { key: 'gpu' }, serviceType: 'Headless', targetCPU: 0,
      volumes: [{ volume: { name: 'v' } }], imagePullSecrets: ['a'], imagePullPolicy: 'Sometimes', sidecars: ['proxy'],
      preemptionPolicy: 3, securityContext: 'root', serviceAccount: {},
    });
    expect(problems.map((p) => p.path)).toEqual([
      'spec.affinity', 'spec.nodeSelector.disk', 'spec.tolerations', 'spec.preemptionPolicy', 'spec.serviceType',
      'spec.volumes[0].volumeMount', 'spec.imagePullSecrets', 'spec.imagePullPolicy', 'spec.securityContext',
      'spec.serviceAccount', 'spec.sidecars[0]', 'spec.targetCPU',
    ]);
    expect(problems.find((p) => p.path === 'spec.serviceType')?.message).toBe('expected one of ClusterIP, NodePort, LoadBalancer, got "Headless"');
    expect(problems.find((p) => p.path === 'spec.targetCPU')?.message).toContain('from 1 to 100');
  });

  it('refuses a targetCPU with a fraction or above 100', () => {
    expect(problemsOf({ targetCPU: 50.5 }).map((p) => p.path)).toEqual(['spec.targetCPU']);
    expect(problemsOf({ targetCPU: 101 }).map((p) => p.path)).toEqual(['spec.targetCPU']);
  });
});
