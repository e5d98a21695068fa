import { defineRuntime } from '@nucleon/core';
import { NodeRuntime } from './node-runtime.js';

export { NodeRuntime } from './node-runtime.js';
export { NodeWorker } from './node-worker.js';
export { loadHandlerModule, parseHandlerSpec, findHandlerFile } from './handler-module.js';
export type { HandlerModule, HandlerFunction, InitContextFunction } from './handler-module.js';

/** The Node.js runtime plugin (Nuclio runtime `nodejs`; also `node` and `typescript`). */
export default defineRuntime({
  name: '@nucleon/runtime-node',
  coreRange: '^0.1.0',
  create: (options) => new NodeRuntime(options),
});
