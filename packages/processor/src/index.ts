export { startProcessor } from './processor.js';
export type { ProcessorOptions, RunningProcessor } from './processor.js';
export { loadFunctionConfig, nameFromPath } from './config-loader.js';
export type { LoadConfigOptions } from './config-loader.js';
export { createLogger } from './logging.js';
export { BUILTIN_TRIGGERS, BUILTIN_RUNTIMES, triggerPackage, runtimePackage } from './plugin-names.js';
export { loadPlugin } from './plugin-loader.js';
export type { PluginRequest } from './plugin-loader.js';
