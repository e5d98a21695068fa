import {
  assertFunctionName, createError, ErrorCodes, type ConfigProblem, type DeployRequest, type FunctionConfig, type FunctionStatus, type LogsOptions, type Platform,
} from '@nucleon/core';
import { candidateName, containerName, retiringName } from './container-names.js';
import { streamLogLines } from './container-logs.js';
import { deployFunction } from './deploy.js';
import { inspectOrUndefined, removeQuietly, stopAndRemove, type DockerClient } from './docker-client.js';
import { withdrawAddress } from './function-addresses.js';
import { statusOf } from './function-status.js';
import { LABELS, readLabels } from './labels.js';
import type { ResolvedSettings } from './settings.js';
import { dockerUnappliedFields } from './unapplied-fields.js';

/**
 * Runs each function image as one Docker container, `nucleon-<name>`. It keeps no state of
 * its own: everything `get`/`list` report is read back from container labels and state, so a
 * restarted CLI sees what an earlier one deployed.
 */
export class DockerPlatform implements Platform {
  constructor(readonly settings: ResolvedSettings, private readonly docker: DockerClient) {}

  unappliedFields(config: FunctionConfig): ConfigProblem[] {
    return dockerUnappliedFields(config, this.settings.network);
  }

  async deploy(request: DeployRequest): Promise<FunctionStatus> {
    const info = await deployFunction(this.docker, this.settings, request);
    const labels = readLabels(info.Config.Labels);
    if (!labels) throw createError(ErrorCodes.DEPLOY_FAILED, `the container of "${request.config.metadata.name}" lost its labels`);
    return statusOf(labels, info);
  }

  async get(name: string): Promise<FunctionStatus | undefined> {
    assertFunctionName(name);
    const info = await inspectOrUndefined(this.docker, containerName(name));
    const labels = info && readLabels(info.Config.Labels);
    if (info && labels?.name === name) return statusOf(labels, info);
    if (info) return undefined;
    // Only a candidate: a first deploy is still waiting for its container to become ready.
    const candidate = await inspectOrUndefined(this.docker, candidateName(name));
    const candidateLabels = candidate && readLabels(candidate.Config.Labels);
    if (!candidate || candidateLabels?.name !== name) return undefined;
    const status = await statusOf(candidateLabels, candidate);
    return { ...status, state: 'deploying', message: 'a deploy is waiting for this container to become ready' };
  }

  async list(): Promise<FunctionStatus[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABELS.function] } });
    // Only the settled `nucleon-<name>` containers: `.next`/`.old` are mid-deploy.
    const names = containers.map((c) => c.Labels[LABELS.function]).filter((name): name is string => name !== undefined);
    // `get` picks the settled `nucleon-<name>` container, or a first deploy's candidate.
    const statuses = await Promise.all([...new Set(names)].sort().map((name) => this.get(name)));
    return statuses.filter((s): s is FunctionStatus => s !== undefined);
  }

  /** `docker stop` (SIGTERM, SIGKILL after `stopTimeoutSeconds`) and removal. */
  async delete(name: string): Promise<void> {
    assertFunctionName(name);
    const info = await inspectOrUndefined(this.docker, containerName(name));
    if (!info || readLabels(info.Config.Labels)?.name !== name) throw notFound(name);
    await withdrawAddress(name);
    await stopAndRemove(this.docker, info.Id, this.settings.stopTimeoutSeconds);
    // A mid-switch leftover of a dead CLI would otherwise keep running unseen.
    await removeQuietly(this.docker, retiringName(name));
  }

  async *logs(name: string, options: LogsOptions = {}): AsyncIterable<string> {
    assertFunctionName(name);
    const info = await inspectOrUndefined(this.docker, containerName(name));
    if (!info || readLabels(info.Config.Labels)?.name !== name) throw notFound(name);
    yield* streamLogLines(this.docker.getContainer(info.Id), options.follow ?? false, options.signal);
  }
}

/** The same code as the local platform's, so the CLI maps it to the same exit status. */
function notFound(name: string): Error {
  return createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the docker platform`);
}
