import type { DeployRequest, FunctionStatus, LogsOptions, Platform } from '../plugin.js';
import { createError, ErrorCodes } from '../errors.js';

/** A Platform that only keeps records, for testing CLI and tooling logic. */
export class InMemoryPlatform implements Platform {
  readonly functions = new Map<string, FunctionStatus>();
  readonly logLines = new Map<string, string[]>();

  async deploy(request: DeployRequest): Promise<FunctionStatus> {
    const status: FunctionStatus = {
      name: request.config.metadata.name, platform: 'memory', state: 'ready',
      runtime: request.config.spec.runtime, handler: request.config.spec.handler,
      createdAt: new Date().toISOString(),
    };
    this.functions.set(status.name, status);
    return status;
  }

  async get(name: string): Promise<FunctionStatus | undefined> {
    return this.functions.get(name);
  }

  async list(): Promise<FunctionStatus[]> {
    return [...this.functions.values()];
  }

  async delete(name: string): Promise<void> {
    if (!this.functions.delete(name)) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function ${name} not found`);
  }

  async *logs(name: string, _options?: LogsOptions): AsyncIterable<string> {
    if (!this.functions.has(name)) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function ${name} not found`);
    yield* this.logLines.get(name) ?? [];
  }
}
