import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, type NucleonError } from '../errors.js';
import { parseFunctionConfigText } from './parse.js';
import { validateFunctionConfig } from './validate.js';

/** A function.yaml as Nuclio's own docs write it, with GPU, CPU and memory limits. */
const NUCLIO_FUNCTION_YAML = `
apiVersion: "nuclio.io/v1"
kind: "NuclioFunction"
metadata:
  name: image-classifier
  namespace: nuclio
  labels:
    app: vision
    tier: 2
  annotations:
    description: classifies images
spec:
  description: "Classifies images with a GPU model"
  handler: "main:handler"
  runtime: "nodejs"
  env:
    - name: MODEL_PATH
      value: /models/resnet
    - name: BATCH_SIZE
      value: 8
  resources:
    limits:
      nvidia.com/gpu: 1
      cpu: 500m
      memory: 128Mi
    requests:
      cpu: "0.25"
      memory: 64Mi
  minReplicas: 1
  maxReplicas: 4
  eventTimeout: 30s
  readinessTimeoutSeconds: 120
  triggers:
    web:
      kind: http
      maxWorkers: 4
      workerAvailabilityTimeoutMilliseconds: 2500
      attributes:
        port: 8080
    orders:
      kind: kafka-cluster
      numWorkers: 2
      explicitAckMode: enable
      attributes:
        brokers: [kafka:9092]
        topics: [orders]
        consumerGroup: classifier
  build:
    baseImage: node:22-slim
    commands:
      - npm install sharp
`;

function expectInvalid(raw: unknown, options?: Parameters<typeof validateFunctionConfig>[1]): NucleonError {
  try {
    validateFunctionConfig(raw, options);
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
    return err as NucleonError;
  }
  throw new Error('expected validateFunctionConfig to throw');
}

function problemPaths(err: NucleonError): string[] {
  return (err.details.problems ?? []).map((p) => p.path);
}

const minimal = (spec: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'nuclio.io/v1', kind: 'NuclioFunction', metadata: { name: 'fn' },
  spec: { runtime: 'nodejs', handler: 'main:handler', ...spec }, ...extra,
});

describe('validateFunctionConfig: a Nuclio function.yaml read unchanged', () => {
  const { config, warnings } = validateFunctionConfig(parseFunctionConfigText(NUCLIO_FUNCTION_YAML));

  it('keeps metadata, handler and runtime', () => {
    expect(config.apiVersion).toBe('nuclio.io/v1');
    expect(config.kind).toBe('NuclioFunction');
    expect(config.metadata).toEqual({
      name: 'image-classifier', namespace: 'nuclio',
      labels: { app: 'vision', tier: '2' }, annotations: { description: 'classifies images' },
    });
    expect(config.spec.handler).toBe('main:handler');
    expect(config.spec.runtime).toBe('nodejs');
    expect(config.spec.description).toBe('Classifies images with a GPU model');
  });

  it('reads resources limits and requests, GPUs as a number', () => {
    expect(config.spec.resources.limits).toEqual({ 'nvidia.com/gpu': 1, cpu: '500m', memory: '128Mi' });
    expect(config.spec.resources.requests).toEqual({ cpu: '0.25', memory: '64Mi' });
  });

  it('reads env values as strings', () => {
    expect(config.spec.env).toEqual([{ name: 'MODEL_PATH', value: '/models/resnet' }, { name: 'BATCH_SIZE', value: '8' }]);
  });

  it('reads triggers with maxWorkers as numWorkers and keeps attributes for the plugin', () => {
    expect(config.spec.triggers.web).toEqual({
      kind: 'http', numWorkers: 4, workerAvailabilityTimeoutMilliseconds: 2500, explicitAckMode: undefined,
      attributes: { port: 8080 }, disable: false, url: undefined, annotations: undefined,
    });
    expect(config.spec.triggers.orders?.numWorkers).toBe(2);
    expect(config.spec.triggers.orders?.explicitAckMode).toBe('enable');
    expect(config.spec.triggers.orders?.attributes).toEqual({ brokers: ['kafka:9092'], topics: ['orders'], consumerGroup: 'classifier' });
  });

  it('reads timeouts, replicas and build', () => {
    expect(config.spec.eventTimeout).toBe('30s');
    expect(config.spec.eventTimeoutMs).toBe(30_000);
    expect(config.spec.readinessTimeoutSeconds).toBe(120);
    expect(config.spec.minReplicas).toBe(1);
    expect(config.spec.maxReplicas).toBe(4);
    expect(config.spec.build).toEqual({ baseImage: 'node:22-slim', commands: ['npm install sharp'] });
  });

  it('has nothing to warn about', () => {
    expect(warnings).toEqual([]);
  });
});

