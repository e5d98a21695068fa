import Docker from 'dockerode';
import { definePlatform, type PlatformPlugin } from '@nucleon/core';
import type { DockerClient } from './docker-client.js';
import { DockerPlatform } from './docker-platform.js';
import { resolveSettings } from './settings.js';

export { DockerPlatform } from './docker-platform.js';
export { resolveSettings } from './settings.js';
export type { DockerPlatformSettings, ResolvedSettings, RestartPolicyName } from './settings.js';
export { containerSpec, resourceLimits, healthCheck, BRIDGE_HTTP_PORT, BRIDGE_ADMIN_PORT } from './container-spec.js';
export type { ContainerSpecInput } from './container-spec.js';
export type { DockerClient, ContainerHandle } from './docker-client.js';
export { LABELS, readLabels } from './labels.js';
export type { FunctionLabels } from './labels.js';
export { containerName } from './container-names.js';
export { LogLineSplitter } from './container-logs.js';
export { PLATFORM_NAME } from './function-status.js';
export { DEFAULT_READINESS_TIMEOUT_MS } from './deploy.js';

/**
 * A Docker platform over the given client (a real Dockerode, or a test double), settings
 * validated as the plugin's `create` does.
 */
export function createDockerPlatform(settings: Record<string, unknown> = {}, docker?: DockerClient): DockerPlatform {
  const resolved = resolveSettings(settings);
  const client = docker ?? (new Docker(resolved.socketPath ? { socketPath: resolved.socketPath } : undefined) as unknown as DockerClient);
  return new DockerPlatform(resolved, client);
}

/**
 * `@nucleon/platform-docker`: runs each function image (`spec.image`) as a Docker container
 * through the Engine API. Settings: `socketPath`, `network` (`host` | `bridge`),
 * `restartPolicy`, `stopTimeoutSeconds`, `healthCheck`.
 */
const plugin: PlatformPlugin = definePlatform({
  name: '@nucleon/platform-docker',
  coreRange: '^0.1.0',
  create: ({ settings }) => createDockerPlatform(settings),
});

export default plugin;
