import { defineRuntime } from '@nucleon/core';
import { ShellRuntime } from './shell-runtime.js';

export { ShellRuntime } from './shell-runtime.js';
export { ShellWorker } from './shell-worker.js';
export type { ShellWorkerSetup } from './shell-worker.js';
export { resolveHandlerCommand, handlerName, parseShebang } from './handler-command.js';
export type { HandlerCommand } from './handler-command.js';
export { readShellOptions, splitArguments, ARGUMENTS_ENV, DEFAULT_CONTENT_TYPE } from './shell-options.js';
export type { ShellOptions } from './shell-options.js';
export { eventEnv, functionEnv, envName } from './event-env.js';

/** The shell runtime plugin (Nuclio runtime `shell`): one process per event, body on stdin, stdout back. */
export default defineRuntime({
  name: '@nucleon/runtime-shell',
  coreRange: '^0.1.0',
  create: (options) => new ShellRuntime(options),
});
