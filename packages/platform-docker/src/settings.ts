import { createError, ErrorCodes } from '@nucleon/core';

/** Docker restart policies a function container may run under. */
export type RestartPolicyName = 'no' | 'always' | 'unless-stopped' | 'on-failure';

/** Settings the Docker platform accepts under `PlatformCreateOptions.settings`. */
export interface DockerPlatformSettings {
  /** Engine socket; defaults to dockerode's own default (DOCKER_HOST or /var/run/docker.sock). */
  socketPath?: string;
  /**
   * `host` (default): the container shares the host's network and the processor binds free
   * 127.0.0.1 ports. `bridge`: the processor binds fixed ports inside the container, published
   * on 127.0.0.1 free host ports.
   */
  network?: 'host' | 'bridge';
  /** Docker restart policy of function containers; default `unless-stopped`. */
  restartPolicy?: RestartPolicyName;
  /** Seconds a processor gets to drain after SIGTERM before Docker kills it; default 10. */
  stopTimeoutSeconds?: number;
  /** Add the Docker HEALTHCHECK that runs `node` against `/ready` in the container; default true. */
  healthCheck?: boolean;
  /**
   * Run Docker's init (`docker run --init`) as the container's PID 1 above the processor;
   * default true. A PID 1 ignores signals it has no handler for, SIGKILL included, so without
   * it the processor's event-loop watchdog cannot kill a processor stuck in native code.
   */
  init?: boolean;
}

/** Settings with every default applied (socketPath stays optional). */
export interface ResolvedSettings {
  socketPath?: string;
  network: 'host' | 'bridge';
  restartPolicy: RestartPolicyName;
  stopTimeoutSeconds: number;
  healthCheck: boolean;
  init: boolean;
}

const RESTART_POLICIES: readonly string[] = ['no', 'always', 'unless-stopped', 'on-failure'];

/** Checks the raw settings object and applies defaults; throws INVALID_CONFIG listing every problem. */
export function resolveSettings(raw: Record<string, unknown> = {}): ResolvedSettings {
  const { socketPath, network = 'host', restartPolicy = 'unless-stopped', stopTimeoutSeconds = 10, healthCheck = true, init = true } = raw;
  const problems: string[] = [];
  if (socketPath !== undefined && typeof socketPath !== 'string') problems.push('settings.socketPath must be a string');
  if (network !== 'host' && network !== 'bridge') problems.push('settings.network must be "host" or "bridge"');
  if (typeof restartPolicy !== 'string' || !RESTART_POLICIES.includes(restartPolicy)) {
    problems.push(`settings.restartPolicy must be one of ${RESTART_POLICIES.join(', ')}`);
  }
  if (typeof stopTimeoutSeconds !== 'number' || !Number.isInteger(stopTimeoutSeconds) || stopTimeoutSeconds < 0) {
    problems.push('settings.stopTimeoutSeconds must be a whole number of seconds');
  }
  if (typeof healthCheck !== 'boolean') problems.push('settings.healthCheck must be true or false');
  if (typeof init !== 'boolean') problems.push('settings.init must be true or false');
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid docker platform settings:\n  - ${problems.join('\n  - ')}`);
  }
  return {
    ...(socketPath === undefined ? {} : { socketPath: socketPath as string }),
    network: network as 'host' | 'bridge',
    restartPolicy: restartPolicy as RestartPolicyName,
    stopTimeoutSeconds: stopTimeoutSeconds as number,
    healthCheck: healthCheck as boolean,
    init: init as boolean,
  };
}
