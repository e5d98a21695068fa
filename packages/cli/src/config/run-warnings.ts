import { kubernetesOnlyPaths, type ConfigProblem, type FunctionConfig } from '@nucleon/core';

/**
 * What `nucleon run` prints before it starts: the configuration's warnings, plus the fields
 * only the Kubernetes platform acts on, which validation accepts silently (they are real
 * configuration there) but which a foreground run ignores.
 */
export function runWarnings(config: FunctionConfig, warnings: readonly ConfigProblem[]): ConfigProblem[] {
  return [...warnings, ...kubernetesOnlyPaths(config).map((path) => ({ path, message: 'not applied by nucleon run (Kubernetes only)' }))];
}
