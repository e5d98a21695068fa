import { definePlatform, type PlatformPlugin } from '@nucleon/core';
import { LocalPlatform } from './local-platform.js';
import { resolveSettings } from './settings.js';

export { LocalPlatform } from './local-platform.js';
export { resolveSettings, resolveStateDir } from './settings.js';
export type { LocalPlatformSettings, ResolvedSettings } from './settings.js';
export type { FunctionRecord } from './state-store.js';
export { PLATFORM_NAME } from './function-status.js';
export { isPidAlive } from './liveness.js';

/**
 * `@nucleon/platform-local`: deploys each function as a processor on this machine, under a
 * detached supervisor that restarts it, bounds its log and memory, and gives it a clean
 * environment (docs/platform-local.md). Settings: `processorEntry` (required), `stateDir`, `nodePath`, `pluginPaths`.
 */
const plugin: PlatformPlugin = definePlatform({
  name: '@nucleon/platform-local',
  coreRange: '^0.1.0',
  create: ({ settings }) => new LocalPlatform(resolveSettings(settings)),
});

export default plugin;
