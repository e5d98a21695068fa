import { defineRuntime } from '@nucleon/core';
import { createWrapperRuntime } from '@nucleon/runtime-wrapper';
import { createPythonSpec } from './python-spec.js';

export { createPythonSpec, WRAPPER_DIR, WRAPPER_SCRIPT, DEFAULT_START_TIMEOUT_MS } from './python-spec.js';
export { findInterpreter, interpreterCandidates, probeVersion, MIN_PYTHON } from './python-interpreter.js';
export type { PythonInterpreter, ProbeResult } from './python-interpreter.js';

/** The Python runtime plugin (Nuclio runtimes `python`, `python:3.9` ... `python:3.12`). */
export default defineRuntime({
  name: '@nucleon/runtime-python',
  coreRange: '^0.1.0',
  create: (options) => createWrapperRuntime(createPythonSpec(), options),
});
