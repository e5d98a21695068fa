import { scaleToZeroPolicy, type ConfigProblem, type FunctionConfig } from '@nucleon/core';

const NOT_APPLIED = 'not applied by the kube platform';

/**
 * The fields of a validated config the kube platform accepts but does not act on. The
 * controller applies replicas, min/max replicas and targetCPU (autoscaler), resources
 * (GPUs included), env, triggers, the Kubernetes fields and the HTTP trigger's port and
 * ingresses; `spec.build` is the CLI's (it builds and pushes the image before deploying).
 * Scale to zero applies with `minReplicas: 0` (the scaler marks the resource; the controller
 * then runs no pod). Not applied: `spec.scaleToZero` without `minReplicas: 0` (Nuclio's rule:
 * the function never scales to zero), and the first HTTP trigger's `host`: pods run on the
 * node's host network and bind 127.0.0.1.
 */
export function kubernetesUnappliedFields(config: FunctionConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (config.spec.scaleToZero !== undefined && scaleToZeroPolicy(config) === undefined) {
    problems.push({ path: 'spec.scaleToZero', message: `${NOT_APPLIED} without spec.minReplicas: 0 (the function never scales to zero)` });
  }
  const firstHttp = Object.entries(config.spec.triggers).find(([, t]) => t.kind === 'http' && !t.disable);
  if (firstHttp && firstHttp[1].attributes.host !== undefined) {
    problems.push({
      path: `spec.triggers.${firstHttp[0]}.attributes.host`,
      message: `${NOT_APPLIED} (pods run on the node's host network and listen on 127.0.0.1)`,
    });
  }
  return problems;
}
