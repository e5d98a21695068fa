import type { ContainerInspectInfo } from 'dockerode';
import { createError, type DeployRequest, ErrorCodes, findFreePort, findProcessorFailure, hasHttpTrigger } from '@nucleon/core';
import { candidateName, containerName, retiringName, zeroName } from './container-names.js';
import { tailLogLines } from './container-logs.js';
import { containerSpec } from './container-spec.js';
import { publishableExtraPorts } from './http-triggers.js';
import { publishAddress, withAddresses } from './function-addresses.js';
import { inspectOrUndefined, removeQuietly, statusCodeOf, stopAndRemove, type DockerClient } from './docker-client.js';
import { LABELS, readLabels } from './labels.js';
import type { ResolvedSettings } from './settings.js';
import { describeOutcome, waitReady } from './wait-ready.js';

/** How many log lines a failed deploy's message carries. */
const LOG_TAIL_LINES = 20;
/** Readiness wait when neither the request nor the configuration gives one. */
export const DEFAULT_READINESS_TIMEOUT_MS = 60_000;
/** Extra time past the readiness timeout before a leftover candidate counts as abandoned. */
const STALE_MARGIN_MS = 60_000;

/**
 * Creates the function's container and switches to it once ready. The new container starts
 * as `nucleon-<name>.next` on fresh ports while any previous one keeps serving; only when
 * the new one answers `/ready` is the old one renamed away, the new one renamed into place,
 * and the old one stopped and removed. A failed deploy removes its container and leaves the
 * previous deployment untouched. Resolves with the final container's inspect data.
 */
export async function deployFunction(docker: DockerClient, settings: ResolvedSettings, request: DeployRequest): Promise<ContainerInspectInfo> {
  const { config } = request;
  const name = config.metadata.name;
  const image = config.spec.image;
  if (!image) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `function "${name}" has no spec.image: the docker platform deploys images: build one with \`nucleon build\` or pass --image`,
      { details: { problems: [{ path: 'spec.image', message: 'required by the docker platform' }] } });
  }
  const timeoutMs = request.readinessTimeoutMs ?? (config.spec.readinessTimeoutSeconds * 1000 || DEFAULT_READINESS_TIMEOUT_MS);
  await refuseForeignContainer(docker, name);
  await clearAbandonedCandidate(docker, name);

  const taken = new Set<number>();
  const freshPort = async (): Promise<number> => {
    let port = await findFreePort();
    while (taken.has(port)) port = await findFreePort();
    taken.add(port);
    return port;
  };
  const httpPort = await freshPort();
  const adminPort = await freshPort();
  const extraPorts = [];
  if (settings.network === 'bridge') {
    for (const containerPort of publishableExtraPorts(config)) extraPorts.push({ containerPort, hostPort: await freshPort() });
  }
  const now = Date.now();
  const spec = await withAddresses(containerSpec({
    config, image, name: candidateName(name), httpPort, adminPort, extraPorts,
    hasHttpTrigger: hasHttpTrigger(config),
    createdAt: new Date(now).toISOString(),
    staleAfter: new Date(now + timeoutMs + STALE_MARGIN_MS).toISOString(),
  }, settings));

  const progress = request.onProgress ?? (() => undefined);
  progress(`starting container ${candidateName(name)} from ${image} on 127.0.0.1:${httpPort}`);
  const { id } = await createCandidate(docker, spec, name, image);
  const container = docker.getContainer(id);
  try {
    await container.start();
  } catch (err) {
    await removeQuietly(docker, id);
    throw createError(ErrorCodes.DEPLOY_FAILED, `deploying function "${name}": the container did not start: ${(err as Error).message}`, { cause: err });
  }
  let outcome: Awaited<ReturnType<typeof waitReady>>;
  try {
    progress('waiting for the container to be ready');
    outcome = await waitReady(container, adminPort, timeoutMs, (seconds) => progress(`still waiting, ${seconds} s`));
  } catch (err) {
    // The engine failed us mid-wait; never leave a half-deployed candidate behind.
    await removeQuietly(docker, id).catch(() => undefined);
    throw createError(ErrorCodes.DEPLOY_FAILED, `deploying function "${name}": waiting for readiness failed: ${(err as Error).message}`, { cause: err });
  }
  if (outcome.kind !== 'ready') {
    const tail = await tailLogLines(container, LOG_TAIL_LINES);
    await removeQuietly(docker, id);
    // The processor's own coded error, when it logged one, is the headline (and the code).
    const failure = findProcessorFailure(tail);
    throw createError(failure?.code ?? ErrorCodes.DEPLOY_FAILED,
      `deploying function "${name}" on the docker platform failed: ${failure?.message ?? describeOutcome(outcome, timeoutMs)}` +
      ` (image ${image}; the container was removed, any previous deployment keeps running)` +
      (tail.length > 0 ? `\nlast lines of the container log:\n${tail.join('\n')}` : '\nthe container wrote no log'),
      { details: { image, logTail: tail.join('\n'), outcome: outcome.kind } });
  }
  await switchOver(docker, settings, name, id);
  await publishAddress(name, httpPort, hasHttpTrigger(config));
  progress('ready');
  return container.inspect();
}

