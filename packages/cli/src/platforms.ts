import { createError, ErrorCodes, type Platform, type PlatformPlugin } from '@nucleon/core';
import dockerPlatform from '@nucleon/platform-docker';
import localPlatform from '@nucleon/platform-local';
import { cliPackageDir, processorEntry } from './package-paths.js';

/**
 * The platforms this CLI ships, wired statically (the processor loads plugins by name;
 * the CLI is the one place that knows the built-in set). nuctl's `auto` means local here.
 */
const PLATFORMS: Readonly<Record<string, PlatformPlugin>> = { local: localPlatform, auto: localPlatform, docker: dockerPlatform };

/** Platform names `--platform` accepts. */
export const PLATFORM_NAMES = Object.keys(PLATFORMS);

/** Opens the named platform with the settings the CLI owns (processor entry, plugin paths). */
export function openPlatform(name = 'local'): Platform {
  const plugin = PLATFORMS[name];
  if (!plugin) {
    throw createError(ErrorCodes.UNKNOWN_PLATFORM, `unknown platform "${name}"; this CLI supports: ${PLATFORM_NAMES.join(', ')}`);
  }
  if (plugin === dockerPlatform) return plugin.create({});
  return plugin.create({ settings: { processorEntry: processorEntry(), pluginPaths: [cliPackageDir()] } });
}
