import type { V1Pod } from '@kubernetes/client-node';
import { sleep } from '@nucleon/core';
import type { NuclioFunctionResource } from '../objects/resource.js';
import type { ClusterClient } from './cluster-client.js';
import { podSelector } from './function-resource.js';
import { isPodReady, podsLine } from './pod-summary.js';

/** How a wait for a deployed function ended. */
export type WaitOutcome =
  | { kind: 'ready'; resource: NuclioFunctionResource; pods: V1Pod[] }
  | { kind: 'error'; resource: NuclioFunctionResource; pods: V1Pod[] }
  | { kind: 'timeout'; resource: NuclioFunctionResource | undefined; pods: V1Pod[]; statusSeen: boolean }
  | { kind: 'gone' }
  | { kind: 'aborted' };

export interface WaitOptions {
  client: ClusterClient;
  namespace: string;
  name: string;
  /** The `metadata.generation` the apply produced: an older status is about the old spec. */
  generation: number;
  timeoutMs: number;
  progress: (line: string) => void;
  signal?: AbortSignal;
  /** After this long with no status for this generation, say the controller may be missing. */
  noControllerAfterMs?: number;
  intervalMs?: number;
  /**
   * Ready only with a live pod that is ready: a wake from zero, where the generation does not
   * change, so a status written before the controller saw the wake could still say `ready`.
   */
  requireReadyPod?: boolean;
}

/** After this long with no status from the controller, the progress says it may not be running. */
export const NO_CONTROLLER_AFTER_MS = 10_000;

/**
 * Polls the NuclioFunction and its pods until the controller reports `ready` for `generation`
 * (`status.observedGeneration >= generation`), reports `error` for it, the resource goes, the
 * signal aborts, or `timeoutMs` passes. Progress: `waiting for the controller`, a line per
 * change of the pods (`pods: 0/1 ready (Pending: ...)`), and once, when no status came within
 * `noControllerAfterMs`, that the controller may not be running.
 */
export async function waitForFunction(options: WaitOptions): Promise<WaitOutcome> {
  const { client, namespace, name, generation, progress, signal } = options;
  // A GET of one object every 200 ms is cheap, and a deploy returns within 200 ms of ready.
  const intervalMs = options.intervalMs ?? 200;
  const started = Date.now();
  const until = started + options.timeoutMs;
  const warnAt = started + (options.noControllerAfterMs ?? NO_CONTROLLER_AFTER_MS);
  let warned = false;
  let statusSeen = false;
  let lastLine = '';
  let lastState = '';
  let resource: NuclioFunctionResource | undefined;
  let pods: V1Pod[] = [];
  progress('waiting for the controller');
  for (;;) {
    if (signal?.aborted) return { kind: 'aborted' };
    resource = await client.getFunction(namespace, name);
    if (!resource) return { kind: 'gone' };
    pods = await client.listPods(namespace, podSelector(name));
    const status = resource.status;
    const current = status !== undefined && (status.observedGeneration ?? -1) >= generation;
    if (current) {
      statusSeen = true;
      if (status.state !== lastState) {
        lastState = status.state;
        if (status.state !== 'ready') progress(`controller: ${status.state}${status.message ? ` (${status.message})` : ''}`);
      }
      if (status.state === 'ready' && rolledOut(resource, pods) && (!options.requireReadyPod || hasReadyPod(pods))) {
        return { kind: 'ready', resource, pods };
      }
      if (status.state === 'error') return { kind: 'error', resource, pods };
    }
    // A status at zero (0 replicas) says nothing about how many pods a wake is waiting for.
    const line = podsLine(pods, status?.replicas || replicasOf(resource));
    if ((pods.length > 0 || current) && line !== lastLine) {
      lastLine = line;
      progress(line);
    }
    const now = Date.now();
    if (!statusSeen && !warned && now >= warnAt) {
      warned = true;
      progress(`no status from the controller after ${Math.round((now - started) / 1000)} s: is it running? (\`nucleon kube install\`, or \`nucleon kube controller\` in another terminal)`);
    }
    if (now >= until) return { kind: 'timeout', resource, pods, statusSeen };
    await sleep(Math.min(intervalMs, Math.max(0, until - now)), signal);
  }
}

/**
 * The pods agree that the new spec runs: no live pod still runs another image, and one that
 * runs this one is ready. A check of our own next to the controller's `ready`, which a status
 * written from a stale view of the Deployment can give while the old pod still serves.
 */
export function rolledOut(resource: NuclioFunctionResource, pods: readonly V1Pod[]): boolean {
  const image = (resource.spec as { image?: unknown }).image;
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  if (typeof image !== 'string' || live.length === 0) return true;
  if (live.some((p) => p.spec?.containers?.[0]?.image !== image)) return false;
  return live.some(isPodReady);
}

function hasReadyPod(pods: readonly V1Pod[]): boolean {
  return pods.some((p) => !p.metadata?.deletionTimestamp && isPodReady(p));
}

function replicasOf(resource: NuclioFunctionResource): number | undefined {
  const { replicas, minReplicas } = resource.spec as { replicas?: unknown; minReplicas?: unknown };
  if (typeof replicas === 'number') return replicas;
  return typeof minReplicas === 'number' ? Math.max(minReplicas, 1) : 1;
}
