import { createError, ErrorCodes, type Platform, type PlatformPlugin } from '@nucleon/core';
import dockerPlatform from '@nucleon/platform-docker';
import kubernetesPlatform from '@nucleon/platform-kubernetes';
import localPlatform from '@nucleon/platform-local';
import { cliPackageDir, processorEntry } from './package-paths.js';

/**
 * The platforms this CLI ships, wired statically (the processor loads plugins by name;
 * the CLI is the one place that knows the built-in set). nuctl's `auto` means local here;
 * `kubernetes` is another name for `kube`.
 */
const PLATFORMS: Readonly<Record<string, PlatformPlugin>> = {
  local: localPlatform, auto: localPlatform, docker: dockerPlatform, kube: kubernetesPlatform, kubernetes: kubernetesPlatform,
};

/** Platform names `--platform` accepts. */
export const PLATFORM_NAMES = Object.keys(PLATFORMS);

/** The platform's own name for one of its aliases (`kubernetes` -> `kube`, `auto` -> `local`). */
export function canonicalPlatform(name: string): string {
  if (name === 'kubernetes') return 'kube';
  return name === 'auto' ? 'local' : name;
}

/** Where a kube platform command looks (`-n`, `--kubeconfig`, `--context`); ignored by the others. */
export interface PlatformTarget {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Opens the named platform with the settings the CLI owns (processor entry, plugin paths, cluster access). */
export function openPlatform(name = 'local', target: PlatformTarget = {}): Platform {
  const plugin = PLATFORMS[name];
  if (!plugin) {
    throw createError(ErrorCodes.UNKNOWN_PLATFORM, `unknown platform "${name}"; this CLI supports: ${PLATFORM_NAMES.join(', ')}`);
  }
  if (plugin === dockerPlatform) return plugin.create({});
  if (plugin === kubernetesPlatform) {
    return plugin.create({ settings: { namespace: target.namespace, kubeconfig: target.kubeconfig, context: target.context } });
  }
  return plugin.create({ settings: { processorEntry: processorEntry(), pluginPaths: [cliPackageDir()] } });
}
