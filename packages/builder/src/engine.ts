import Docker from 'dockerode';
import { createError, ErrorCodes } from '@nucleon/core';

/**
 * A client for the Docker engine (`DOCKER_HOST`, else /var/run/docker.sock), checked with a
 * ping so an engine that is not running is one clear error, not a socket error later.
 */
export async function openDocker(): Promise<Docker> {
  const docker = new Docker();
  try {
    await docker.ping();
  } catch (err) {
    const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    throw createError(ErrorCodes.BUILD_FAILED,
      `cannot reach the Docker engine at ${where}: ${(err as Error).message}; start it (bash scripts/services/docker.sh start, or your system's docker service)`,
      { cause: err });
  }
  return docker;
}
