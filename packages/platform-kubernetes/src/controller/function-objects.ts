import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ConfigProblem, FunctionConfig } from '@nucleon/core';
import { desiredObjects, type DesiredObjects } from '../objects/desired-objects.js';
import { functionConfigOf } from '../objects/function-config.js';
import { functionStatus } from '../objects/function-state.js';
import { differs } from '../objects/object-diff.js';
import { choosePorts, portsInUse, type FunctionPorts } from '../objects/ports.js';
import type { NuclioFunctionResource, NuclioFunctionStatus } from '../objects/resource.js';

/**
 * The pure functions the reconciler decides with (`src/objects/`): what a function's
 * configuration is, which ports it gets, which objects it should have, whether an object
 * needs an update and what its status says. Injected, so the reconciler's tests use fakes.
 */
export interface FunctionObjects {
  configOf(resource: NuclioFunctionResource): { config?: FunctionConfig; problems: ConfigProblem[]; warnings: ConfigProblem[] };
  choosePorts(resource: NuclioFunctionResource, config: FunctionConfig, taken: ReadonlySet<number>): FunctionPorts;
  portsInUse(resources: readonly NuclioFunctionResource[], exceptUid?: string): Set<number>;
  desiredObjects(resource: NuclioFunctionResource, config: FunctionConfig, ports: FunctionPorts): DesiredObjects;
  differs(desired: unknown, actual: unknown): boolean;
  functionStatus(input: {
    resource: NuclioFunctionResource; config?: FunctionConfig; problems: ConfigProblem[];
    ports?: FunctionPorts; deployment?: V1Deployment; pods: V1Pod[];
  }): NuclioFunctionStatus;
}

/** The real ones. */
export const defaultFunctionObjects: FunctionObjects = {
  configOf: functionConfigOf,
  choosePorts,
  portsInUse,
  desiredObjects,
  differs,
  functionStatus,
};
