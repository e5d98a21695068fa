import type { V1Pod } from '@kubernetes/client-node';
import type { FunctionStatus } from '@nucleon/core';
import type { NuclioFunctionResource, NuclioFunctionStatus } from '../objects/resource.js';
import { isMarkedScaledToZero } from '../objects/scale-to-zero-mark.js';
import { podRestarts, summarizePod } from './pod-summary.js';

/** The platform name reported in every status. */
export const PLATFORM_NAME = 'kube';

const STATE: Readonly<Record<NuclioFunctionStatus['state'], FunctionStatus['state']>> = {
  ready: 'ready',
  building: 'deploying',
  error: 'error',
  unhealthy: 'error',
  // Marked by the scaler: woken on the next event (a `replicas: 0` function is only stopped, below).
  scaledToZero: 'scaledToZero',
  // Still draining its last pods: on its way to zero, not there yet.
  waitingForScaleResourcesToZero: 'deploying',
};

/** Where a function's processor listens on the node (host network, loopback only). */
export const FUNCTION_HOST = '127.0.0.1';

/** True when the controller has written a status for the resource's current spec. */
export function statusIsCurrent(resource: NuclioFunctionResource): boolean {
  const observed = resource.status?.observedGeneration;
  return resource.status !== undefined && (observed === undefined || observed >= (resource.metadata.generation ?? 0));
}

/**
 * A core FunctionStatus from the NuclioFunction and its pods: the controller's state (a
 * status older than the spec reads as deploying), the URL on the node's host network
 * (`http://127.0.0.1:<status.httpPort>`), restarts summed over the pods' containers, and
 * what Kubernetes says about pods that are not ready (the scheduler's reason for a Pending one).
 */
export function functionStatusOf(resource: NuclioFunctionResource, pods: readonly V1Pod[]): FunctionStatus {
  const status = resource.status;
  const spec = resource.spec as { runtime?: unknown; handler?: unknown; image?: unknown };
  const summaries = pods.map(summarizePod);
  let state: FunctionStatus['state'] = status ? STATE[status.state] ?? 'deploying' : 'deploying';
  let message = status?.message;
  if (state === 'scaledToZero' && !isMarkedScaledToZero(resource)) {
    // No mark: a `replicas: 0` function is stopped; any other was just woken and the controller has not caught up.
    if ((resource.spec as { replicas?: unknown }).replicas === 0) {
      state = 'stopped';
    } else {
      state = 'deploying';
      message = 'waking from zero: waiting for the controller';
    }
  }
  if (resource.metadata.deletionTimestamp) {
    state = 'stopped';
    message = 'being deleted (Kubernetes is removing what it owns first)';
  } else if (!status) {
    message = 'no status yet: waiting for the controller (is it installed? `nucleon kube install`)';
  } else if (!statusIsCurrent(resource)) {
    state = 'deploying';
    message = `the controller has not yet seen generation ${resource.metadata.generation ?? '?'} of the spec`;
  }
  if (state !== 'ready') {
    // The scheduler's or kubelet's words say more than any state: "0/1 nodes are available: ...".
    const stuck = summaries.find((p) => !p.ready && p.reason);
    if (stuck?.reason && !message?.includes(stuck.reason)) {
      message = `${message ? `${message}; ` : ''}pod ${stuck.name} ${stuck.phase}: ${stuck.reason}`;
    }
  }
  const result: FunctionStatus = {
    name: resource.metadata.name ?? '',
    platform: PLATFORM_NAME,
    state,
    runtime: typeof spec.runtime === 'string' ? spec.runtime : '',
    handler: typeof spec.handler === 'string' ? spec.handler : '',
    createdAt: toIso(resource.metadata.creationTimestamp),
    restarts: pods.reduce((sum, pod) => sum + podRestarts(pod), 0),
    details: {
      namespace: resource.metadata.namespace,
      ...(typeof spec.image === 'string' ? { image: spec.image } : {}),
      replicas: status?.replicas ?? 0,
      readyReplicas: status?.readyReplicas ?? 0,
      // The processor's admin server (/metrics, /ready), reachable from the node: what the scaler reads.
      ...(status?.adminPort !== undefined ? { adminHost: FUNCTION_HOST, adminPort: status.adminPort, adminUrl: `http://${FUNCTION_HOST}:${status.adminPort}` } : {}),
      scaledToZeroMark: isMarkedScaledToZero(resource),
      ...(status?.internalInvocationUrls?.length ? { internalInvocationUrls: status.internalInvocationUrls } : {}),
      ...(status?.externalInvocationUrls?.length ? { externalInvocationUrls: status.externalInvocationUrls } : {}),
      generation: resource.metadata.generation,
      observedGeneration: status?.observedGeneration,
      pods: summaries,
    },
  };
  if (status?.httpPort !== undefined) {
    result.url = `http://${FUNCTION_HOST}:${status.httpPort}`;
    result.httpPort = status.httpPort;
  }
  if (message) result.message = message;
  return result;
}

function toIso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : '';
}
