import type { ContainerInspectInfo } from 'dockerode';
import { type FunctionStatus, probeAddresses, probeReady } from '@nucleon/core';
import type { FunctionContainer } from './function-container.js';
import type { FunctionLabels } from './labels.js';
import { reachableAddresses, recordedAddresses } from './trigger-addresses.js';

/** The platform name reported in every status. */
export const PLATFORM_NAME = 'docker';

/**
 * A status from the container's labels and state: running and answering `/ready` is
 * 'ready'; running but not answering is 'error'; exited is 'error' (non-zero code) or
 * 'stopped' (code 0, or never started), with the exit code in `message`. `addresses` come
 * from the processor's `/addresses` (asked alongside `/ready`), else from the labels;
 * `restarts` is Docker's RestartCount (restarts by the restart policy).
 */
export async function statusOf(labels: FunctionLabels, info: ContainerInspectInfo, probeTimeoutMs = 1000): Promise<FunctionStatus> {
  const { State: s } = info;
  const running = s.Running && !s.Restarting && !s.Paused;
  const [ready, reported] = running
    ? await Promise.all([probeReady(labels.adminPort, probeTimeoutMs), probeAddresses(labels.adminPort, probeTimeoutMs)])
    : [false, undefined];
  let state: FunctionStatus['state'] = 'ready';
  let message: string | undefined;
  if (s.Restarting) {
    state = 'error';
    message = `container is restarting after exiting with code ${s.ExitCode} (${info.RestartCount} restarts)`;
  } else if (s.Paused) {
    state = 'stopped';
    message = 'container is paused';
  } else if (running && !ready) {
    state = 'error';
    message = 'container is running but the processor is not ready';
  } else if (!running) {
    const neverStarted = s.Status === 'created';
    state = neverStarted || s.ExitCode === 0 ? 'stopped' : 'error';
    message = neverStarted ? 'container was never started' : `container exited with code ${s.ExitCode}${s.OOMKilled ? ' (out of memory)' : ''}`;
  }
  const status: FunctionStatus = {
    name: labels.name,
    platform: PLATFORM_NAME,
    state,
    runtime: labels.runtime,
    handler: labels.handler,
    createdAt: labels.createdAt,
    addresses: reported ? reachableAddresses(reported, info) : recordedAddresses(labels),
    restarts: info.RestartCount ?? 0,
    details: {
      containerId: info.Id,
      containerName: info.Name.replace(/^\//, ''),
      image: labels.image,
      adminPort: labels.adminPort,
      containerState: s.Status,
      ...(s.Health ? { health: s.Health.Status } : {}),
    },
  };
  if (labels.hasHttpTrigger) {
    status.url = `http://127.0.0.1:${labels.httpPort}`;
    status.httpPort = labels.httpPort;
  }
  if (message) status.message = message;
  return status;
}

/**
 * The status of a function's container as {@link findFunctionContainer} found it. A `.zero`
 * container is `scaledToZero` with the port it will wake on; one that runs is a wake under way
 * (or one a dead CLI left): `deploying` until `scale` renames it back.
 */
export async function functionStatus({ info, labels, role }: FunctionContainer): Promise<FunctionStatus> {
  const status = await statusOf(labels, info);
  if (role === 'serving') return status;
  const running = info.State.Running || info.State.Restarting;
  return running
    ? { ...status, state: 'deploying', message: 'waking from zero: the container is starting' }
    : { ...status, state: 'scaledToZero', message: 'scaled to zero: the container is stopped and kept; the next event (or `nucleon scale`) starts it' };
}
