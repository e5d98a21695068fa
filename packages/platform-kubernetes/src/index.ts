import { definePlatform, type PlatformPlugin } from '@nucleon/core';
import { createKubernetesPlatform } from './platform/create-platform.js';

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
export { functionStatusOf, PLATFORM_NAME } from './platform/function-status.js';
export { DEFAULT_READINESS_TIMEOUT_MS } from './platform/deploy.js';
export type { DeployTiming } from './platform/deploy.js';
export { kubernetesUnappliedFields } from './platform/unapplied-fields.js';
export { installObjects, CONTROLLER_NAME, CONTROLLER_LABEL, CONTROLLER_METRICS_PORT } from './platform/install-manifests.js';
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
