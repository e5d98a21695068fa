import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError } from '../errors.js';
import { validateFunctionConfig } from './validate.js';

const fn = (runtime: string, trigger: Record<string, unknown>) => ({
  metadata: { name: 'batched' }, spec: { runtime, handler: 'main:handler', triggers: { web: trigger } },
});

function problems(raw: unknown): string[] {
  try {
    validateFunctionConfig(raw);
  } catch (err) {
    if (!isNucleonError(err, ErrorCodes.INVALID_CONFIG)) throw err;
    return (err.details.problems ?? []).map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected INVALID_CONFIG');
}

describe("a trigger's batch block (Nuclio's event batching)", () => {
  it("reads Nuclio's shape on an HTTP trigger of a Python function, with no warning", () => {
    const { config, warnings } = validateFunctionConfig(fn('python:3.11', {
      kind: 'http', maxWorkers: 10, batch: { mode: 'enable', batchSize: 10, timeout: '100ms' },
    }));
    expect(config.spec.triggers.web?.batch).toEqual({ mode: 'enable', batchSize: 10, timeout: '100ms', timeoutMs: 100 });
    expect(warnings).toEqual([]);
  });

  it("defaults to Nuclio's example values, and reads a validated config back unchanged", () => {
    const { config } = validateFunctionConfig(fn('python', { kind: 'http', batch: { mode: 'enable' } }));
    expect(config.spec.triggers.web?.batch).toEqual({ mode: 'enable', batchSize: 10, timeout: '1s', timeoutMs: 1000 });
    const again = validateFunctionConfig(structuredClone(config));
    expect(again.config.spec.triggers.web?.batch).toEqual(config.spec.triggers.web?.batch);
    expect(again.warnings).toEqual([]);
  });

  it('leaves batch out when not configured, and takes mode disable on any trigger and runtime', () => {
    expect(validateFunctionConfig(fn('nodejs', { kind: 'http' })).config.spec.triggers.web).not.toHaveProperty('batch');
    const { config } = validateFunctionConfig(fn('nodejs', { kind: 'cron', attributes: { interval: '1s' }, batch: { mode: 'disable' } }));
    expect(config.spec.triggers.web?.batch?.mode).toBe('disable');
  });

  it.each([
    [{ mode: 'on' }, 'spec.triggers.web.batch.mode: expected one of enable, disable, got a string (2 characters)'],
    [{ mode: 'enable', batchSize: 0 }, 'spec.triggers.web.batch.batchSize: expected an integer >= 1, got a number below 1'],
    [{ mode: 'enable', timeout: 'soon' }, 'spec.triggers.web.batch.timeout: expected a duration such as "100ms" or "1s", got a string (4 characters)'],
    ['yes', 'spec.triggers.web.batch: expected a mapping with mode, batchSize and timeout, got a string (3 characters)'],
  ])('refuses batch %j naming the field', (batch, problem) => {
    expect(problems(fn('python', { kind: 'http', batch }))).toEqual([problem]);
  });

  it('refuses batching on a runtime or trigger kind that cannot batch, naming batch.mode', () => {
    expect(problems(fn('nodejs', { kind: 'http', batch: { mode: 'enable' } }))).toEqual([
      'spec.triggers.web.batch.mode: batching is supported by the python runtime only',
    ]);
    expect(problems(fn('python', { kind: 'kafka-cluster', batch: { mode: 'enable' } }))).toEqual([
      'spec.triggers.web.batch.mode: batching is supported on http triggers only',
    ]);
  });

  it('warns about an unknown key in the batch block', () => {
    const { warnings } = validateFunctionConfig(fn('python', { kind: 'http', batch: { mode: 'enable', size: 3 } }));
    expect(warnings).toEqual([{ path: 'spec.triggers.web.batch.size', message: 'unknown field, ignored' }]);
  });
});
