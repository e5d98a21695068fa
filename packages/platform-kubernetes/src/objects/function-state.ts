// STAND-IN for Helper B's module of the same name; replaced by B's file at merge.
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ConfigProblem, FunctionConfig } from '@nucleon/core';
import type { FunctionPorts } from './ports.js';
import type { NuclioFunctionResource, NuclioFunctionStatus } from './resource.js';

export function functionStatus(input: {
  resource: NuclioFunctionResource; config?: FunctionConfig; problems: readonly ConfigProblem[];
  ports?: FunctionPorts; deployment?: V1Deployment; pods: readonly V1Pod[];
}): NuclioFunctionStatus {
  const observedGeneration = input.resource.metadata.generation;
  if (input.problems.length > 0 || !input.config) {
    return { state: 'error', message: input.problems.map((p) => `${p.path}: ${p.message}`).join('; '), observedGeneration };
  }
  const base = {
    httpPort: input.ports?.http, adminPort: input.ports?.admin, observedGeneration,
    internalInvocationUrls: input.ports ? [`http://127.0.0.1:${input.ports.http}`] : [],
    replicas: input.deployment?.status?.replicas ?? 0, readyReplicas: input.deployment?.status?.readyReplicas ?? 0,
  };
  const wanted = input.deployment?.spec?.replicas ?? 1;
  if (input.deployment && base.readyReplicas >= wanted && wanted > 0) return { state: 'ready', ...base };
  for (const pod of input.pods) {
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (scheduled?.status === 'False') return { state: 'unhealthy', message: scheduled.message ?? scheduled.reason, ...base };
  }
  return { state: 'building', ...base };
}
