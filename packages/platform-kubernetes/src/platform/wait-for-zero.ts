import type { V1Pod } from '@kubernetes/client-node';
import { sleep } from '@nucleon/core';
import type { NuclioFunctionResource } from '../objects/resource.js';
import { isMarkedScaledToZero } from '../objects/scale-to-zero-mark.js';
import type { ClusterClient } from './cluster-client.js';
import { podSelector } from './function-resource.js';
import { summarizePod } from './pod-summary.js';
import { NO_CONTROLLER_AFTER_MS } from './wait-for-function.js';

/** How a wait for a marked function to reach zero ended. */
export type ZeroOutcome =
  | { kind: 'zero'; resource: NuclioFunctionResource }
  | { kind: 'timeout'; resource: NuclioFunctionResource; pods: V1Pod[] }
  | { kind: 'unmarked' }
  | { kind: 'gone' }
  | { kind: 'aborted' };

export interface ZeroWaitOptions {
  client: ClusterClient;
  namespace: string;
  name: string;
  timeoutMs: number;
  progress: (line: string) => void;
  signal?: AbortSignal;
  noControllerAfterMs?: number;
  intervalMs?: number;
}

/**
 * Polls the marked NuclioFunction and its pods until the controller reports `scaledToZero`
 * and no pod is left (a terminating pod still drains and holds the port), the mark is removed
 * (someone woke it), the resource goes, the signal aborts, or `timeoutMs` passes. Progress:
 * a line per change of the pods left, and once, when the state has not moved within
 * `noControllerAfterMs`, that the controller may not be running.
 */
export async function waitForZero(options: ZeroWaitOptions): Promise<ZeroOutcome> {
  const { client, namespace, name, progress, signal } = options;
  const intervalMs = options.intervalMs ?? 200;
  const started = Date.now();
  const until = started + options.timeoutMs;
  const warnAt = started + (options.noControllerAfterMs ?? NO_CONTROLLER_AFTER_MS);
  let warned = false;
  let lastLine = '';
  let firstState: string | undefined;
  for (;;) {
    if (signal?.aborted) return { kind: 'aborted' };
    const resource = await client.getFunction(namespace, name);
    if (!resource) return { kind: 'gone' };
    if (!isMarkedScaledToZero(resource)) return { kind: 'unmarked' };
    const pods = await client.listPods(namespace, podSelector(name));
    const state = resource.status?.state ?? 'none';
    firstState ??= state;
    if (state === 'scaledToZero' && pods.length === 0) return { kind: 'zero', resource };
    const line = `pods: ${pods.length} left${pods.length > 0 ? ` (${pods.map((p) => `${summarizePod(p).name} ${summarizePod(p).phase}`).join(', ')})` : ''}`;
    if (line !== lastLine) {
      lastLine = line;
      progress(line);
    }
    const now = Date.now();
    if (!warned && state === firstState && state !== 'waitingForScaleResourcesToZero' && now >= warnAt) {
      warned = true;
      progress(`the controller has not acted on the mark after ${Math.round((now - started) / 1000)} s (state ${state}): is it running? (\`nucleon kube install\`)`);
    }
    if (now >= until) return { kind: 'timeout', resource, pods };
    await sleep(Math.min(intervalMs, Math.max(0, until - now)), signal);
  }
}
