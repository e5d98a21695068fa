import {
  ErrorCodes, isNucleonError, validateFunctionConfig, type ConfigProblem, type FunctionConfig,
} from '@nucleon/core';
import type { NuclioFunctionResource } from './resource.js';
import { ingressProblems } from './ingress-rules.js';
import { withoutMark } from './scale-to-zero-mark.js';

/** A Service is named `nuclio-<name>` and a Service name is a DNS label of at most 63 characters. */
export const MAX_KUBERNETES_FUNCTION_NAME = 63 - 'nuclio-'.length;

/** What {@link functionConfigOf} found: the config when valid, and every problem and warning. */
export interface FunctionConfigResult {
  config?: FunctionConfig;
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

/**
 * The validated function configuration of a NuclioFunction, by core's `validateFunctionConfig`
 * plus what only Kubernetes needs (an image, a name that fits in object names, well-formed HTTP
 * ingresses). Never throws for a bad resource: the controller reports problems in the status.
 */
export function functionConfigOf(resource: NuclioFunctionResource): FunctionConfigResult {
  const { metadata } = resource;
  // Only the fields a function.yaml has: uid, resourceVersion, managedFields ... are the server's.
  const raw = {
    apiVersion: resource.apiVersion,
    kind: resource.kind,
    metadata: {
      name: metadata.name,
      ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
      ...(metadata.labels === undefined ? {} : { labels: metadata.labels }),
      ...(metadata.annotations === undefined ? {} : { annotations: withoutKubernetesAnnotations(metadata.annotations) }),
    },
    spec: resource.spec ?? {},
  };
  let config: FunctionConfig | undefined;
  let problems: ConfigProblem[] = [];
  let warnings: ConfigProblem[] = [];
  try {
    ({ config, warnings } = validateFunctionConfig(raw, { source: `NuclioFunction ${metadata.namespace ?? ''}/${metadata.name ?? ''}` }));
  } catch (err) {
    if (!isNucleonError(err, ErrorCodes.INVALID_CONFIG)) throw err;
    problems = [...(err.details.problems ?? [])];
    warnings = [...((err.details.warnings as ConfigProblem[] | undefined) ?? [])];
  }
  // The kubelet sets valueFrom variables here; core's warning says they work elsewhere only.
  warnings = warnings.filter((w) => !/^spec\.env\[\d+\]\.valueFrom$/.test(w.path));
  problems.push(...kubernetesProblems(resource, config));
  return problems.length > 0 ? { problems, warnings } : { config, problems, warnings };
}

function kubernetesProblems(resource: NuclioFunctionResource, config: FunctionConfig | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const name = resource.metadata.name ?? '';
  if (name.length > MAX_KUBERNETES_FUNCTION_NAME) {
    problems.push({ path: 'metadata.name', message: `is ${name.length} characters; at most ${MAX_KUBERNETES_FUNCTION_NAME} on Kubernetes (its Service is named nuclio-<name>, a DNS label of at most 63)` });
  }
  if (config && !config.spec.image) {
    problems.push({ path: 'spec.image', message: 'is required on the Kubernetes platform (nucleon deploy --platform kube builds the image and sets it)' });
  }
  if (config) problems.push(...ingressProblems(config));
  const env = Array.isArray(resource.spec?.env) ? (resource.spec.env as unknown[]) : [];
  env.forEach((item, i) => {
    const valueFrom = (item as Record<string, unknown> | null)?.valueFrom;
    if (valueFrom !== undefined && (valueFrom === null || typeof valueFrom !== 'object' || Array.isArray(valueFrom))) {
      problems.push({ path: `spec.env[${i}].valueFrom`, message: 'expected a mapping (secretKeyRef, configMapKeyRef, fieldRef or resourceFieldRef)' });
    }
  });
  return problems;
}

/**
 * kubectl's last-applied copy is the whole resource again: not an annotation of the function.
 * Nor is the scaled-to-zero mark, which must not reach the processor's configuration: the
 * ConfigMap's hash is in the pod template, and marking a function would roll its pods.
 */
function withoutKubernetesAnnotations(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(withoutMark(annotations)).filter(([key]) => key !== 'kubectl.kubernetes.io/last-applied-configuration'));
}
