// STAND-IN for Helper B's module of the same name; replaced by B's file at merge.
import { isNucleonError, validateFunctionConfig, type ConfigProblem, type FunctionConfig } from '@nucleon/core';
import type { NuclioFunctionResource } from './resource.js';

export function functionConfigOf(resource: NuclioFunctionResource): { config?: FunctionConfig; problems: ConfigProblem[]; warnings: ConfigProblem[] } {
  try {
    const { config, warnings } = validateFunctionConfig(
      { apiVersion: 'nuclio.io/v1', kind: 'NuclioFunction', metadata: { name: resource.metadata.name, namespace: resource.metadata.namespace }, spec: resource.spec },
    );
    return { config, problems: [], warnings };
  } catch (err) {
    if (isNucleonError(err)) return { problems: err.details.problems ?? [{ path: '(root)', message: err.message }], warnings: [] };
    throw err;
  }
}
