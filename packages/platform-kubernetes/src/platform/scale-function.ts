import type { V1Pod } from '@kubernetes/client-node';
import { createError, ErrorCodes, scaleToZeroPolicy, type FunctionConfig, type NucleonError, type ScaleOptions } from '@nucleon/core';
import { terminationGracePeriodSeconds } from '../objects/processor-timing.js';
import type { NuclioFunctionResource } from '../objects/resource.js';
import { isMarkedScaledToZero, SCALE_TO_ZERO_ANNOTATION, SCALE_TO_ZERO_MARKED, withoutMark } from '../objects/scale-to-zero-mark.js';
import type { ClusterClient } from './cluster-client.js';
import { DEFAULT_READINESS_TIMEOUT_MS, failure, type DeployTiming } from './deploy.js';
import { configOfResource } from './function-resource.js';
import { replaceRetrying } from './replace-function.js';
import { waitForFunction } from './wait-for-function.js';
import { waitForZero } from './wait-for-zero.js';

/** Past the pod's grace period, how long scaling to zero waits for the last pod to go. */
const ZERO_SLACK_MS = 30_000;

/** What a scale ended with: the resource and its pods, for `functionStatusOf`. */
export interface ScaleResult {
  resource: NuclioFunctionResource;
  pods: V1Pod[];
}

/**
 * `Platform.scale` on Kubernetes. 0 puts the scaled-to-zero mark on the NuclioFunction (only
 * for a function with `spec.minReplicas: 0`) and resolves once the controller reports
 * `scaledToZero` and no pod is left; 1 removes the mark and resolves once the function is
 * ready again (its normal replicas and HPA). Other counts are refused: the Deployment's count
 * is the spec's (`replicas`, `minReplicas`/`maxReplicas`) and the HPA's, not ours to set.
 * `resource` is the NuclioFunction as read (undefined: not found, for the caller to say).
 */
export async function scaleFunction(
  client: ClusterClient, resource: NuclioFunctionResource, replicas: number, options: ScaleOptions = {}, timing: DeployTiming = {},
): Promise<ScaleResult> {
  const namespace = resource.metadata.namespace ?? '';
  const name = resource.metadata.name ?? '';
  const progress = options.onProgress ?? (() => undefined);
  if (replicas !== 0 && replicas !== 1) throw refused(name, namespace, replicas, countMessage(replicas));
  const config = configOfResource(resource);
  if (!config) {
    throw refused(name, namespace, replicas, 'its spec is not a valid function configuration (`nucleon get` shows the problems)');
  }
  return replicas === 0
    ? toZero(client, resource, config, options, timing, progress)
    : wake(client, resource, config, options, timing, progress);
}

async function toZero(
  client: ClusterClient, resource: NuclioFunctionResource, config: FunctionConfig, options: ScaleOptions, timing: DeployTiming, progress: (line: string) => void,
): Promise<ScaleResult> {
  const namespace = resource.metadata.namespace ?? '';
  const name = resource.metadata.name ?? '';
  if (scaleToZeroPolicy(config) === undefined) {
    throw refused(name, namespace, 0,
      `it does not scale to zero: only a function with spec.minReplicas: 0 may (its spec.minReplicas is ${config.spec.minReplicas ?? 'unset'})`);
  }
  if (!isMarkedScaledToZero(resource)) {
    await replaceRetrying(client, namespace, name, (current) => ({
      ...current,
      metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, [SCALE_TO_ZERO_ANNOTATION]: SCALE_TO_ZERO_MARKED } },
    }), 'being scaled to zero');
    progress(`marked NuclioFunction ${namespace}/${name} scaled to zero (${SCALE_TO_ZERO_ANNOTATION}: "true")`);
  }
  const timeoutMs = options.readinessTimeoutMs ?? terminationGracePeriodSeconds(config) * 1000 + ZERO_SLACK_MS;
  const outcome = await waitForZero({ client, namespace, name, timeoutMs, progress, ...(options.signal ? { signal: options.signal } : {}), ...timing });
  if (outcome.kind === 'zero') {
    progress('scaled to zero');
    return { resource: outcome.resource, pods: [] };
  }
  throw zeroFailure(name, namespace, timeoutMs, outcome);
}

