import { createError, ErrorCodes, type Platform, type PlatformPlugin } from '@nucleon/core';
import { cliPackageDir, processorEntry } from './package-paths.js';

/**
 * The platforms this CLI ships, wired statically (the processor loads plugins by name;
 * the CLI is the one place that knows the built-in set). nuctl's `auto` means local here;
 * `kubernetes` is another name for `kube`. Each is imported when a command opens it: loading
 * all three (dockerode, the Kubernetes client) cost every command about half its start time.
 */
const PLATFORMS: Readonly<Record<string, () => Promise<PlatformPlugin>>> = {
  local: async () => (await import('@nucleon/platform-local')).default,
  docker: async () => (await import('@nucleon/platform-docker')).default,
  kube: async () => (await import('@nucleon/platform-kubernetes')).default,
};
const ALIASES: Readonly<Record<string, string>> = { auto: 'local', kubernetes: 'kube' };

/** Platform names `--platform` accepts. */
export const PLATFORM_NAMES = [...Object.keys(PLATFORMS), ...Object.keys(ALIASES)];

/** The platform's own name for one of its aliases (`kubernetes` -> `kube`, `auto` -> `local`). */
export function canonicalPlatform(name: string): string {
  return ALIASES[name] ?? name;
}

/** Where a kube platform command looks (`-n`, `--kubeconfig`, `--context`); ignored by the others. */
export interface PlatformTarget {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Opens the named platform with the settings the CLI owns (processor entry, plugin paths, cluster access). */
export async function openPlatform(name = 'local', target: PlatformTarget = {}): Promise<Platform> {
  const canonical = canonicalPlatform(name);
  const load = PLATFORMS[canonical];
  if (!load) {
    throw createError(ErrorCodes.UNKNOWN_PLATFORM, `unknown platform "${name}"; this CLI supports: ${PLATFORM_NAMES.join(', ')}`);
  }
  const plugin = await load();
  if (canonical === 'docker') return plugin.create({});
  if (canonical === 'kube') {
    return plugin.create({ settings: { namespace: target.namespace, kubeconfig: target.kubeconfig, context: target.context } });
  }
  return plugin.create({ settings: { processorEntry: processorEntry(), pluginPaths: [cliPackageDir()] } });
}
