import {
  assertFunctionName, createError, ErrorCodes, type ConfigProblem, type DeployRequest, type FunctionConfig, type FunctionStatus, type LogsOptions, type Platform,
  type ScaleOptions,
} from '@nucleon/core';
import { candidateName, containerName, retiringName, zeroName } from './container-names.js';
import { streamLogLines } from './container-logs.js';
import { deployFunction } from './deploy.js';
import { inspectOrUndefined, removeQuietly, stopAndRemove, type DockerClient } from './docker-client.js';
import { withdrawAddress } from './function-addresses.js';
import { findFunctionContainer, type FunctionContainer } from './function-container.js';
import { functionStatus, statusOf } from './function-status.js';
import { LABELS, readLabels } from './labels.js';
import { checkReplicas, scaleToZero, wake } from './scale.js';
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
    const found = await findFunctionContainer(this.docker, name);
    if (found) return functionStatus(found);
    // A `nucleon-<name>` that is someone else's hides the function, as it blocks its deploy.
    if (await inspectOrUndefined(this.docker, containerName(name))) return undefined;
    // Only a candidate: a first deploy is still waiting for its container to become ready.
    const candidate = await inspectOrUndefined(this.docker, candidateName(name));
    const candidateLabels = candidate && readLabels(candidate.Config.Labels);
    if (!candidate || candidateLabels?.name !== name) return undefined;
    const status = await statusOf(candidateLabels, candidate);
    return { ...status, state: 'deploying', message: 'a deploy is waiting for this container to become ready' };
  }

  /** The configuration the function's container was created with (its `io.nucleon.config` label), for `get -o yaml`, `export` and the scaler. */
  async getConfig(name: string): Promise<FunctionConfig | undefined> {
    assertFunctionName(name);
    const found = await findFunctionContainer(this.docker, name);
    return found?.labels.config;
  }

  async list(): Promise<FunctionStatus[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: [LABELS.function] } });
    // One status per function: `.next`/`.old` are mid-deploy, `.zero` stands for the function.
    const names = containers.map((c) => c.Labels[LABELS.function]).filter((name): name is string => name !== undefined);
    // `get` picks the settled `nucleon-<name>` container, or a first deploy's candidate.
    const statuses = await Promise.all([...new Set(names)].sort().map((name) => this.get(name)));
    return statuses.filter((s): s is FunctionStatus => s !== undefined);
  }

  /** `docker stop` (SIGTERM, SIGKILL after `stopTimeoutSeconds`) and removal; at zero, only the removal. */
  async delete(name: string): Promise<void> {
    const { info } = await this.find(name);
    await withdrawAddress(name);
    await stopAndRemove(this.docker, info.Id, this.settings.stopTimeoutSeconds);
    // A mid-switch leftover of a dead CLI would otherwise keep running unseen.
    await removeQuietly(this.docker, retiringName(name));
    await removeQuietly(this.docker, zeroName(name));
  }

  /**
   * 0 stops the container and keeps it (`scaledToZero`); 1 starts it and resolves once `/ready`
   * answers. One container per function: more is refused. See scale.ts for the marker.
   */
  async scale(name: string, replicas: number, options: ScaleOptions = {}): Promise<FunctionStatus> {
    checkReplicas(name, replicas);
    const found = await this.find(name);
    const running = found.info.State.Running || found.info.State.Restarting;
    if (replicas === 0 && !(found.role === 'zero' && !running)) {
      await scaleToZero(this.docker, this.settings, found, options.onProgress ?? (() => undefined));
    } else if (replicas === 1 && !(found.role === 'serving' && running)) {
      await wake(this.docker, this.settings, found, options);
    }
    const status = await this.get(name);
    if (!status) throw notFound(name);
    return status;
  }

  /** Logs of the function's container, up or scaled to zero (then those of its last run and before). */
  async *logs(name: string, options: LogsOptions = {}): AsyncIterable<string> {
    const { info } = await this.find(name);
    yield* streamLogLines(this.docker.getContainer(info.Id), options.follow ?? false, options.signal);
  }

  private async find(name: string): Promise<FunctionContainer> {
    assertFunctionName(name);
    const found = await findFunctionContainer(this.docker, name);
    if (!found) throw notFound(name);
    return found;
  }
}

/** The same code as the local platform's, so the CLI maps it to the same exit status. */
function notFound(name: string): Error {
  return createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the docker platform`);
}
