import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/**
 * Container waiting reasons that do not clear by waiting: the pod will not become ready until
 * the function (image, configuration, code) changes.
 */
export const STUCK_WAITING_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'ErrImageNeverPull', 'InvalidImageName',
  'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError',
]);

/**
 * Why the function's pods are not becoming ready, when it is something only a change fixes:
 * a container stuck (crash loop, image not pulled) or a pod the scheduler cannot place (its
 * message, e.g. `0/1 nodes are available: 1 Insufficient nvidia.com/gpu.`). Undefined when the
 * pods are only slow. Pods being deleted are left out.
 */
export function podTrouble(pods: readonly V1Pod[]): string | undefined {
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const name = pod.metadata?.name ?? '(unnamed)';
    const statuses: V1ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    for (const status of statuses) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && STUCK_WAITING_REASONS.has(waiting.reason)) {
        const last = status.lastState?.terminated;
        const exit = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
        return `pod ${name}: container ${status.name}: ${waiting.reason}${exit}${waiting.message ? `: ${waiting.message}` : ''}`;
      }
    }
    if (pod.status?.phase === 'Pending') {
      const scheduled = pod.status.conditions?.find((c) => c.type === 'PodScheduled');
      if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
        return `pod ${name} cannot be scheduled: ${scheduled.message ?? 'no reason given'}`;
      }
    }
  }
  return undefined;
}
