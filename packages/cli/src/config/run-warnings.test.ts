import { validateFunctionConfig } from '@nucleon/core';
import { describe, expect, it } from 'vitest';
import { formatWarnings } from './load-function.js';
import { runWarnings } from './run-warnings.js';

describe('runWarnings', () => {
  it('adds a line for each Kubernetes-only field after the configuration warnings', () => {
    const { config, warnings } = validateFunctionConfig({
      metadata: { name: 'f' }, spec: { runtime: 'nodejs', nodeSelector: { gpu: 'yes' }, serviceType: 'NodePort', colour: 'blue' },
    });
    expect(formatWarnings(runWarnings(config, warnings))).toBe(
      'warning: spec.colour: unknown field, ignored\n' +
      'warning: spec.nodeSelector: not applied by nucleon run (Kubernetes only)\n' +
      'warning: spec.serviceType: not applied by nucleon run (Kubernetes only)\n');
  });
});
