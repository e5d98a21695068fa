import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { ConfigProblem, FunctionConfig } from '@nucleon/core';
import { functionIngresses } from './ingress-rules.js';
import { podTrouble } from './pod-trouble.js';
import type { FunctionPorts } from './ports.js';
import { ignoredMarkMessage, isMarkedScaledToZero, SCALE_TO_ZERO_ANNOTATION } from './scale-to-zero-mark.js';
import { objectName, type Condition, type FunctionState, type NuclioFunctionResource, type NuclioFunctionStatus } from './resource.js';

/** What {@link functionStatus} reads: the resource, what validation found, and what the server has. */
export interface FunctionStatusInput {
  resource: NuclioFunctionResource;
  config?: FunctionConfig;
  problems: readonly ConfigProblem[];
  ports?: FunctionPorts;
  deployment?: V1Deployment;
  pods: readonly V1Pod[];
  /** The clock for a condition that changes; tests pass a fixed one. */
  now?: () => Date;
}

/**
 * The status of a NuclioFunction: `error` with the problems when it is invalid; `building`
 * until its Deployment has caught up with the newest template and enough pods are ready;
 * `ready`; `unhealthy` when pods are stuck (crash loop, image not pulled, unschedulable: the
 * reason is in the message); `scaledToZero` when it runs no pods by choice and none is left
 * (`waitingForScaleResourcesToZero` while one is). A scaled-to-zero mark the function may not
 * have is named in the message. A condition keeps
 * its lastTransitionTime while its status stays the same, so reconciling an unchanged
 * function produces an identical status (and no write).
 */
export function functionStatus(input: FunctionStatusInput): NuclioFunctionStatus {
  const { resource, config, problems, ports, deployment } = input;
  const previous = resource.status;
  const kept = ports ?? keptPorts(previous);
  const verdictNow = stateOf(input);
  const { state, available, progressing } = verdictNow;
  const ignored = config ? ignoredMarkMessage(resource, config) : undefined;
  const message = ignored ? `${verdictNow.message}; ${ignored}` : verdictNow.message;
  const now = input.now ?? (() => new Date());
  const conditions = [
    condition(previous, 'Available', available, now),
    condition(previous, 'Progressing', progressing, now),
  ];
  const status: NuclioFunctionStatus = { state, message, conditions };
  if (kept) {
    status.httpPort = kept.http;
    status.adminPort = kept.admin;
    const name = config?.metadata.name ?? resource.metadata.name ?? '';
    status.internalInvocationUrls = [
      `http://127.0.0.1:${kept.http}`,
      `${objectName(name)}.${resource.metadata.namespace ?? 'default'}.svc.cluster.local:${kept.http}`,
    ];
  }
  const external = problems.length === 0 && config ? functionIngresses(config).flatMap((i) => i.host === '' ? [] : i.paths.map((p) => `${i.host}${p}`)) : [];
  if (external.length > 0) status.externalInvocationUrls = external;
  if (deployment?.status) {
    status.replicas = deployment.status.replicas ?? 0;
    status.readyReplicas = deployment.status.readyReplicas ?? 0;
  }
  if (resource.metadata.generation !== undefined) status.observedGeneration = resource.metadata.generation;
  return status;
}

interface Verdict {
  state: FunctionState;
  message: string;
  available: ConditionValue;
  progressing: ConditionValue;
}

type ConditionValue = Pick<Condition, 'status' | 'reason' | 'message'>;

function stateOf(input: FunctionStatusInput): Verdict {
  const { problems, deployment, pods } = input;
  if (problems.length > 0) {
    const message = `invalid function: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`;
    return verdict('error', message, 'False', 'InvalidFunction', 'False', 'InvalidFunction');
  }
  if (!deployment) return verdict('building', 'waiting for the Deployment to be created', 'False', 'NoDeployment', 'True', 'Creating');
  const wanted = deployment.spec?.replicas ?? 1;
  const status = deployment.status ?? {};
  const current = (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  const ready = status.readyReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  if (wanted === 0) return zeroVerdict(input);
  // kubectl rollout status's rule: every pod runs the newest template (no old pod counts
  // towards `ready`, which covers old and new pods alike) and enough of them are ready.
  const total = status.replicas ?? 0;
  if (current && ready >= wanted && updated >= wanted && total <= updated) {
    return verdict('ready', `${ready}/${wanted} replicas ready`, 'True', 'ReplicasReady', 'True', 'RolloutComplete');
  }
  const trouble = podTrouble(pods);
  const availability: [ConditionValue['status'], string] = ready > 0 ? ['True', 'SomeReplicasReady'] : ['False', 'NoReplicasReady'];
  if (trouble) return verdict('unhealthy', trouble, availability[0], availability[1], 'False', 'PodsStuck');
  const progress = current ? `${ready}/${wanted} replicas ready, ${updated} updated` : 'waiting for the Deployment controller to see the new template';
  return verdict('building', progress, availability[0], availability[1], 'True', 'RollingOut');
}

/**
 * Zero pods wanted (the scaled-to-zero mark, or `replicas: 0`): `scaledToZero` once no pod is
 * left, terminating ones included (a draining processor still answers and holds its port);
 * until then Nuclio's `waitingForScaleResourcesToZero`.
 */
function zeroVerdict(input: FunctionStatusInput): Verdict {
  const { pods, resource } = input;
  if (pods.length > 0) {
    const names = pods.map((p) => p.metadata?.name ?? '?').sort().join(', ');
    const message = `scaling to zero: ${pods.length} pod${pods.length === 1 ? '' : 's'} left (${names})`;
    return verdict('waitingForScaleResourcesToZero', message, 'False', 'ScalingToZero', 'True', 'ScalingToZero');
  }
  const why = isMarkedScaledToZero(resource) ? `the ${SCALE_TO_ZERO_ANNOTATION} annotation` : '0 replicas wanted';
  return verdict('scaledToZero', `scaled to zero (${why})`, 'False', 'ScaledToZero', 'True', 'ScaledToZero');
}

function verdict(state: FunctionState, message: string, available: ConditionValue['status'], availableReason: string,
  progressing: ConditionValue['status'], progressingReason: string): Verdict {
  return {
    state, message,
    available: { status: available, reason: availableReason, message },
    progressing: { status: progressing, reason: progressingReason, message },
  };
}

function condition(previous: NuclioFunctionStatus | undefined, type: string, value: ConditionValue, now: () => Date): Condition {
  const before = previous?.conditions?.find((c) => c.type === type);
  const lastTransitionTime = before && before.status === value.status ? before.lastTransitionTime : kubernetesTime(now());
  return { type, ...value, lastTransitionTime };
}

function keptPorts(status: NuclioFunctionStatus | undefined): FunctionPorts | undefined {
  return status?.httpPort !== undefined && status.adminPort !== undefined ? { http: status.httpPort, admin: status.adminPort } : undefined;
}

/** RFC 3339 to the second, as the API server writes times. */
function kubernetesTime(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}
