import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { ContainerCreateOptions } from 'dockerode';
import { FUNCTION_ADDRESSES_ENV, PLATFORM_NAME_ENV, removeFunctionAddress, writeFunctionAddress } from '@nucleon/core';

// Function-to-function calls: processors find callees through `<dir>/<name>.json` (core's
// function-addresses contract). The directory is on the host and bind-mounted read-only at the
// same path into every function container; containers on the host network reach the
// 127.0.0.1 ports it names. Kept apart from deploy and delete, which only call in.

/** `$NUCLEON_HOME/docker/addresses`, else `${XDG_STATE_HOME:-~/.local/state}/nucleon/docker/addresses`. */
export function addressesDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.NUCLEON_HOME) return join(env.NUCLEON_HOME, 'docker', 'addresses');
  const xdg = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(home, '.local', 'state');
  return join(xdg, 'nucleon', 'docker', 'addresses');
}

/** Adds the addresses mount and environment to a container spec (the directory is created first, so Docker does not make it root's). */
export async function withAddresses(spec: ContainerCreateOptions, dir: string = addressesDir()): Promise<ContainerCreateOptions> {
  await mkdir(dir, { recursive: true });
  return {
    ...spec,
    Env: [...(spec.Env ?? []), `${FUNCTION_ADDRESSES_ENV}=${dir}`, `${PLATFORM_NAME_ENV}=docker`],
    HostConfig: { ...spec.HostConfig, Binds: [...(spec.HostConfig?.Binds ?? []), `${dir}:${dir}:ro`] },
  };
}

/**
 * Publishes a ready function's HTTP address on host loopback; one without an HTTP trigger has
 * none. In bridge mode the port is the published host port, which other host-network
 * processes reach but bridge-network containers do not.
 */
export async function publishAddress(name: string, httpPort: number, hasHttpTrigger: boolean, dir: string = addressesDir()): Promise<void> {
  if (!hasHttpTrigger) return withdrawAddress(name, dir);
  await writeFunctionAddress(dir, name, { url: `http://127.0.0.1:${httpPort}` });
}

/** Removes a deleted function's address, so callers get "not found" instead of a refused connection. */
export function withdrawAddress(name: string, dir: string = addressesDir()): Promise<void> {
  return removeFunctionAddress(dir, name);
}
