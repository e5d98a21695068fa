import { scaleToZeroPolicy, type FunctionConfig } from '@nucleon/core';
import type { NuclioFunctionResource } from './resource.js';

/**
 * The mark the scaler (and `nucleon scale NAME --replicas 0`) puts on a NuclioFunction to take
 * it to zero: an annotation, never a change of the user's `spec`, so `get -o yaml` and `export`
 * still show the configuration the user wrote. Removed to wake the function.
 */
export const SCALE_TO_ZERO_ANNOTATION = 'nucleon.io/scale-to-zero';
/** The annotation's value while the function is marked. */
export const SCALE_TO_ZERO_MARKED = 'true';

/** True when the resource carries the scaled-to-zero mark (whatever its configuration says). */
export function isMarkedScaledToZero(resource: Pick<NuclioFunctionResource, 'metadata'>): boolean {
  return resource.metadata.annotations?.[SCALE_TO_ZERO_ANNOTATION] === SCALE_TO_ZERO_MARKED;
}

/**
 * True when the function runs no pod because it is marked and may scale to zero
 * (`spec.minReplicas: 0`). A mark on a function that may not is ignored: the function keeps
 * its pods, and the status says why (see {@link ignoredMarkMessage}).
 */
export function isScaledToZero(resource: Pick<NuclioFunctionResource, 'metadata'>, config: FunctionConfig): boolean {
  return isMarkedScaledToZero(resource) && scaleToZeroPolicy(config) !== undefined;
}

/** What the status says about a mark the controller ignores, or undefined when there is none to ignore. */
export function ignoredMarkMessage(resource: Pick<NuclioFunctionResource, 'metadata'>, config: FunctionConfig): string | undefined {
  if (!isMarkedScaledToZero(resource) || scaleToZeroPolicy(config) !== undefined) return undefined;
  return `ignoring the ${SCALE_TO_ZERO_ANNOTATION} annotation: the function does not scale to zero (spec.minReplicas is ${config.spec.minReplicas ?? 'unset'}, not 0)`;
}

/** The resource's annotations without the mark (what a deploy or an export carries). */
export function withoutMark(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const rest = { ...annotations };
  delete rest[SCALE_TO_ZERO_ANNOTATION];
  return rest;
}
