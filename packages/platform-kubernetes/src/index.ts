import { definePlatform, type PlatformPlugin } from '@nucleon/core';
import { createKubernetesPlatform } from './platform/create-platform.js';

export { runController, DEFAULT_CONTROLLER_NAMESPACE, DEFAULT_RESYNC_MS } from './controller/controller.js';
export type { ControllerOptions, ControllerHandle, ControllerExit } from './controller/controller.js';
export { ApiCallCounter, countingClient } from './controller/api-calls.js';
export type { ApiCallStats } from './controller/api-calls.js';
export { restKubeClient } from './controller/rest-client.js';
export { statusCodeOf, kubeApiError } from './controller/kube-client.js';
export type { KubeClient, KubeObject, KubeObjectList, ApiVerb } from './controller/kube-client.js';
export {
  FUNCTIONS, CONFIG_MAPS, SERVICES, PODS, DEPLOYMENTS, HPAS, INGRESSES, LEASES, collectionPath, apiVersionOf,
} from './controller/kube-resources.js';
export type { KubeResource } from './controller/kube-resources.js';
export type { ObjectInformer, InformerFactory, InformerEvent } from './controller/informer.js';
export { listWatchInformers } from './controller/list-watch-informers.js';
export { WorkQueue } from './controller/work-queue.js';
export type { WorkQueueOptions, QueueTimers } from './controller/work-queue.js';
export { LeaderElector, LEASE_NAME, holderIdentity } from './controller/leader-election.js';
export type { LeaderElectionOptions } from './controller/leader-election.js';
export { Reconciler } from './controller/reconciler.js';
export type { ReconcilerCaches, ReconcilerDeps, FunctionObject } from './controller/reconciler.js';
export { defaultFunctionObjects } from './controller/function-objects.js';
export type { FunctionObjects } from './controller/function-objects.js';
export { DEFAULT_METRICS_PORT } from './controller/metrics-server.js';
export { jsonLogger } from './controller/json-logger.js';
export { loadControllerKubeConfig } from './controller/controller-kube-config.js';
export type { KubeConfigSource } from './controller/controller-kube-config.js';
export { parseControllerFlags, CONTROLLER_USAGE } from './controller/controller-flags.js';
export type { ControllerFlags } from './controller/controller-flags.js';
export {
  CLASS_LABEL, CONFIG_HASH_ANNOTATION, FUNCTION_NAME_LABEL, MANAGED_BY, MANAGED_BY_LABEL,
  NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_GROUP_VERSION, NUCLIO_KIND, NUCLIO_PLURAL, objectName,
} from './objects/resource.js';
export type { Condition, FunctionState, NuclioFunctionResource, NuclioFunctionStatus } from './objects/resource.js';
export { NUCLIO_CRD_NAME, nuclioFunctionCrd, nuclioFunctionCrdManifest } from './objects/crd.js';
export { MAX_KUBERNETES_FUNCTION_NAME, functionConfigOf } from './objects/function-config.js';
export type { FunctionConfigResult } from './objects/function-config.js';
export { PORT_RANGE, choosePorts, portsInUse } from './objects/ports.js';
export type { FunctionPorts } from './objects/ports.js';
export { configHash, desiredObjects, processorConfigText } from './objects/desired-objects.js';
export type { DesiredObjects } from './objects/desired-objects.js';
export { CONFIG_FILE, CONFIG_MOUNT_DIR, FUNCTION_CONTAINER, wantsGpu } from './objects/pod-template.js';
export { deploymentToApply, replicaPlan } from './objects/replicas.js';
export {
  SCALE_TO_ZERO_ANNOTATION, SCALE_TO_ZERO_MARKED, ignoredMarkMessage, isMarkedScaledToZero, isScaledToZero,
} from './objects/scale-to-zero-mark.js';
export type { ReplicaPlan } from './objects/replicas.js';
export { drainTimeoutMs, terminationGracePeriodSeconds } from './objects/processor-timing.js';
export { functionIngresses } from './objects/ingress-rules.js';
export type { FunctionIngress } from './objects/ingress-rules.js';
export { differs } from './objects/object-diff.js';
export { quantityValue, sameQuantity } from './objects/quantity.js';
export { functionStatus } from './objects/function-state.js';
export type { FunctionStatusInput } from './objects/function-state.js';
export { STUCK_WAITING_REASONS, podTrouble } from './objects/pod-trouble.js';

export { KubernetesPlatform } from './platform/kubernetes-platform.js';
export { createKubernetesPlatform } from './platform/create-platform.js';
export { resolveSettings, DEFAULT_NAMESPACE } from './platform/settings.js';
export type { KubernetesPlatformSettings } from './platform/settings.js';
export { loadKubeConfig, kubeconfigCandidates, localClusterKubeconfig, nucleonCacheDir } from './platform/kubeconfig.js';
export type { KubeConfigChoice, LoadedKubeConfig } from './platform/kubeconfig.js';
export type { ClusterClient } from './platform/cluster-client.js';
export { createClusterClient } from './platform/api-client.js';
export { createObjectClient } from './platform/object-client.js';
export type { ObjectClient } from './platform/object-client.js';
export { functionResource, configOfResource, podSelector } from './platform/function-resource.js';
export { functionStatusOf, FUNCTION_HOST, PLATFORM_NAME } from './platform/function-status.js';
export { waitForZero } from './platform/wait-for-zero.js';
export type { ZeroOutcome, ZeroWaitOptions } from './platform/wait-for-zero.js';
export { DEFAULT_READINESS_TIMEOUT_MS } from './platform/deploy.js';
export type { DeployTiming } from './platform/deploy.js';
export { kubernetesUnappliedFields } from './platform/unapplied-fields.js';
export {
  installObjects, scalerDeployment, CONTROLLER_NAME, CONTROLLER_LABEL, CONTROLLER_METRICS_PORT, SCALER_LABEL, SCALER_NAME, SCALER_PORT,
} from './platform/install-manifests.js';
export type { InstallOptions } from './platform/install-manifests.js';
export { applyObjects, removeObjects, describeObject, waitCrdEstablished, waitDeploymentReady } from './platform/apply-objects.js';
export { podsLine, summarizePod } from './platform/pod-summary.js';
export type { PodSummary } from './platform/pod-summary.js';

/**
 * `@nucleon/platform-kubernetes`: functions as NuclioFunction resources reconciled by the
 * controller. Settings: `kubeconfig`, `context`, `namespace`.
 */
const plugin: PlatformPlugin = definePlatform({
  name: '@nucleon/platform-kubernetes',
  coreRange: '^0.1.0',
  create: ({ settings }) => createKubernetesPlatform(settings),
});

export default plugin;
