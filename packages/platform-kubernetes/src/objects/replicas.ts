import type { FunctionSpec } from '@nucleon/core';

/** How many pods a function wants, and whether an autoscaler decides it. */
export type ReplicaPlan =
  | { autoscaled: false; replicas: number }
  | { autoscaled: true; minReplicas: number; maxReplicas: number };

/**
 * Nuclio's rule: `replicas`, when given, fixes the count (min = max = replicas). Otherwise
 * `minReplicas` (default 1) to `maxReplicas` (default: minReplicas); an autoscaler exists only
 * when max > min, and its minimum is at least 1 (an HPA cannot scale to zero: that is the
 * scaler's job). Without an autoscaler the Deployment runs `minReplicas` pods, so 0 means the
 * function is scaled to zero on purpose.
 */
export function replicaPlan(spec: Pick<FunctionSpec, 'replicas' | 'minReplicas' | 'maxReplicas'>): ReplicaPlan {
  if (spec.replicas !== undefined) return { autoscaled: false, replicas: spec.replicas };
  const min = spec.minReplicas ?? 1;
  const max = spec.maxReplicas ?? min;
  if (max <= min) return { autoscaled: false, replicas: min };
  return { autoscaled: true, minReplicas: Math.max(min, 1), maxReplicas: max };
}
