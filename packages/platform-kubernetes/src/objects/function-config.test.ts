import { describe, expect, it } from 'vitest';
import { functionConfigOf } from './function-config.js';
import { storedResource } from './test-fixtures.js';

describe('functionConfigOf', () => {
  it('validates the resource as a function.yaml, without the server fields and kubectl annotation', () => {
    const { config, problems, warnings } = functionConfigOf(storedResource({ nodeSelector: { gpu: 'yes' } }));
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(config?.metadata).toEqual({ name: 'hello', namespace: 'fns', labels: { team: 'a' }, annotations: {} });
    expect(config?.spec.nodeSelector).toEqual({ gpu: 'yes' });
  });

  it('reports every problem with its path instead of throwing, and no config', () => {
    const result = functionConfigOf(storedResource({ replicas: 'two', targetCPU: 500, runtime: undefined }));
    expect(result.config).toBeUndefined();
    expect(result.problems.map((p) => p.path).sort()).toEqual(['spec.replicas', 'spec.runtime', 'spec.targetCPU']);
  });

  it('keeps warnings, but not the valueFrom one: the kubelet sets those variables here', () => {
    const { warnings } = functionConfigOf(storedResource({
      colour: 'blue', env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    }));
    expect(warnings.map((w) => w.path)).toEqual(['spec.colour']);
  });

  it('refuses a valueFrom that is not a mapping (the kubelet could not use it)', () => {
    expect(functionConfigOf(storedResource({ env: [{ name: 'T', valueFrom: 'secret' }] })).problems.map((p) => p.path))
      .toEqual(['spec.env[0].valueFrom']);
  });

  it('asks for an image and a name that fits in nuclio-<name>', () => {
    expect(functionConfigOf(storedResource({ image: undefined })).problems)
      .toEqual([{ path: 'spec.image', message: expect.stringContaining('required on the Kubernetes platform') }]);
    const long = 'f'.repeat(57);
    expect(functionConfigOf(storedResource({}, { name: long })).problems.map((p) => p.path)).toEqual(['metadata.name']);
    expect(functionConfigOf(storedResource({}, { name: 'f'.repeat(56) })).problems).toEqual([]);
  });

  it('checks the HTTP ingresses', () => {
    const { problems } = functionConfigOf(storedResource({
      triggers: { web: { kind: 'http', attributes: { ingresses: { a: { host: 3, paths: ['nope'] }, b: 'x', c: { host: 'ok', paths: ['/'] } } } } },
    }));
    expect(problems.map((p) => p.path)).toEqual([
      'spec.triggers.web.attributes.ingresses.a.host', 'spec.triggers.web.attributes.ingresses.a.paths', 'spec.triggers.web.attributes.ingresses.b',
    ]);
  });
});
