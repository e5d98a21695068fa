import type { V1Pod } from '@kubernetes/client-node';

/** One pod of a function, as `get` shows it under `details.pods`. */
export interface PodSummary {
  name: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Why it is not ready, in the scheduler's or kubelet's words (`0/1 nodes are available: ...`). */
  reason?: string;
  /** The image the pod runs, so a rolling update's old and new pods can be told apart. */
  image?: string;
}

/** True when the pod's Ready condition is True. */
export function isPodReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** Restarts of all the pod's containers, as the kubelet counts them. */
export function podRestarts(pod: V1Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
}

/**
 * Why a pod is not ready: the scheduler's message for an unschedulable pod, else the first
 * waiting or terminated container's reason and message (ImagePullBackOff, CrashLoopBackOff,
 * Error), else the pod's own reason. Undefined for a ready pod.
 */
export function notReadyReason(pod: V1Pod): string | undefined {
  if (isPodReady(pod)) return undefined;
  const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (unscheduled) return unscheduled.message ?? unscheduled.reason ?? 'not scheduled yet';
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'PodInitializing') return joinReason(waiting.reason, waiting.message);
    const terminated = status.state?.terminated ?? status.lastState?.terminated;
    if (terminated && !status.ready && terminated.exitCode !== 0) {
      return joinReason(terminated.reason ?? 'Terminated', `exit code ${terminated.exitCode}${terminated.message ? `: ${terminated.message}` : ''}`);
    }
  }
  if (pod.metadata?.deletionTimestamp) return 'terminating';
  if (pod.status?.reason) return joinReason(pod.status.reason, pod.status.message);
  const unready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False');
  return unready?.message ?? (pod.status?.phase === 'Running' ? 'not ready yet' : undefined);
}

function joinReason(reason: string, message: string | undefined): string {
  return message ? `${reason}: ${message}` : reason;
}

export function summarizePod(pod: V1Pod): PodSummary {
  const reason = notReadyReason(pod);
  const image = pod.spec?.containers?.[0]?.image;
  return {
    name: pod.metadata?.name ?? '',
    phase: pod.metadata?.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Unknown'),
    ready: isPodReady(pod),
    restarts: podRestarts(pod),
    ...(reason ? { reason } : {}),
    ...(image ? { image } : {}),
  };
}

/**
 * One progress line for the pods: `pods: 0/1 ready (Pending: 0/1 nodes are available: ...)`,
 * the reason of the first pod that is not ready. `desired` is the replica count asked for.
 */
export function podsLine(pods: readonly V1Pod[], desired: number | undefined): string {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const ready = live.filter(isPodReady).length;
  const total = Math.max(desired ?? live.length, ready);
  const waiting = live.map(summarizePod).find((p) => !p.ready);
  return `pods: ${ready}/${total} ready${waiting ? ` (${waiting.phase}${waiting.reason ? `: ${waiting.reason}` : ''})` : ''}`;
}