async function createCandidate(docker: DockerClient, spec: Parameters<DockerClient['createContainer']>[0], name: string, image: string): Promise<{ id: string }> {
  try {
    return await docker.createContainer(spec);
  } catch (err) {
    if (statusCodeOf(err) === 404) {
      // The platform never pulls: images come from `nucleon build` on this engine.
      throw createError(ErrorCodes.DEPLOY_FAILED,
        `deploying function "${name}": image ${image} is not on this Docker engine (the docker platform never pulls); build it with \`nucleon build\``,
        { cause: err, details: { image } });
    }
    if (statusCodeOf(err) === 409) throw busy(name, err);
    throw createError(ErrorCodes.DEPLOY_FAILED, `deploying function "${name}": creating the container failed: ${(err as Error).message}`, { cause: err });
  }
}

/** A container that already has the function's name but no Nucleon label is someone else's. */
async function refuseForeignContainer(docker: DockerClient, name: string): Promise<void> {
  const current = await inspectOrUndefined(docker, containerName(name));
  if (current && readLabels(current.Config.Labels)?.name !== name) {
    throw createError(ErrorCodes.DEPLOY_FAILED,
      `deploying function "${name}": a container named ${containerName(name)} exists that Nucleon did not create; remove or rename it`);
  }
}

/**
 * A `.next` container means another deploy is waiting for readiness, or a CLI died while it
 * waited. The candidate's stale-after label tells the two apart.
 */
async function clearAbandonedCandidate(docker: DockerClient, name: string): Promise<void> {
  const candidate = await inspectOrUndefined(docker, candidateName(name));
  if (!candidate) return;
  const staleAfter = Date.parse(candidate.Config.Labels?.[LABELS.staleAfter] ?? '');
  if (Number.isNaN(staleAfter) || staleAfter < Date.now()) {
    await removeQuietly(docker, candidate.Id);
    return;
  }
  throw busy(name);
}

function busy(name: string, cause?: unknown): Error {
  return createError(ErrorCodes.DEPLOY_FAILED,
    `another nucleon command is deploying "${name}" (container ${candidateName(name)} exists); try again later`,
    cause === undefined ? {} : { cause });
}

/**
 * Puts the ready candidate in place. The old container keeps serving on its own port until
 * the renames are done, so callers lose at most the moments between its stop and their
 * learning the new URL.
 */
async function switchOver(docker: DockerClient, settings: ResolvedSettings, name: string, candidateId: string): Promise<void> {
  const current = await inspectOrUndefined(docker, containerName(name));
  if (current) {
    // A `.old` left by a CLI that died mid-switch would block the rename below.
    await removeQuietly(docker, retiringName(name));
    await docker.getContainer(current.Id).rename({ name: retiringName(name) });
  }
  await docker.getContainer(candidateId).rename({ name: containerName(name) });
  if (current) await stopAndRemove(docker, current.Id, settings.stopTimeoutSeconds);
  // A function scaled to zero is replaced like any other: the new container serves, the old one goes.
  await removeQuietly(docker, zeroName(name));
}
