/**
 * Test support for plugin authors: start the real processor binary on free loopback ports
 * with a function directory, and talk to it as a platform would.
 */
export { PROCESSOR_MAIN, freePort, functionDir, functionYaml, startProcessor } from './processor-process.js';
export type { StartedProcessor, StartProcessorOptions } from './processor-process.js';
export { fileLines, until } from './wait.js';
export { listeningAddresses } from './listening-sockets.js';
export { createRuntimeTestRoot, runtimeFunctionYaml } from './runtime-root.js';
export type { CreateRuntimeTestRootOptions, RuntimeFunctionYamlOptions, RuntimeTestRoot } from './runtime-root.js';
export { startExpectingFailure, triggerYaml } from './failed-start.js';
export type { FailedStart, StartExpectingFailureOptions } from './failed-start.js';
