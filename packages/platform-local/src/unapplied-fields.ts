import { kubernetesOnlyPaths, type ConfigProblem, type FunctionConfig } from '@nucleon/core';

const NOT_APPLIED = 'not applied by the local platform';

/**
 * The fields of a validated config the local platform accepts but does not act on: one
 * processor per function, no images, no resource requests, no CPU or GPU limits.
 * `resources.limits.memory` is applied (the supervisor's RSS watch plus the Node heap cap),
 * so it is not listed. Fields validation already warns
 * about (Nuclio fields Nucleon does not support) are not repeated here.
 */
export function localUnappliedFields(config: FunctionConfig): ConfigProblem[] {
  const { spec } = config;
  const problems: ConfigProblem[] = [];
  const add = (path: string, why = NOT_APPLIED): void => {
    problems.push({ path, message: why });
  };
  if (spec.replicas !== undefined && spec.replicas !== 1) add('spec.replicas', `${NOT_APPLIED} (it runs one processor)`);
  // minReplicas 0 is scale to zero, which the scaler applies.
  if (spec.minReplicas !== undefined && spec.minReplicas !== 0) add('spec.minReplicas', `${NOT_APPLIED} (it runs one processor)`);
  if (spec.maxReplicas !== undefined) add('spec.maxReplicas', `${NOT_APPLIED} (it runs one processor)`);
  for (const key of Object.keys(spec.resources.limits)) {
    if (key === 'memory') continue;
    add(resourcePath('limits', key), key === 'cpu' ? `${NOT_APPLIED} (no cgroup to set it in; only limits.memory is enforced)` : NOT_APPLIED);
  }
  for (const key of Object.keys(spec.resources.requests)) add(resourcePath('requests', key), `${NOT_APPLIED} (it schedules nothing)`);
  if (spec.image !== undefined) add('spec.image', `${NOT_APPLIED} (it runs the code in the function folder)`);
  for (const field of ['baseImage', 'registry', 'image'] as const) {
    if (spec.build[field] !== undefined) add(`spec.build.${field}`);
  }
  for (const [name, trigger] of Object.entries(spec.triggers)) {
    if (trigger.kind === 'http' && trigger.url !== undefined) add(`spec.triggers.${name}.url`, `${NOT_APPLIED} (set attributes.port and attributes.host)`);
  }
  for (const path of kubernetesOnlyPaths(config)) add(path, `${NOT_APPLIED} (Kubernetes only)`);
  return problems;
}

function resourcePath(list: 'limits' | 'requests', key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `spec.resources.${list}.${key}` : `spec.resources.${list}["${key}"]`;
}