async function wake(
  client: ClusterClient, resource: NuclioFunctionResource, config: FunctionConfig, options: ScaleOptions, timing: DeployTiming, progress: (line: string) => void,
): Promise<ScaleResult> {
  const namespace = resource.metadata.namespace ?? '';
  const name = resource.metadata.name ?? '';
  let current = resource;
  if (isMarkedScaledToZero(resource)) {
    current = await replaceRetrying(client, namespace, name, (latest) => ({
      ...latest, metadata: { ...latest.metadata, annotations: withoutMark(latest.metadata.annotations) },
    }), 'being woken');
    progress(`removed the scaled-to-zero mark from NuclioFunction ${namespace}/${name}`);
  }
  const timeoutMs = options.readinessTimeoutMs ?? (config.spec.readinessTimeoutSeconds * 1000 || DEFAULT_READINESS_TIMEOUT_MS);
  // Removing an annotation leaves the generation as it was: only a ready pod tells a status
  // written after the wake from one written before it.
  const outcome = await waitForFunction({
    client, namespace, name, generation: current.metadata.generation ?? 1, timeoutMs, progress, requireReadyPod: true,
    ...(options.signal ? { signal: options.signal } : {}), ...timing,
  });
  if (outcome.kind === 'ready') {
    progress('ready');
    return { resource: outcome.resource, pods: outcome.pods };
  }
  if (outcome.kind === 'aborted') {
    throw createError(ErrorCodes.DEPLOY_INTERRUPTED,
      `stopped waiting for function "${name}" in ${namespace} to wake; it is not marked scaled to zero any more and keeps starting`,
      { details: { namespace } });
  }
  throw await failure(client, namespace, name, config.spec.image ?? '', timeoutMs, outcome, 'waking');
}

function zeroFailure(name: string, namespace: string, timeoutMs: number, outcome: Exclude<Awaited<ReturnType<typeof waitForZero>>, { kind: 'zero' }>): NucleonError {
  const where = `function "${name}" in ${namespace}`;
  switch (outcome.kind) {
    case 'gone':
      return createError(ErrorCodes.DEPLOY_FAILED, `the NuclioFunction ${namespace}/${name} was deleted while being scaled to zero`);
    case 'unmarked':
      return createError(ErrorCodes.DEPLOY_FAILED, `scaling ${where} to zero was overtaken: its ${SCALE_TO_ZERO_ANNOTATION} mark was removed meanwhile (woken or redeployed)`);
    case 'aborted':
      return createError(ErrorCodes.DEPLOY_INTERRUPTED, `stopped waiting for ${where} to reach zero; it stays marked and its pods keep stopping`, { details: { namespace } });
    case 'timeout':
      return createError(ErrorCodes.DEPLOY_FAILED,
        `scaling ${where} to zero did not finish within ${timeoutMs / 1000} s (state ${outcome.resource.status?.state ?? 'unknown'}` +
        `${outcome.resource.status?.message ? `: ${outcome.resource.status.message}` : ''}; ${outcome.pods.length} pod(s) left); ` +
        'is the controller running? (`nucleon kube install`)',
        { details: { namespace, ...(outcome.resource.status ? { status: outcome.resource.status } : {}) } });
  }
}

function countMessage(replicas: number): string {
  if (!Number.isInteger(replicas) || replicas < 0) return `${replicas} is not a replica count`;
  return 'the kube platform takes a function\'s replica count from its spec (spec.replicas, or spec.minReplicas/maxReplicas and the ' +
    'HorizontalPodAutoscaler they make): deploy it with the count you want; `scale` sets 0 (scale to zero) or 1 (wake to that count)';
}

function refused(name: string, namespace: string, replicas: number, why: string): NucleonError {
  return createError(ErrorCodes.SCALE_REFUSED, `cannot scale function "${name}" in ${namespace} to ${replicas}: ${why}`,
    { details: { namespace, replicas } });
}
