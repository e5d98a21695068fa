import { createError, ErrorCodes, findProcessorFailure, type DeployRequest, type NucleonError } from '@nucleon/core';
import type { NuclioFunctionResource } from '../objects/resource.js';
import { statusCodeOf, type ClusterClient } from './cluster-client.js';
import { isMarkedScaledToZero, SCALE_TO_ZERO_ANNOTATION } from '../objects/scale-to-zero-mark.js';
import { functionResource } from './function-resource.js';
import { replaceRetrying } from './replace-function.js';
import { failureLogTail } from './pod-logs.js';
import { podsLine } from './pod-summary.js';
import { rolledOut, waitForFunction, type WaitOutcome } from './wait-for-function.js';

/** Readiness wait when neither the request nor the configuration gives one (pods pull images). */
export const DEFAULT_READINESS_TIMEOUT_MS = 120_000;
/** How many log lines a failed deploy's message carries. */
const LOG_TAIL_LINES = 20;

export interface DeployTiming {
  noControllerAfterMs?: number;
  intervalMs?: number;
}

/**
 * Applies the function's NuclioFunction (create, or replace naming the current
 * resourceVersion) and waits until the controller reports it ready for the new generation.
 * The controller does the rest: ConfigMap, Deployment, Service; the Deployment's rolling
 * update keeps the old pods serving until new ones are ready. Fails on the controller's
 * `error` or at the readiness timeout with the status message and a pod's last log lines
 * (the resource stays, as Nuclio leaves a failed function, so `get` shows why). An aborted
 * `request.signal` deletes a new function and puts an updated one back to its previous spec.
 */
export async function deployFunction(client: ClusterClient, namespace: string, request: DeployRequest, timing: DeployTiming = {}): Promise<NuclioFunctionResource> {
  const { config, signal } = request;
  const name = config.metadata.name;
  const image = config.spec.image;
  if (!image) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `function "${name}" has no spec.image: the kube platform runs images from a registry the cluster pulls from; ` +
      '`nucleon deploy --platform kube` builds and pushes one (or pass --image)',
      { details: { problems: [{ path: 'spec.image', message: 'required by the kube platform' }] } });
  }
  const progress = request.onProgress ?? (() => undefined);
  const timeoutMs = request.readinessTimeoutMs ?? (config.spec.readinessTimeoutSeconds * 1000 || DEFAULT_READINESS_TIMEOUT_MS);
  if (signal?.aborted) throw interrupted(name, namespace, 'before it applied anything');

  const previous = await client.getFunction(namespace, name);
  const applied = previous
    ? await replaceRetrying(client, namespace, name, (current) => functionResource(config, namespace, current))
    : await client.createFunction(functionResource(config, namespace));
  progress(`applied NuclioFunction ${namespace}/${name} (${previous ? 'updated' : 'created'}, generation ${applied.metadata.generation ?? '?'})`);
  // The applied resource never carries the mark: a deploy runs the function, so an error in
  // the new version shows now, not at the next wake; the scaler idles it again.
  if (previous && isMarkedScaledToZero(previous)) progress(`it was scaled to zero (${SCALE_TO_ZERO_ANNOTATION}): deploying wakes it`);

  const outcome = await waitForFunction({
    client, namespace, name, generation: applied.metadata.generation ?? 1, timeoutMs, progress, ...(signal ? { signal } : {}), ...timing,
  });
  if (outcome.kind === 'ready') {
    progress('ready');
    return outcome.resource;
  }
  if (outcome.kind === 'aborted') {
    throw await undo(client, namespace, name, previous, progress);
  }
  throw await failure(client, namespace, name, image, timeoutMs, outcome);
}

/** Undoes an aborted attempt: a new function is deleted, an updated one gets its previous spec back. */
async function undo(client: ClusterClient, namespace: string, name: string, previous: NuclioFunctionResource | undefined, progress: (line: string) => void): Promise<NucleonError> {
  try {
    if (!previous) {
      progress(`interrupted: deleting the new NuclioFunction ${namespace}/${name}`);
      await client.deleteFunction(namespace, name).catch((err: unknown) => {
        if (statusCodeOf(err) !== 404) throw err;
      });
      return interrupted(name, namespace, 'while waiting for it to be ready; the new function was deleted');
    }
    progress(`interrupted: putting back the previous spec of ${namespace}/${name}`);
    await replaceRetrying(client, namespace, name, (current) => ({
      ...current,
      metadata: { ...current.metadata, labels: previous.metadata.labels, annotations: previous.metadata.annotations },
      spec: previous.spec,
    }));
    return interrupted(name, namespace, 'while waiting for it to be ready; the previous spec was put back (its pods keep serving)', 'rolled-back');
  } catch (err) {
    return createError(ErrorCodes.DEPLOY_INTERRUPTED,
      `deploying function "${name}" to ${namespace} was interrupted, and undoing it failed: ${(err as Error).message}; check with \`nucleon get ${name} --platform kube -n ${namespace}\``,
      { cause: err, details: { previous: 'unknown' } });
  }
}

/** The error of a wait for ready that did not end ready: why, in the controller's and the pods' words, with a pod's last log lines. */
export async function failure(
  client: ClusterClient, namespace: string, name: string, image: string, timeoutMs: number, outcome: Exclude<WaitOutcome, { kind: 'ready' | 'aborted' }>,
  doing = 'deploying',
): Promise<NucleonError> {
  if (outcome.kind === 'gone') {
    return createError(ErrorCodes.DEPLOY_FAILED, `the NuclioFunction ${namespace}/${name} was deleted while waiting for it to be ready`);
  }
  const tail = await failureLogTail(client, namespace, outcome.pods, LOG_TAIL_LINES);
  const processorFailure = findProcessorFailure(tail.lines);
  const status = outcome.resource?.status;
  let why: string;
  if (outcome.kind === 'timeout' && !outcome.statusSeen) {
    why = `no status from the controller within ${timeoutMs / 1000} s: is the controller installed? \`nucleon kube install\` ` +
      '(or run one in the foreground: `nucleon kube controller`)';
  } else if (outcome.kind === 'timeout') {
    const stale = status?.state === 'ready' && outcome.resource && !rolledOut(outcome.resource, outcome.pods)
      ? ', but pods of the previous image still run' : '';
    why = `not ready within ${timeoutMs / 1000} s (state ${status?.state ?? 'unknown'}${status?.message ? `: ${status.message}` : ''}${stale}; ` +
      `${podsLine(outcome.pods, status?.replicas)})`;
  } else {
    why = `the controller reports an error: ${status?.message ?? 'no message'}`;
  }
  const headline = processorFailure ? `${processorFailure.message} (${why})` : why;
  return createError(processorFailure?.code ?? ErrorCodes.DEPLOY_FAILED,
    `${doing} function "${name}" ${doing === 'deploying' ? 'to' : 'in'} ${namespace} on the kube platform failed: ${headline} (image ${image}; the NuclioFunction stays: ` +
    `\`nucleon get ${name} --platform kube -n ${namespace}\`, \`nucleon delete ...\`)` +
    (tail.lines.length > 0 ? `\nlast lines of pod ${tail.pod}:\n${tail.lines.join('\n')}` : ''),
    { details: { namespace, image, outcome: outcome.kind, ...(status ? { status } : {}), logTail: tail.lines.join('\n') } });
}

function interrupted(name: string, namespace: string, what: string, previous = 'none'): NucleonError {
  return createError(ErrorCodes.DEPLOY_INTERRUPTED, `deploying function "${name}" to ${namespace} on the kube platform was interrupted ${what}`,
    { details: { previous } });
}
