import type { V1Deployment, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { FunctionSpec } from '@nucleon/core';

/** How many pods a function wants, and whether an autoscaler decides it. */
export type ReplicaPlan =
  | { autoscaled: false; replicas: number }
  | { autoscaled: true; minReplicas: number; maxReplicas: number };

/**
 * Nuclio's rule: `replicas`, when given, fixes the count (min = max = replicas). Otherwise
 * `minReplicas` (default 1) to `maxReplicas` (default: minReplicas); an autoscaler exists only
 * when max > min. `minReplicas: 0` means "may scale to zero": the scaler decides when, by
 * marking the resource, so until then the function runs at least one pod (an HPA cannot go
 * below 1 anyway). `scaledToZero` (the mark, on a function that may scale to zero): 0 pods and
 * no autoscaler, which would fight the zero.
 */
export function replicaPlan(spec: Pick<FunctionSpec, 'replicas' | 'minReplicas' | 'maxReplicas'>, scaledToZero = false): ReplicaPlan {
  if (scaledToZero) return { autoscaled: false, replicas: 0 };
  if (spec.replicas !== undefined) return { autoscaled: false, replicas: spec.replicas };
  const min = Math.max(spec.minReplicas ?? 1, 1);
  const max = spec.maxReplicas ?? min;
  if (max <= min) return { autoscaled: false, replicas: min };
  return { autoscaled: true, minReplicas: min, maxReplicas: max };
}

/**
 * The Deployment to apply, given what the server has. With an autoscaler the desired object
 * leaves `replicas` unset (the HPA owns the count), but an HPA does not scale a Deployment up
 * from 0: a woken autoscaled function is set to the HPA's minimum once, then left to the HPA.
 */
export function deploymentToApply(desired: V1Deployment, hpa: V2HorizontalPodAutoscaler | undefined, actual: V1Deployment | undefined): V1Deployment {
  if (!hpa || actual?.spec?.replicas !== 0 || desired.spec?.replicas !== undefined) return desired;
  return { ...desired, spec: { ...desired.spec!, replicas: hpa.spec?.minReplicas ?? 1 } };
}
