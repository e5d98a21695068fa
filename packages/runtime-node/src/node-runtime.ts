import { createError, ErrorCodes, isNucleonError, type Context, type Runtime, type RuntimeCreateOptions, type RuntimeWorker } from '@nucleon/core';
import { loadHandlerModule, type HandlerModule } from './handler-module.js';
import { NodeWorker } from './node-worker.js';

/** Runs JavaScript/TypeScript handlers inside the processor: one import, one context per worker. */
export class NodeRuntime implements Runtime {
  private module: HandlerModule | undefined;

  constructor(private readonly options: RuntimeCreateOptions) {}

  async start(): Promise<void> {
    this.module = await loadHandlerModule(this.options.functionDir, this.options.function.spec.handler);
    this.options.logger.debugWith('handler loaded', { file: this.module.file, initContext: this.module.initContext !== undefined });
  }

  async createWorker(context: Context): Promise<RuntimeWorker> {
    const module = this.module;
    if (!module) throw new Error('NodeRuntime.createWorker called before start()');
    const worker = new NodeWorker(module.handler, context);
    if (module.initContext) {
      try {
        await module.initContext(context);
      } catch (cause) {
        if (isNucleonError(cause)) throw cause;
        throw createError(ErrorCodes.INIT_CONTEXT_FAILED,
          `initContext in ${module.file} failed for worker ${context.workerId}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      }
    }
    return worker;
  }

  async stop(): Promise<void> {
    this.module = undefined;
  }
}
