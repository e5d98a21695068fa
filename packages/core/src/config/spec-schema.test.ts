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
      resources: { limits: { cpu: 2, memory: '1Gi', 'nvidia.com/gpu': 1 }, requests: { cpu: 0.5 } },
      build: { commands: [], noCache: 'yes', path: 3 }, eventTimeoutMs: 'derived',
      triggers: { web: { kind: 'http', numWorkers: 2, maxWorkers: 'x', name: 7, attributes: { port: 32001, ingresses: { a: { host: 'h', paths: ['/'] } } } } },
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
    expect(problems({ resources: { limits: 'lots' } })).toEqual(['resources.limits: expected object, got string']);
    expect(problems({ env: 'A=1' })).toEqual(['env: expected array, got string']);
  });

  it('accepts every value validation accepts, field by field (the API server must not refuse a valid function)', () => {
    const samples: unknown[] = [
      'x', '', '30s', '500m', 'ClusterIP', 'Never', 'Always', 0, 1, 75, 101, -1, 1.5, true, false, null,
      [], ['x'], [{}], [{ name: 'A', value: 1 }], [{ volume: {}, volumeMount: {} }], {}, { a: 'b' }, { a: 1 }, { a: {} },
    ];
    const accepted = (spec: Record<string, unknown>): boolean => {
      try {
        validateFunctionConfig({ metadata: { name: 'f' }, spec });
        return true;
      } catch {
        return false;
      }
    };
    const bases: Array<[string, (value: unknown) => Record<string, unknown>]> = [
      ...Object.keys(functionSpecSchema.properties ?? {}).map((key): [string, (value: unknown) => Record<string, unknown>] =>
        [key, (value) => ({ runtime: 'nodejs', [key]: value })]),
      ...['kind', 'numWorkers', 'maxWorkers', 'workerAvailabilityTimeoutMilliseconds', 'explicitAckMode', 'attributes', 'disable',
        'url', 'annotations', 'name', 'class'].map((key): [string, (value: unknown) => Record<string, unknown>] =>
        [`triggers.t.${key}`, (value) => ({ runtime: 'nodejs', triggers: { t: { kind: 'http', [key]: value } } })]),
      ...['commands', 'baseImage', 'path', 'noCache', 'registry', 'image'].map((key): [string, (value: unknown) => Record<string, unknown>] =>
        [`build.${key}`, (value) => ({ runtime: 'nodejs', build: { [key]: value } })]),
      ...['cpu', 'memory', 'nvidia.com/gpu', 'ephemeral-storage'].map((key): [string, (value: unknown) => Record<string, unknown>] =>
        [`resources.limits.${key}`, (value) => ({ runtime: 'nodejs', resources: { limits: { [key]: value } } })]),
      ['env[0].value', (value) => ({ runtime: 'nodejs', env: [{ name: 'A', value }] })],
      ['env[0].valueFrom', (value) => ({ runtime: 'nodejs', env: [{ name: 'A', valueFrom: value }] })],
    ];
    const refusedButValid: string[] = [];
    for (const [field, specWith] of bases) {
      for (const value of samples) {
        const spec = specWith(value);
        if (accepted(spec) && schemaProblems(functionSpecSchema, spec).length > 0) refusedButValid.push(`${field} = ${JSON.stringify(value)}`);
      }
    }
    expect(refusedButValid).toEqual([]);
  });
});
