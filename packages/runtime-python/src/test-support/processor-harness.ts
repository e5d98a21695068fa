// Test support for the integration tests: the real processor binary (from
// @nucleon/processor/testing), started on free loopback ports, with Python function.yaml files.
import { runtimeFunctionYaml } from '@nucleon/processor/testing';

export { functionDir, startProcessor, until } from '@nucleon/processor/testing';
export type { StartedProcessor as RunningProcessor } from '@nucleon/processor/testing';

/** A function.yaml for a Python handler with one HTTP trigger; `extra` lines go under `spec:`. */
export function pythonYaml(options: { runtime?: string; handler?: string; eventTimeout?: string; numWorkers?: number; extra?: string[] } = {}): string {
  return runtimeFunctionYaml({
    runtime: options.runtime ?? 'python:3.11',
    name: 'py-fn',
    handler: options.handler ?? 'main:handler',
    eventTimeout: options.eventTimeout,
    extra: options.extra,
    numWorkers: options.numWorkers ?? 1,
  });
}
