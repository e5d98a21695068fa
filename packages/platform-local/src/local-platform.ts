import {
  assertFunctionName, createError, ErrorCodes, type ConfigProblem, type DeployRequest, type FunctionConfig, type FunctionStatus, type LogsOptions, type Platform, type ScaleOptions,
} from '@nucleon/core';
import { deployFunction, stopOrphan } from './deploy.js';
import { withdrawAddress } from './function-addresses.js';
import { statusOf } from './function-status.js';
import { isOurs } from './liveness.js';
import { readLogLines } from './log-file.js';
import { scaleFunction } from './scale.js';
import { readStoredConfig } from './stored-config.js';
import { withNameLock } from './name-lock.js';
import type { ResolvedSettings } from './settings.js';
import { StateStore } from './state-store.js';
import { stopProcessor } from './stop-process.js';
import { localUnappliedFields } from './unapplied-fields.js';

/**
 * Runs each function as a local processor process under a detached supervisor that restarts it. It keeps no state in memory:
 * every call reads `<stateDir>/functions/<name>/status.json`, so a restarted CLI sees the
 * functions an earlier one deployed.
 */
export class LocalPlatform implements Platform {
  private readonly store: StateStore;

  constructor(readonly settings: ResolvedSettings) {
    this.store = new StateStore(settings.stateDir);
  }

  unappliedFields(config: FunctionConfig): ConfigProblem[] {
    return localUnappliedFields(config);
  }

  async deploy(request: DeployRequest): Promise<FunctionStatus> {
    const record = await deployFunction(this.store, this.settings, request);
    return statusOf(record, this.store.logFile(record.name));
  }

  async get(name: string): Promise<FunctionStatus | undefined> {
    assertFunctionName(name);
    const record = await this.store.read(name);
    return record && statusOf(record, this.store.logFile(name));
  }

  /** The configuration in `function.json`, for `get -o yaml` and `export`. */
  getConfig(name: string): ReturnType<typeof readStoredConfig> {
    assertFunctionName(name);
    return readStoredConfig(this.store, name);
  }

  async list(): Promise<FunctionStatus[]> {
    const statuses = await Promise.all((await this.store.names()).map((name) => this.get(name)));
    return statuses.filter((s): s is FunctionStatus => s !== undefined);
  }

  /** 0: the processor stops, the function stays (`scaledToZero`); 1: it starts again and is ready. */
  async scale(name: string, replicas: number, options?: ScaleOptions): Promise<FunctionStatus> {
    assertFunctionName(name);
    const record = await scaleFunction(this.store, this.settings, name, replicas, options);
    return statusOf(record, this.store.logFile(name));
  }

  /** SIGTERM, up to 10 s to drain, then SIGKILL; then the function's state folder goes. */
  async delete(name: string): Promise<void> {
    assertFunctionName(name);
    await withNameLock(this.store.stateDir, name, async () => {
      const record = await this.store.read(name);
      if (!record) throw notFound(name);
      await stopOrphan(this.store, name);
      await withdrawAddress(this.store.stateDir, name);
      const gone = await stopProcessor(record, this.store.dir(name));
      if (!gone) {
        throw createError(ErrorCodes.PLUGIN_FAILED, `could not stop the processor of "${name}" (pid ${record.pid})`);
      }
      await this.store.remove(name);
    });
  }

  async *logs(name: string, options: LogsOptions = {}): AsyncIterable<string> {
    assertFunctionName(name);
    const record = await this.store.read(name);
    if (!record) throw notFound(name);
    yield* readLogLines(this.store.logFile(name), {
      follow: options.follow,
      signal: options.signal,
      // Re-read each time: a redeploy swaps the processor, a delete removes the record.
      writerAlive: async () => {
        const current = await this.store.read(name);
        return current !== undefined && isOurs(current, this.store.dir(name));
      },
    });
  }
}

function notFound(name: string): Error {
  return createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the local platform`);
}