describe('validateFunctionConfig: apiVersion and kind', () => {
  it.each(['nuclio.io/v1', 'nuclio.io/v1beta1'])('accepts %s', (apiVersion) => {
    expect(validateFunctionConfig(minimal({}, { apiVersion })).config.apiVersion).toBe(apiVersion);
  });

  it('defaults a missing apiVersion to nuclio.io/v1', () => {
    const raw = minimal();
    delete (raw as Record<string, unknown>).apiVersion;
    expect(validateFunctionConfig(raw).config.apiVersion).toBe('nuclio.io/v1');
  });

  it('refuses an unknown major version such as nuclio.io/v2', () => {
    const err = expectInvalid(minimal({}, { apiVersion: 'nuclio.io/v2' }));
    expect(err.details.problems).toEqual([expect.objectContaining({ path: 'apiVersion' })]);
    expect(err.message).toContain('expected one of nuclio.io/v1, nuclio.io/v1beta1');
  });

  it('refuses a kind other than NuclioFunction', () => {
    expect(problemPaths(expectInvalid(minimal({}, { kind: 'Deployment' })))).toEqual(['kind']);
  });

  it('refuses a document that is not a mapping', () => {
    expect(problemPaths(expectInvalid(['not', 'a', 'mapping'])).slice(0, 1)).toEqual(['(root)']);
  });
});

describe('validateFunctionConfig: every problem at once', () => {
  it('reports several problems with their paths in one NUCLEON_ERR_INVALID_CONFIG error', () => {
    const err = expectInvalid({
      apiVersion: 'nuclio.io/v2',
      metadata: { name: 'Bad_Name' },
      spec: {
        handler: 42,
        eventTimeout: 'soon',
        env: [{ value: 'no name' }],
        resources: { limits: { cpu: 'lots', memory: '12 apples', 'nvidia.com/gpu': 1.5 } },
        triggers: {
          web: { kind: 'http', numWorkers: 0, workerAvailabilityTimeoutMilliseconds: -1, attributes: 'port 8080' },
          stream: { explicitAckMode: 'sometimes' },
        },
        minReplicas: 5,
        maxReplicas: 2,
      },
    }, { source: 'fn/function.yaml' });
    expect(err.code).toBe('NUCLEON_ERR_INVALID_CONFIG');
    expect(problemPaths(err).sort()).toEqual([
      'apiVersion',
      'metadata.name',
      'spec.env[0]',
      'spec.eventTimeout',
      'spec.handler',
      'spec.minReplicas',
      'spec.resources.limits.cpu',
      'spec.resources.limits.memory',
      'spec.resources.limits["nvidia.com/gpu"]',
      'spec.runtime',
      'spec.triggers.stream.explicitAckMode',
      'spec.triggers.stream.kind',
      'spec.triggers.web.attributes',
      'spec.triggers.web.numWorkers',
      'spec.triggers.web.workerAvailabilityTimeoutMilliseconds',
    ].sort());
    expect(err.message).toContain('fn/function.yaml');
    expect(err.message).toContain('15 problems');
    for (const path of problemPaths(err)) expect(err.message).toContain(`  - ${path}: `);
  });

  it('says "1 problem" for a single one', () => {
    expect(expectInvalid(minimal({ eventTimeout: 'x' })).message).toContain('(1 problem)');
  });
});

