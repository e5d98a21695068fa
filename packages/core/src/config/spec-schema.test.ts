import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaProblems, structuralSchemaProblems } from '../testing/schema-check.js';
import { parseFunctionConfigText } from './parse.js';
import { functionSpecSchema } from './spec-schema.js';
import { validateFunctionConfig } from './validate.js';

const examples = join(import.meta.dirname, '../../../../examples');

describe('functionSpecSchema', () => {
  it('is a Kubernetes structural schema that preserves unknown spec fields', () => {
    expect(structuralSchemaProblems(functionSpecSchema)).toEqual([]);
    expect(functionSpecSchema['x-kubernetes-preserve-unknown-fields']).toBe(true);
  });

  it("accepts the repository's examples, as written and as validated", () => {
    const folders = readdirSync(examples).filter((name) => readdirSync(join(examples, name)).includes('function.yaml'));
    expect(folders.length).toBeGreaterThan(0);
    for (const folder of folders) {
      const raw = parseFunctionConfigText(readFileSync(join(examples, folder, 'function.yaml'), 'utf8')) as { spec: unknown };
      expect(schemaProblems(functionSpecSchema, raw.spec), folder).toEqual([]);
      const { config } = validateFunctionConfig(raw, { defaultName: folder });
      expect(schemaProblems(functionSpecSchema, config.spec), `${folder} validated`).toEqual([]);
    }
  });

  it('accepts the loose values validation accepts (numbers for quantities and env values) and Kubernetes fields', () => {
    const spec = {
      runtime: 'nodejs', env: [{ name: 'N', value: 3 }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      resources: { limits: { cpu: 2, memory: '1Gi', 'nvidia.com/gpu': 1 }, requests: { cpu: '500m' } },
      triggers: { web: { kind: 'http', maxWorkers: 4, attributes: { port: 32001, ingresses: { a: { host: 'h', paths: ['/'] } } } } },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { gpu: 'yes' },
      volumes: [{ volume: { name: 'v', emptyDir: {} }, volumeMount: { name: 'v', mountPath: '/data' } }],
      serviceType: 'NodePort', targetCPU: 50, minReplicas: 1, maxReplicas: 3, someNuclioField: { kept: true },
    };
    expect(validateFunctionConfig({ metadata: { name: 'f' }, spec }).config.spec.targetCPU).toBe(50);
    expect(schemaProblems(functionSpecSchema, spec)).toEqual([]);
  });

  it('rejects wrong types and values, naming the field', () => {
    const problems = (spec: Record<string, unknown>): string[] => schemaProblems(functionSpecSchema, spec);
    expect(problems({ replicas: 'two' })).toEqual(['replicas: expected integer, got string']);
    expect(problems({ minReplicas: -1 })).toEqual(['minReplicas: below 0']);
    expect(problems({ targetCPU: 101 })).toEqual(['targetCPU: above 100']);
    expect(problems({ serviceType: 'Headless' })).toEqual(['serviceType: expected one of ClusterIP, NodePort, LoadBalancer']);
    expect(problems({ tolerations: { key: 'gpu' } })).toEqual(['tolerations: expected array, got object']);
    expect(problems({ triggers: { web: { numWorkers: 1.5 } } })).toEqual(['triggers.web.numWorkers: expected integer, got number']);
    expect(problems({ resources: { limits: { cpu: [1] } } })).toEqual(['resources.limits.cpu: expected an integer or a string']);
    expect(problems({ env: 'A=1' })).toEqual(['env: expected array, got string']);
  });
});
