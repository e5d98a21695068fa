import type { ConfigProblem, FunctionConfig } from '@nucleon/core';

/** One entry of an HTTP trigger's `attributes.ingresses` (Nuclio's shape), checked. */
export interface FunctionIngress {
  /** Where it came from: `spec.triggers.<trigger>.attributes.ingresses.<name>`. */
  path: string;
  host: string;
  paths: string[];
  /** networking.k8s.io/v1 needs one; Nuclio's ingresses have none, so ImplementationSpecific. */
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  secretName?: string;
}

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'] as const;

/** The function's ingresses, every HTTP trigger's, in trigger then name order; bad entries skipped. */
export function functionIngresses(config: FunctionConfig): FunctionIngress[] {
  return readIngresses(config).ingresses;
}

/** What is wrong with the HTTP triggers' `attributes.ingresses`, each with its path. */
export function ingressProblems(config: FunctionConfig): ConfigProblem[] {
  return readIngresses(config).problems;
}

function readIngresses(config: FunctionConfig): { ingresses: FunctionIngress[]; problems: ConfigProblem[] } {
  const ingresses: FunctionIngress[] = [];
  const problems: ConfigProblem[] = [];
  for (const [triggerName, trigger] of Object.entries(config.spec.triggers)) {
    const raw = trigger.attributes.ingresses;
    if (trigger.kind !== 'http' || raw === undefined || raw === null) continue;
    const base = `spec.triggers.${triggerName}.attributes.ingresses`;
    if (!isMapping(raw)) {
      problems.push({ path: base, message: 'expected a mapping of name to { host, paths }' });
      continue;
    }
    for (const [name, entry] of Object.entries(raw)) {
      const path = `${base}.${name}`;
      const before = problems.length;
      if (!isMapping(entry)) {
        problems.push({ path, message: 'expected { host, paths: [...], secretName? }' });
        continue;
      }
      const host = entry.host ?? '';
      if (typeof host !== 'string') problems.push({ path: `${path}.host`, message: 'expected a string' });
      const paths = entry.paths ?? ['/'];
      if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || !p.startsWith('/'))) {
        problems.push({ path: `${path}.paths`, message: 'expected a list of paths, each starting with /' });
      }
      const secretName = entry.secretName;
      if (secretName !== undefined && typeof secretName !== 'string') problems.push({ path: `${path}.secretName`, message: 'expected a string' });
      const pathType = entry.pathType ?? 'ImplementationSpecific';
      if (!(PATH_TYPES as readonly unknown[]).includes(pathType)) {
        problems.push({ path: `${path}.pathType`, message: `expected one of ${PATH_TYPES.join(', ')}` });
      }
      if (problems.length > before) continue;
      ingresses.push({
        path, host: host as string, paths: paths as string[], pathType: pathType as FunctionIngress['pathType'],
        ...(typeof secretName === 'string' && secretName !== '' ? { secretName } : {}),
      });
    }
  }
  return { ingresses, problems };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
