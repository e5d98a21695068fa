import type { Context, Runtime, RuntimeCreateOptions, RuntimeWorker } from '@nucleon/core';
import { functionEnv } from './event-env.js';
import { resolveHandlerCommand } from './handler-command.js';
import { readShellOptions } from './shell-options.js';
import { ShellWorker, type ShellWorkerSetup } from './shell-worker.js';

/**
 * Nuclio's shell runtime, in the processor: every event forks the handler (a script or any
 * executable), writes the body to its stdin and answers with its stdout. There is nothing
 * to keep warm between events, so a worker is only a slot for one child process at a time.
 */
export class ShellRuntime implements Runtime {
  private setup: ShellWorkerSetup | undefined;
  private readonly workers = new Set<ShellWorker>();

  constructor(private readonly options: RuntimeCreateOptions) {}

  async start(): Promise<void> {
    const { function: config, functionDir, logger } = this.options;
    const shellOptions = readShellOptions(config);
    const env = functionEnv(config);
    const command = resolveHandlerCommand(functionDir, config.spec.handler, env.PATH);
    this.setup = { command, options: shellOptions, env, cwd: functionDir };
    logger.debugWith('shell handler resolved', {
      handler: command.handlerPath, via: command.via, command: [command.file, ...command.leadingArgs],
      arguments: shellOptions.arguments, allowArgumentsHeader: shellOptions.allowArgumentsHeader,
    });
  }

  async createWorker(_context: Context): Promise<RuntimeWorker> {
    if (!this.setup) throw new Error('ShellRuntime.createWorker called before start()');
    const worker: ShellWorker = new ShellWorker(this.setup, () => this.workers.delete(worker));
    this.workers.add(worker);
    return worker;
  }

  /** Kills whatever still runs (stop comes after the pools drained, so only hung handlers). */
  async stop(): Promise<void> {
    const workers = [...this.workers];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.close()));
    this.setup = undefined;
  }
}
