import { fieldPath } from './field-path.js';
import { describeType, isPlainObject, type ProblemCollector } from './problems.js';
import type { FunctionConfig, FunctionVolume, KubernetesSpecFields } from './types.js';

export const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'] as const;
export const IMAGE_PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
export const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'] as const;
/** Nuclio's autoscaler target when `targetCPU` is absent. */
export const DEFAULT_TARGET_CPU = 75;

/**
 * The spec fields only Kubernetes acts on, in the order platforms report them. Typed as a
 * record over {@link KubernetesSpecFields} so a field added there must be listed here.
 */
const FIELD_ORDER: Record<keyof KubernetesSpecFields, true> = {
  affinity: true, nodeSelector: true, nodeName: true, tolerations: true, priorityClassName: true,
  preemptionPolicy: true, serviceType: true, volumes: true, imagePullSecrets: true, imagePullPolicy: true,
  securityContext: true, podSecurityContext: true, serviceAccount: true, sidecars: true, initContainers: true,
  targetCPU: true,
};
export const KUBERNETES_SPEC_FIELDS: readonly (keyof KubernetesSpecFields)[] =
  Object.keys(FIELD_ORDER) as (keyof KubernetesSpecFields)[];

/**
 * Reads the Kubernetes-only spec fields. Kubernetes object shapes are kept as given (the API
 * server checks their insides when the platform creates the objects); only their outer shape
 * is checked here, so `tolerations: {key: gpu}` fails at load instead of at deploy. Fields
 * absent from `spec` stay absent, so a validated config reads back unchanged.
 */
export function readKubernetesFields(spec: Record<string, unknown>, p: ProblemCollector): KubernetesSpecFields {
  const fields: KubernetesSpecFields = {};
  const set = <K extends keyof KubernetesSpecFields>(key: K, value: KubernetesSpecFields[K] | undefined): void => {
    if (value !== undefined) fields[key] = value;
  };
  set('affinity', mapping(spec.affinity, 'spec.affinity', p));
  set('nodeSelector', stringMapping(spec.nodeSelector, 'spec.nodeSelector', p));
  set('nodeName', text(spec.nodeName, 'spec.nodeName', p));
  set('tolerations', listOfMappings(spec.tolerations, 'spec.tolerations', p));
  set('priorityClassName', text(spec.priorityClassName, 'spec.priorityClassName', p));
  set('preemptionPolicy', oneOf(spec.preemptionPolicy, 'spec.preemptionPolicy', PREEMPTION_POLICIES, p));
  set('serviceType', oneOf(spec.serviceType, 'spec.serviceType', SERVICE_TYPES, p));
  set('volumes', readVolumes(spec.volumes, p));
  set('imagePullSecrets', text(spec.imagePullSecrets, 'spec.imagePullSecrets', p));
  set('imagePullPolicy', oneOf(spec.imagePullPolicy, 'spec.imagePullPolicy', IMAGE_PULL_POLICIES, p));
  set('securityContext', mapping(spec.securityContext, 'spec.securityContext', p));
  set('podSecurityContext', mapping(spec.podSecurityContext, 'spec.podSecurityContext', p));
  set('serviceAccount', text(spec.serviceAccount, 'spec.serviceAccount', p));
  set('sidecars', listOfMappings(spec.sidecars, 'spec.sidecars', p));
  set('initContainers', listOfMappings(spec.initContainers, 'spec.initContainers', p));
  set('targetCPU', percentage(spec.targetCPU, 'spec.targetCPU', p));
  return fields;
}

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

function mapping(value: unknown, path: string, p: ProblemCollector): Record<string, unknown> | undefined {
  if (absent(value)) return undefined;
  if (!isPlainObject(value)) {
    p.error(path, `expected a mapping, got ${describeType(value)}`);
    return undefined;
  }
  return structuredClone(value);
}

function stringMapping(value: unknown, path: string, p: ProblemCollector): Record<string, string> | undefined {
  const map = mapping(value, path, p);
  if (!map) return undefined;
  for (const [key, item] of Object.entries(map)) {
    if (typeof item !== 'string') p.error(fieldPath(path, key), `expected a string, got ${describeType(item)}`);
  }
  return map as Record<string, string>;
}

function text(value: unknown, path: string, p: ProblemCollector): string | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string') {
    p.error(path, `expected a string, got ${describeType(value)}`);
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], p: ProblemCollector): T | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    p.error(path, `expected one of ${allowed.join(', ')}, got ${typeof value === 'string' ? `"${value.slice(0, 40)}"` : describeType(value)}`);
    return undefined;
  }
  return value as T;
}

function listOfMappings(value: unknown, path: string, p: ProblemCollector): Array<Record<string, unknown>> | undefined {
  if (absent(value)) return undefined;
  if (!Array.isArray(value)) {
    p.error(path, `expected a list of mappings, got ${describeType(value)}`);
    return undefined;
  }
  value.forEach((item, i) => {
    if (!isPlainObject(item)) p.error(fieldPath(path, i), `expected a mapping, got ${describeType(item)}`);
  });
  return structuredClone(value) as Array<Record<string, unknown>>;
}

function percentage(value: unknown, path: string, p: ProblemCollector): number | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    p.error(path, `expected a whole number from 1 to 100 (percent CPU utilization), got ${describeType(value)}`);
    return undefined;
  }
  return value;
}

/** Nuclio's `[{volume, volumeMount}]`; each half is a Kubernetes shape, checked as a mapping. */
function readVolumes(value: unknown, p: ProblemCollector): FunctionVolume[] | undefined {
  const list = listOfMappings(value, 'spec.volumes', p);
  if (!list) return undefined;
  list.forEach((item, i) => {
    const path = fieldPath('spec.volumes', i);
    for (const half of ['volume', 'volumeMount'] as const) {
      if (!isPlainObject(item[half])) p.error(`${path}.${half}`, `expected a mapping, got ${describeType(item[half])}`);
    }
  });
  return list as unknown as FunctionVolume[];
}

/**
 * Paths of the fields in `config` that only the Kubernetes platform acts on: the Kubernetes
 * spec fields present, and the HTTP triggers' `attributes.ingresses`. Other platforms report
 * them through their `unappliedFields`, each with its own wording.
 */
export function kubernetesOnlyPaths(config: FunctionConfig): string[] {
  const paths = KUBERNETES_SPEC_FIELDS.filter((key) => config.spec[key] !== undefined).map((key) => `spec.${key}`);
  for (const [name, trigger] of Object.entries(config.spec.triggers)) {
    if (trigger.kind === 'http' && trigger.attributes.ingresses !== undefined) {
      paths.push(`${fieldPath('spec.triggers', name)}.attributes.ingresses`);
    }
  }
  return paths;
}
