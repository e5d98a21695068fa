import { describe, expect, it } from 'vitest';
import { isNucleonError, type NucleonError } from '../errors.js';
import { EVENTS_METRIC, scaleToZeroPolicy } from './scale-to-zero.js';
import { validateFunctionConfig } from './validate.js';

const fn = (spec: Record<string, unknown>) => ({ metadata: { name: 'idle' }, spec: { runtime: 'nodejs', handler: 'main:handler', ...spec } });

function problems(spec: Record<string, unknown>): string[] {
  try {
    validateFunctionConfig(fn(spec));
  } catch (err) {
    if (!isNucleonError(err)) throw err;
    return ((err as NucleonError).details?.problems as Array<{ path: string }>).map((p) => p.path);
  }
  return [];
}

describe('scaleToZeroPolicy', () => {
  it('is off unless minReplicas is 0, and says so when scaleToZero is set without it', () => {
    const { config, warnings } = validateFunctionConfig(fn({ scaleToZero: { scaleResources: [{ windowSize: '1m' }] } }));
    expect(scaleToZeroPolicy(config)).toBeUndefined();
    expect(warnings.map((w) => w.path)).toContain('spec.scaleToZero');
  });

  it('reads Nuclio scaleResources, mapping Nuclio metric names onto the processor counter', () => {
    const { config } = validateFunctionConfig(fn({
      minReplicas: 0,
      scaleToZero: { scaleResources: [{ metricName: 'nuclio_processor_handled_events', windowSize: '2s', threshold: 3 }, { metricName: 'my_metric', windowSize: '1m' }] },
    }));
    expect(scaleToZeroPolicy(config)).toEqual({
      resources: [
        { metricName: EVENTS_METRIC, windowSize: '2s', windowMs: 2000, threshold: 3 },
        { metricName: 'my_metric', windowSize: '1m', windowMs: 60_000, threshold: 0 },
      ],
      windowMs: 60_000,
    });
  });

  it('defaults to no event for 5 minutes with minReplicas 0 alone', () => {
    const { config } = validateFunctionConfig(fn({ minReplicas: 0 }));
    expect(scaleToZeroPolicy(config)).toMatchObject({ windowMs: 300_000, resources: [{ metricName: EVENTS_METRIC, threshold: 0 }] });
  });

  it('reports every bad scaleResources field with its path', () => {
    expect(problems({
      minReplicas: 0,
      scaleToZero: { scaleResources: [{ metricName: 3, windowSize: 'soon', threshold: -1 }, 'x'] },
    })).toEqual([
      'spec.scaleToZero.scaleResources[0].metricName',
      'spec.scaleToZero.scaleResources[0].windowSize',
      'spec.scaleToZero.scaleResources[0].threshold',
      'spec.scaleToZero.scaleResources[1]',
    ]);
    expect(problems({ scaleToZero: { scaleResources: 'all' } })).toEqual(['spec.scaleToZero.scaleResources']);
  });

  it('holds windowSize to inactivityWindowPresets when they are given', () => {
    expect(problems({ minReplicas: 0, scaleToZero: { inactivityWindowPresets: ['1m', '5m'], scaleResources: [{ windowSize: '2m' }] } }))
      .toEqual(['spec.scaleToZero.scaleResources[0].windowSize']);
    expect(problems({ minReplicas: 0, scaleToZero: { inactivityWindowPresets: ['1m', 'x'] } })).toEqual(['spec.scaleToZero.inactivityWindowPresets']);
    expect(problems({ minReplicas: 0, scaleToZero: { inactivityWindowPresets: ['1m', '5m'], scaleResources: [{ windowSize: '5m' }] } })).toEqual([]);
  });
});
