import type {
  KubernetesObject, V1ClusterRole, V1ClusterRoleBinding, V1CustomResourceDefinition, V1Deployment, V1Namespace, V1RoleBinding, V1ServiceAccount,
} from '@kubernetes/client-node';
import { MANAGED_BY, MANAGED_BY_LABEL, NUCLIO_API_GROUP, NUCLIO_PLURAL } from '../objects/resource.js';

/** The name of the controller's Deployment, ServiceAccount, ClusterRole and binding. */
export const CONTROLLER_NAME = 'nucleon-controller';
/** The label its pods carry, to find them. */
export const CONTROLLER_LABEL = { 'app.kubernetes.io/name': CONTROLLER_NAME } as const;

export interface InstallOptions {
  /** Where the controller runs; what it watches unless `watchAll`. */
  namespace: string;
  /** The controller image (`<registry>/nucleon/controller:<version>`). */
  image: string;
  /** The NuclioFunction CRD (`nuclioFunctionCrd()`). */
  crd: V1CustomResourceDefinition;
  /** Watch NuclioFunctions in every namespace (a ClusterRoleBinding) rather than in `namespace` only. */
  watchAll?: boolean;
  /**
   * The controller's `/metrics` and `/healthz` port on 127.0.0.1 (default 8094): a readiness
   * probe and a declared port, so two controllers never share it on a node; 0 lets it pick
   * any free port, with no probe.
   */
  metricsPort?: number;
  /** The API server as the controller's pod reaches it on the node's host network. */
  apiServer?: { host: string; port: number };
}

const labels = { [MANAGED_BY_LABEL]: MANAGED_BY, ...CONTROLLER_LABEL };
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * What `nucleon kube install` applies, in order: the CRD, the namespace, the controller's
 * ServiceAccount, a ClusterRole with only what the controller touches (NuclioFunctions and
 * their status; the ConfigMaps, Deployments, Services, autoscalers and ingresses it owns;
 * pods and their logs read-only; its Lease; events), bound in the namespace (a RoleBinding:
 * the rights hold there only) or cluster-wide with `watchAll`, and the controller's
 * Deployment on the host network (no kube-proxy here: it reaches the API server on 127.0.0.1).
 */
/** The controller's metrics and health port when `kube install` is not told another. */
export const CONTROLLER_METRICS_PORT = 8094;

export function installObjects(options: InstallOptions): KubernetesObject[] {
  const { namespace, image } = options;
  const metricsPort = options.metricsPort ?? CONTROLLER_METRICS_PORT;
  const api = options.apiServer ?? { host: '127.0.0.1', port: 6443 };
  const namespaceObject: V1Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } } };
  const serviceAccount: V1ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: CONTROLLER_NAME, namespace, labels } };
  const role: V1ClusterRole = {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: CONTROLLER_NAME, labels },
    rules: [
      { apiGroups: [NUCLIO_API_GROUP], resources: [NUCLIO_PLURAL], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: [NUCLIO_API_GROUP], resources: [`${NUCLIO_PLURAL}/status`], verbs: ['get', 'update', 'patch'] },
      { apiGroups: [''], resources: ['configmaps', 'services'], verbs: WRITE },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: WRITE },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: WRITE },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update'] },
      { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
    ],
  };
  const subjects = [{ kind: 'ServiceAccount', name: CONTROLLER_NAME, namespace }];
  const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CONTROLLER_NAME };
  const binding: V1RoleBinding | V1ClusterRoleBinding = options.watchAll
    ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: CONTROLLER_NAME, labels }, roleRef, subjects }
    : { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: CONTROLLER_NAME, namespace, labels }, roleRef, subjects };
  const deployment: V1Deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: CONTROLLER_NAME, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...CONTROLLER_LABEL } },
      // One leader at a time anyway (the Lease); Recreate avoids two pods during an upgrade.
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: CONTROLLER_NAME,
          hostNetwork: true,
          dnsPolicy: 'ClusterFirstWithHostNet',
          containers: [{
            name: 'controller',
            image,
            imagePullPolicy: 'IfNotPresent',
            args: ['--namespace', options.watchAll ? '*' : namespace, '--metrics-port', String(metricsPort)],
            ...(metricsPort > 0 ? {
              ports: [{ name: 'metrics', containerPort: metricsPort, protocol: 'TCP' }],
              // On the host network the probe must name 127.0.0.1: the pod's IP is the node's.
              readinessProbe: { httpGet: { host: '127.0.0.1', port: metricsPort, path: '/healthz' }, periodSeconds: 5 },
            } : {}),
            env: [
              { name: 'KUBERNETES_SERVICE_HOST', value: api.host },
              { name: 'KUBERNETES_SERVICE_PORT', value: String(api.port) },
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            ],
            resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '512Mi' } },
          }],
        },
      },
    },
  };
  return [options.crd, namespaceObject, serviceAccount, role, binding, deployment];
}

/** The name of the scaler's Deployment (it runs as the controller's ServiceAccount: the same rights). */
export const SCALER_NAME = 'nucleon-scaler';
/** The label its pods carry. */
export const SCALER_LABEL = { 'app.kubernetes.io/name': SCALER_NAME } as const;
/** The scaler's /metrics, /healthz and /status port on 127.0.0.1 of the node, unless `kube install --scaler-port` says another. */
export const SCALER_PORT = 8095;

/**
 * The scaler's Deployment (`nucleon scaler run --platform kube -n <namespace>`, see docs/scaler.md):
 * on the host network, because its activator holds the node ports of zeroed functions on
 * 127.0.0.1 (SO_REUSEPORT beside the function's own processor, hence the same user: root)
 * and reads the processors' admin ports there. One replica: two activators would split a
 * zeroed function's connections between them.
 */
export function scalerDeployment(options: { namespace: string; image: string; port?: number; apiServer?: { host: string; port: number } }): V1Deployment {
  const api = options.apiServer ?? { host: '127.0.0.1', port: 6443 };
  const port = options.port ?? SCALER_PORT;
  const scalerLabels = { [MANAGED_BY_LABEL]: MANAGED_BY, ...SCALER_LABEL };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: SCALER_NAME, namespace: options.namespace, labels: scalerLabels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...SCALER_LABEL } },
      strategy: { type: 'Recreate' },
      template: {
        metadata: { labels: scalerLabels },
        spec: {
          serviceAccountName: CONTROLLER_NAME,
          hostNetwork: true,
          dnsPolicy: 'ClusterFirstWithHostNet',
          // Time to answer every held request 503 before the pod goes.
          terminationGracePeriodSeconds: 30,
          containers: [{
            name: 'scaler',
            image: options.image,
            imagePullPolicy: 'IfNotPresent',
            args: ['-n', options.namespace, '--port', String(port), '--host', '127.0.0.1'],
            ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }],
            readinessProbe: { httpGet: { host: '127.0.0.1', port, path: '/healthz' }, periodSeconds: 5 },
            securityContext: { runAsUser: 0 },
            env: [
              { name: 'KUBERNETES_SERVICE_HOST', value: api.host },
              { name: 'KUBERNETES_SERVICE_PORT', value: String(api.port) },
              { name: 'NUCLEON_HOME', value: '/tmp/nucleon' },
            ],
            resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '512Mi' } },
          }],
        },
      },
    },
  };
}

