import type { ContainerCreateOptions, ContainerInfo, ContainerInspectInfo } from 'dockerode';

/**
 * The slice of dockerode this platform uses. Typing against it (not the whole Dockerode
 * class) lets unit tests pass a small in-memory double; a real Dockerode satisfies it.
 */
export interface DockerClient {
  createContainer(options: ContainerCreateOptions): Promise<{ id: string }>;
  getContainer(idOrName: string): ContainerHandle;
  listContainers(options: { all?: boolean; filters?: Record<string, string[]> | string }): Promise<ContainerInfo[]>;
}

/** The container operations this platform uses. */
export interface ContainerHandle {
  inspect(): Promise<ContainerInspectInfo>;
  start(): Promise<unknown>;
  stop(options?: { t?: number }): Promise<unknown>;
  remove(options?: { force?: boolean }): Promise<unknown>;
  rename(options: { name: string }): Promise<unknown>;
  /** `docker update`: here only the restart policy, which Docker lets a container change after create. */
  update(options: { RestartPolicy: { Name: string } }): Promise<unknown>;
  /** A Buffer without `follow`, a stream with it (dockerode's behaviour). */
  logs(options: { stdout: boolean; stderr: boolean; follow?: boolean; tail?: number }): Promise<Buffer | NodeJS.ReadableStream>;
}

/** The HTTP status of an Engine API error (404 no such container, 409 conflict, 304 not modified). */
export function statusCodeOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Inspects a container by name or id; undefined when it does not exist. */
export async function inspectOrUndefined(docker: DockerClient, idOrName: string): Promise<ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(idOrName).inspect();
  } catch (err) {
    if (statusCodeOf(err) === 404) return undefined;
    throw err;
  }
}

/** Removes a container and ignores "already gone". */
export async function removeQuietly(docker: DockerClient, idOrName: string): Promise<void> {
  try {
    await docker.getContainer(idOrName).remove({ force: true });
  } catch (err) {
    if (statusCodeOf(err) !== 404 && statusCodeOf(err) !== 409) throw err;
  }
}

/** SIGTERM, Docker's SIGKILL after `graceSeconds`, then removal; "already stopped/gone" is fine. */
export async function stopAndRemove(docker: DockerClient, idOrName: string, graceSeconds: number): Promise<void> {
  const container = docker.getContainer(idOrName);
  try {
    await container.stop({ t: graceSeconds });
  } catch (err) {
    // 304: already stopped; 404: already gone.
    if (statusCodeOf(err) !== 304 && statusCodeOf(err) !== 404) throw err;
  }
  await removeQuietly(docker, idOrName);
}