describe('validateFunctionConfig: unknown and not-yet-supported fields warn', () => {
  it('warns for unsupported Nuclio spec fields and unknown spec fields, and still validates', () => {
    const { config, warnings } = validateFunctionConfig(minimal({
      dataBindings: {}, loggerSinks: [], nodeSelector: { disk: 'ssd' }, colour: 'blue',
    }));
    expect(config.metadata.name).toBe('fn');
    expect(warnings).toEqual([
      { path: 'spec.dataBindings', message: expect.stringContaining('not supported by Nucleon yet') },
      { path: 'spec.loggerSinks', message: expect.stringContaining('not supported by Nucleon yet') },
      { path: 'spec.colour', message: expect.stringContaining('unknown field') },
    ]);
  });

  it('warns for unknown top-level, metadata, trigger and build fields', () => {
    const { warnings } = validateFunctionConfig(minimal({
      triggers: { web: { kind: 'http', workerAllocatorName: 'shared', colour: 'red' } },
      build: { commands: [], onbuildImage: 'x', colour: 'green' },
    }, { extras: true, metadata: { name: 'fn', uid: 'abc' } }));
    expect(warnings.map((w) => w.path).sort()).toEqual([
      'extras', 'metadata.uid', 'spec.build.colour', 'spec.build.onbuildImage',
      'spec.triggers.web.colour', 'spec.triggers.web.workerAllocatorName',
    ]);
    expect(warnings.find((w) => w.path === 'spec.triggers.web.workerAllocatorName')?.message).toContain('not supported');
    expect(warnings.find((w) => w.path === 'spec.triggers.web.colour')?.message).toContain('unknown field');
  });

  it('accepts a status section silently (Nuclio exports include it)', () => {
    expect(validateFunctionConfig(minimal({}, { status: { state: 'ready' } })).warnings).toEqual([]);
  });

  it('warns for env valueFrom and leaves that variable out', () => {
    const { config, warnings } = validateFunctionConfig(minimal({
      env: [{ name: 'A', value: 'a' }, { name: 'SECRET', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
    }));
    expect(config.spec.env).toEqual([{ name: 'A', value: 'a' }]);
    expect(warnings).toEqual([{ path: 'spec.env[1].valueFrom', message: expect.stringContaining('Kubernetes platform only') }]);
  });

  it('includes the warnings in the error details when validation fails', () => {
    const err = expectInvalid(minimal({ loggerSinks: [], eventTimeout: 'x' }));
    expect(err.details.warnings).toEqual([expect.objectContaining({ path: 'spec.loggerSinks' })]);
  });
});

describe('validateFunctionConfig: defaults', () => {
  const { config } = validateFunctionConfig({ metadata: { name: 'fn' }, spec: { runtime: 'nodejs', triggers: { t: { kind: 'http' } } } });

  it('defaults eventTimeout to 60s (60000 ms)', () => {
    expect(config.spec.eventTimeout).toBe('60s');
    expect(config.spec.eventTimeoutMs).toBe(60_000);
  });

  it('defaults handler, readiness timeout, env, resources and build', () => {
    expect(config.spec.handler).toBe('main:handler');
    expect(config.spec.readinessTimeoutSeconds).toBe(60);
    expect(config.spec.env).toEqual([]);
    expect(config.spec.resources).toEqual({ limits: {}, requests: {} });
    expect(config.spec.build).toEqual({ commands: [] });
    expect(config.metadata.labels).toEqual({});
    expect(config.metadata.annotations).toEqual({});
  });

  it('defaults a trigger: workerAvailabilityTimeoutMilliseconds 10000, numWorkers left to the plugin, attributes {}', () => {
    expect(config.spec.triggers.t).toMatchObject({
      kind: 'http', workerAvailabilityTimeoutMilliseconds: 10_000, attributes: {}, disable: false,
    });
    expect(config.spec.triggers.t?.numWorkers).toBeUndefined();
  });

  it('adds no trigger of its own (the processor adds the default HTTP trigger)', () => {
    expect(validateFunctionConfig(minimal()).config.spec.triggers).toEqual({});
  });

  it('treats an empty eventTimeout as the default', () => {
    expect(validateFunctionConfig(minimal({ eventTimeout: '' })).config.spec.eventTimeoutMs).toBe(60_000);
  });
});

describe('validateFunctionConfig: workers', () => {
  it('accepts maxWorkers as an alias of numWorkers', () => {
    const { config, warnings } = validateFunctionConfig(minimal({ triggers: { t: { kind: 'http', maxWorkers: 3 } } }));
    expect(config.spec.triggers.t?.numWorkers).toBe(3);
    expect(warnings).toEqual([]);
  });

  it('lets numWorkers win over maxWorkers, with a warning', () => {
    const { config, warnings } = validateFunctionConfig(minimal({ triggers: { t: { kind: 'http', numWorkers: 2, maxWorkers: 8 } } }));
    expect(config.spec.triggers.t?.numWorkers).toBe(2);
    expect(warnings).toEqual([{ path: 'spec.triggers.t.maxWorkers', message: expect.stringContaining('numWorkers wins') }]);
  });

  it('names the field the user wrote when maxWorkers is invalid', () => {
    expect(problemPaths(expectInvalid(minimal({ triggers: { t: { kind: 'http', maxWorkers: 'many' } } }))))
      .toEqual(['spec.triggers.t.maxWorkers']);
  });

  it('refuses fractional and zero worker counts', () => {
    expect(problemPaths(expectInvalid(minimal({ triggers: { a: { kind: 'http', numWorkers: 1.5 }, b: { kind: 'http', numWorkers: 0 } } }))))
      .toEqual(['spec.triggers.a.numWorkers', 'spec.triggers.b.numWorkers']);
  });

  it.each(['yes', 'true', 1])('refuses disable: %j (only true or false)', (disable) => {
    expect(problemPaths(expectInvalid(minimal({ triggers: { t: { kind: 'http', disable } } })))).toEqual(['spec.triggers.t.disable']);
  });

  it('accepts a disabled trigger and the three explicitAckMode values', () => {
    const { config } = validateFunctionConfig(minimal({ triggers: {
      a: { kind: 'kafka-cluster', explicitAckMode: 'disable', disable: true },
      b: { kind: 'kafka-cluster', explicitAckMode: 'explicitOnly' },
    } }));
    expect(config.spec.triggers.a).toMatchObject({ disable: true, explicitAckMode: 'disable' });
    expect(config.spec.triggers.b).toMatchObject({ disable: false, explicitAckMode: 'explicitOnly' });
  });
});

describe('validateFunctionConfig: names', () => {
  it('uses defaultName when metadata.name is missing', () => {
    expect(validateFunctionConfig({ spec: { runtime: 'nodejs' } }, { defaultName: 'from-dir' }).config.metadata.name).toBe('from-dir');
  });

  it('prefers metadata.name over defaultName', () => {
    expect(validateFunctionConfig(minimal(), { defaultName: 'from-dir' }).config.metadata.name).toBe('fn');
  });

  it('requires a name when there is neither metadata.name nor defaultName', () => {
    const err = expectInvalid({ spec: { runtime: 'nodejs' } });
    expect(err.details.problems).toEqual([{ path: 'metadata.name', message: 'is required' }]);
  });

  it.each(['Upper', 'under_score', '-leading', 'trailing-', 'a'.repeat(64), 'dots.in.name', ''])('refuses the name %j', (name) => {
    expect(problemPaths(expectInvalid(minimal({}, { metadata: { name } })))).toEqual(['metadata.name']);
  });

  it('refuses a defaultName that is not a valid name', () => {
    expect(problemPaths(expectInvalid({ spec: { runtime: 'nodejs' } }, { defaultName: 'My Function' }))).toEqual(['metadata.name']);
  });

  it.each(['a', 'fn-1', '0abc', 'a'.repeat(63)])('accepts the name %j', (name) => {
    expect(validateFunctionConfig(minimal({}, { metadata: { name } })).config.metadata.name).toBe(name);
  });
});

describe('validateFunctionConfig: eventTimeout', () => {
  it.each([['500ms', 500], ['1m30s', 90_000], ['2h', 7_200_000], ['0', 0]])('reads %s as %d ms', (text, ms) => {
    const { config } = validateFunctionConfig(minimal({ eventTimeout: text }));
    expect(config.spec.eventTimeout).toBe(text);
    expect(config.spec.eventTimeoutMs).toBe(ms);
  });

  it.each([['30', 'a number without a unit'], [30, 'a YAML number'], ['-5s', 'a negative duration'], ['ten seconds', 'words']])(
    'refuses %j (%s)', (eventTimeout, _why) => {
      const err = expectInvalid(minimal({ eventTimeout }));
      expect(err.details.problems).toEqual([{ path: 'spec.eventTimeout', message: expect.stringContaining('is not a duration') }]);
    });
});

describe('validateFunctionConfig: runtime and resources', () => {
  it.each([undefined, null, ''])('requires spec.runtime (given %j)', (runtime) => {
    const err = expectInvalid({ metadata: { name: 'fn' }, spec: { runtime } });
    expect(err.details.problems).toEqual([{ path: 'spec.runtime', message: expect.stringContaining('is required') }]);
  });

  it('accepts a GPU count written as a string and numeric CPU/memory quantities', () => {
    const { config } = validateFunctionConfig(minimal({ resources: { limits: { 'nvidia.com/gpu': '2', cpu: 2, memory: 1048576 } } }));
    expect(config.spec.resources.limits).toEqual({ 'nvidia.com/gpu': 2, cpu: '2', memory: '1048576' });
  });

  it.each([true, '', -1, 'one'])('refuses the GPU count %j', (gpus) => {
    expect(problemPaths(expectInvalid(minimal({ resources: { limits: { 'nvidia.com/gpu': gpus } } }))))
      .toEqual(['spec.resources.limits["nvidia.com/gpu"]']);
  });

  it('keeps other extended resources as quantities', () => {
    const { config } = validateFunctionConfig(minimal({ resources: { requests: { 'ephemeral-storage': '1Gi' } } }));
    expect(config.spec.resources.requests).toEqual({ 'ephemeral-storage': '1Gi' });
  });

  it('refuses a scaleToZero that is not a mapping, keeps one that is', () => {
    expect(problemPaths(expectInvalid(minimal({ scaleToZero: true })))).toEqual(['spec.scaleToZero']);
    const scaleToZero = { scaleResources: [{ metricName: 'nucleon_requests', windowSize: '1m', threshold: 0 }] };
    expect(validateFunctionConfig(minimal({ scaleToZero })).config.spec.scaleToZero).toEqual(scaleToZero);
  });

  it('refuses a label whose value is a mapping', () => {
    expect(problemPaths(expectInvalid(minimal({}, { metadata: { name: 'fn', labels: { a: { b: 1 } } } })))).toEqual(['metadata.labels.a']);
  });
});

describe('validateFunctionConfig: the result', () => {
  it('is deeply frozen', () => {
    const { config } = validateFunctionConfig(parseFunctionConfigText(NUCLIO_FUNCTION_YAML));
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.spec.triggers.web?.attributes)).toBe(true);
    expect(Object.isFrozen(config.spec.env[0])).toBe(true);
    expect(() => { (config.spec as { runtime: string }).runtime = 'python'; }).toThrow(TypeError);
    expect(() => { (config.spec.resources.limits as Record<string, unknown>).cpu = '4'; }).toThrow(TypeError);
  });

  it('does not freeze the caller\'s input', () => {
    const attributes = { port: 8080, cors: { enabled: true } };
    const scaleToZero = { scaleResources: [] };
    const raw = minimal({ triggers: { web: { kind: 'http', attributes } }, scaleToZero, build: { commands: [], flags: ['-x'] } });
    validateFunctionConfig(raw);
    expect(Object.isFrozen(raw.spec)).toBe(false);
    expect(Object.isFrozen(attributes)).toBe(false);
    expect(Object.isFrozen(attributes.cors)).toBe(false);
    expect(Object.isFrozen(scaleToZero)).toBe(false);
    expect(Object.isFrozen((raw.spec as Record<string, unknown>).build)).toBe(false);
  });
});

