import { createError, ErrorCodes } from '@nucleon/core';

/** Settings the kube platform accepts under `PlatformCreateOptions.settings`. */
export interface KubernetesPlatformSettings {
  /** A kubeconfig file; default `KUBECONFIG`, `~/.kube/config`, then the local cluster's admin kubeconfig. */
  kubeconfig?: string;
  /** A context of the kubeconfig; default its current-context. */
  context?: string;
  /** The namespace functions live in; default the context's namespace, else `nucleon`. */
  namespace?: string;
}

/** The namespace when neither the settings nor the kubeconfig context name one. */
export const DEFAULT_NAMESPACE = 'nucleon';

/** Checks the raw settings object; throws INVALID_CONFIG listing every problem. */
export function resolveSettings(raw: Record<string, unknown> = {}): KubernetesPlatformSettings {
  const problems: string[] = [];
  const settings: KubernetesPlatformSettings = {};
  for (const key of ['kubeconfig', 'context', 'namespace'] as const) {
    const value = raw[key];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') problems.push(`settings.${key} must be a string`);
    else settings[key] = value;
  }
  if (settings.namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(settings.namespace)) {
    problems.push(`settings.namespace "${settings.namespace}" is not a Kubernetes namespace name (lower-case letters, digits, '-')`);
  }
  if (problems.length > 0) throw createError(ErrorCodes.INVALID_CONFIG, `invalid kube platform settings:\n  - ${problems.join('\n  - ')}`);
  return settings;
}
