import { createError, ErrorCodes, findProcessorFailure, type ScaleOptions } from '@nucleon/core';
import { containerName, zeroName } from './container-names.js';
import { tailLogLines } from './container-logs.js';
import { DEFAULT_READINESS_TIMEOUT_MS } from './deploy.js';
import { inspectOrUndefined, removeQuietly, statusCodeOf, type DockerClient } from './docker-client.js';
import type { FunctionContainer } from './function-container.js';
import type { ResolvedSettings } from './settings.js';
import { describeOutcome, waitReady } from './wait-ready.js';

// Scale to zero keeps the function's container, stopped, under the name `nucleon-<name>.zero`.
// The rename is the marker that tells "scaled to zero by Nucleon" from "stopped" (by hand, or
// dead): it lives in the engine itself, so it survives a restarted CLI and a restarted engine,
// every CLI on the host sees the same answer (a state file would depend on whose home it is in,
// and could disagree with the engine), and the container keeps its id, config, labels, ports
// and logs (recreating it from its inspect would lose the logs). The `.zero` name is one more
// of the reserved suffixes (`.next`, `.old`): deploy, delete, logs and get look for it too.
// The restart policy is set to `no` while at zero: `always` restarts even a stopped container
// when the engine restarts; waking restores the policy from the container's labels.

/** How many log lines a failed wake's message carries. */
const LOG_TAIL_LINES = 20;

/** Refuses counts this platform cannot run; a coded error, before anything is touched. */
export function checkReplicas(name: string, replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw createError(ErrorCodes.USAGE, `scaling function "${name}": replicas must be a whole number >= 0, not ${String(replicas)}`);
  }
  if (replicas > 1) {
    throw createError(ErrorCodes.USAGE,
      `scaling function "${name}" to ${replicas}: the docker platform runs one container per function; scale to 0 or 1`,
      { details: { replicas, maxReplicas: 1 } });
  }
}

/**
 * SIGTERM with the container's own StopTimeout (Docker's SIGKILL after it), then the rename to
 * `.zero`. Stopping comes first: a CLI that dies between the two leaves a container that is
 * honestly `stopped`, and scaling to 0 again finishes the job.
 */
export async function scaleToZero(docker: DockerClient, settings: ResolvedSettings, found: FunctionContainer, progress: (line: string) => void): Promise<void> {
  const { info, labels, role } = found;
  const container = docker.getContainer(info.Id);
  await container.update({ RestartPolicy: { Name: 'no' } });
  if (info.State.Running || info.State.Restarting) {
    const grace = (info.Config as { StopTimeout?: number }).StopTimeout ?? settings.stopTimeoutSeconds;
    progress(`stopping container ${info.Name.replace(/^\//, '')} (SIGTERM, up to ${grace} s to drain)`);
    try {
      await container.stop();
    } catch (err) {
      if (statusCodeOf(err) !== 304) throw err;
    }
  }
  if (role === 'serving') {
    // Only a deploy that died before removing it leaves a `.zero` beside a serving container;
    // the id check spares this very container, renamed meanwhile by a concurrent scale to 0.
    const leftover = await inspectOrUndefined(docker, zeroName(labels.name));
    if (leftover && leftover.Id !== info.Id) await removeQuietly(docker, leftover.Id);
    await renameTo(docker, info.Id, zeroName(labels.name));
  }
  progress(`scaled to zero (container ${zeroName(labels.name)} kept, port ${labels.httpPort})`);
}

/**
 * Starts the stopped container and waits for `/ready`; only then renames it `nucleon-<name>`
 * and restores its restart policy, so a wake that fails leaves it exactly as it was: stopped,
 * scaled to zero (or stopped, for a container that was stopped by hand). Docker's start resets
 * RestartCount, so the readiness wait's restart check sees only this run.
 */
export async function wake(docker: DockerClient, settings: ResolvedSettings, found: FunctionContainer, options: ScaleOptions): Promise<void> {
  const { info, labels, role } = found;
  const name = labels.name;
  const progress = options.onProgress ?? (() => undefined);
  const container = docker.getContainer(info.Id);
  const timeoutMs = options.readinessTimeoutMs ?? ((labels.config?.spec.readinessTimeoutSeconds ?? 0) * 1000 || DEFAULT_READINESS_TIMEOUT_MS);
  progress(`starting container ${info.Name.replace(/^\//, '')} on 127.0.0.1:${labels.httpPort}`);
  try {
    await container.start();
  } catch (err) {
    // 304: already running (a wake a dead CLI began); carry on waiting for it.
    if (statusCodeOf(err) !== 304) throw startFailed(name, settings, labels.httpPort, err);
  }
  progress('waiting for the container to be ready');
  const outcome = await waitReady(container, labels.adminPort, timeoutMs, (seconds) => progress(`still waiting, ${seconds} s`), 100, options.signal)
    .catch((err: unknown) => ({ kind: 'engine' as const, err }));
  if (outcome.kind !== 'ready') {
    const tail = await tailLogLines(container, LOG_TAIL_LINES);
    await stopQuietly(docker, info.Id);
    if (outcome.kind === 'engine') {
      throw createError(ErrorCodes.DEPLOY_FAILED, `scaling function "${name}" to 1: waiting for readiness failed: ${(outcome.err as Error).message}`, { cause: outcome.err });
    }
    const failure = findProcessorFailure(tail);
    const left = role === 'zero' ? 'the container was stopped again and the function stays scaled to zero' : 'the container was stopped again';
    throw createError(outcome.kind === 'aborted' ? ErrorCodes.DEPLOY_INTERRUPTED : failure?.code ?? ErrorCodes.DEPLOY_FAILED,
      `scaling function "${name}" to 1 on the docker platform failed: ${failure?.message ?? describeOutcome(outcome, timeoutMs)} (${left})` +
      (tail.length > 0 ? `\nlast lines of the container log:\n${tail.join('\n')}` : '\nthe container wrote no log'),
      { details: { logTail: tail.join('\n'), outcome: outcome.kind } });
  }
  if (role === 'zero') {
    // The policy before the name: the `.zero` name stays the marker until the wake is complete.
    await container.update({ RestartPolicy: { Name: labels.restartPolicy ?? settings.restartPolicy } });
    await renameTo(docker, info.Id, containerName(name));
  }
  progress('ready');
}

/** Renames, and accepts that a concurrent `scale` (the scaler and a CLI at once) already did. */
async function renameTo(docker: DockerClient, id: string, name: string): Promise<void> {
  try {
    await docker.getContainer(id).rename({ name });
  } catch (err) {
    const now = await inspectOrUndefined(docker, id);
    if (now?.Name.replace(/^\//, '') !== name) throw err;
  }
}

function startFailed(name: string, settings: ResolvedSettings, httpPort: number, err: unknown): Error {
  const message = (err as Error).message;
  // Docker's proxy binds the published port itself and cannot share it with an activator.
  const hint = settings.network === 'bridge' && /address already in use|port is already allocated/i.test(message)
    ? `; in bridge mode Docker must bind 127.0.0.1:${httpPort} itself, so whatever holds it (the scaler's activator) has to let go first`
    : '';
  return createError(ErrorCodes.DEPLOY_FAILED, `scaling function "${name}" to 1: the container did not start: ${message}${hint}`, { cause: err });
}

async function stopQuietly(docker: DockerClient, id: string): Promise<void> {
  try {
    await docker.getContainer(id).stop();
  } catch {
    // Already stopped, or gone: either way it is not half-started.
  }
}