describe('spec.eventTimeoutMs, the derived field', () => {
  const base = { metadata: { name: 'fn' }, spec: { runtime: 'nodejs', eventTimeout: '2s' } };
  it('reads a validated config back without a warning', () => {
    const first = validateFunctionConfig(base).config;
    expect(validateFunctionConfig(JSON.parse(JSON.stringify(first))).warnings).toEqual([]);
  });
  it('warns when a hand-written value disagrees, and keeps the one eventTimeout gives', () => {
    const { config, warnings } = validateFunctionConfig({ ...base, spec: { ...base.spec, eventTimeoutMs: 5 } });
    expect(config.spec.eventTimeoutMs).toBe(2000);
    expect(warnings.map((w) => w.path)).toContain('spec.eventTimeoutMs');
  });
});

describe('validateFunctionConfig: env entries and disableDefaultHTTPTrigger', () => {
  it('warns for an unknown key in an env entry and for an entry without a value', () => {
    const { config, warnings } = validateFunctionConfig(minimal({ env: [{ name: 'A', valu: 1 }] }));
    expect(warnings).toEqual([
      { path: 'spec.env[0].valu', message: 'unknown field, ignored' },
      { path: 'spec.env[0]', message: 'no value or valueFrom; the variable is set to ""' },
    ]);
    expect(config.spec.env).toEqual([{ name: 'A', value: '' }]);
  });

  it('reads disableDefaultHTTPTrigger without a warning, and refuses a non-boolean', () => {
    const { config, warnings } = validateFunctionConfig(minimal({ disableDefaultHTTPTrigger: true }));
    expect(config.spec.disableDefaultHTTPTrigger).toBe(true);
    expect(warnings).toEqual([]);
    expect(() => validateFunctionConfig(minimal({ disableDefaultHTTPTrigger: 'yes' }))).toThrow(/spec.disableDefaultHTTPTrigger: expected true or false/);
  });
});
