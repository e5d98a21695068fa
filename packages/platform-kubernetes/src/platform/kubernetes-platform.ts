import {
  assertFunctionName, createError, ErrorCodes, type ConfigProblem, type DeleteOptions, type DeployRequest, type FunctionConfig,
  type FunctionStatus, type LogsOptions, type Platform, type ScaleOptions,
} from '@nucleon/core';
import { FUNCTION_NAME_LABEL } from '../objects/resource.js';
import type { ClusterClient } from './cluster-client.js';
import { deleteFunction } from './delete-function.js';
import { deployFunction, type DeployTiming } from './deploy.js';
import { configOfResource, podSelector } from './function-resource.js';
import { functionStatusOf } from './function-status.js';
import { podLogLines } from './pod-logs.js';
import { scaleFunction } from './scale-function.js';
import { kubernetesUnappliedFields } from './unapplied-fields.js';

/**
 * Functions as NuclioFunction resources (nuclio.io/v1beta1) in one namespace. The platform
 * only writes the resource; the controller reconciles it into a ConfigMap, Deployment and
 * Service and reports back in `status`, which is what `get`/`list` read (with the pods, for
 * restarts and for why a pod is not ready). Functions listen on the node's host network:
 * a function's URL is `http://127.0.0.1:<status.httpPort>`.
 */
export class KubernetesPlatform implements Platform {
  constructor(
    private readonly client: ClusterClient,
    /** The namespace `get`, `list`, `delete`, `logs` use, and `deploy` when the config names none. */
    readonly namespace: string,
    private readonly timing: DeployTiming = {},
  ) {}

  unappliedFields(config: FunctionConfig): ConfigProblem[] {
    return kubernetesUnappliedFields(config);
  }

  async deploy(request: DeployRequest): Promise<FunctionStatus> {
    assertFunctionName(request.config.metadata.name);
    const namespace = request.config.metadata.namespace ?? this.namespace;
    const resource = await deployFunction(this.client, namespace, request, this.timing);
    const pods = await this.client.listPods(namespace, podSelector(request.config.metadata.name));
    return functionStatusOf(resource, pods);
  }

  async get(name: string): Promise<FunctionStatus | undefined> {
    assertFunctionName(name);
    const resource = await this.client.getFunction(this.namespace, name);
    if (!resource) return undefined;
    return functionStatusOf(resource, await this.client.listPods(this.namespace, podSelector(name)));
  }

  async getConfig(name: string): Promise<FunctionConfig | undefined> {
    assertFunctionName(name);
    const resource = await this.client.getFunction(this.namespace, name);
    return resource && configOfResource(resource);
  }

  async list(): Promise<FunctionStatus[]> {
    const [resources, pods] = await Promise.all([
      this.client.listFunctions(this.namespace), this.client.listPods(this.namespace, FUNCTION_NAME_LABEL),
    ]);
    return resources
      .map((resource) => functionStatusOf(resource, pods.filter((pod) => pod.metadata?.labels?.[FUNCTION_NAME_LABEL] === resource.metadata.name)))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * 0: marks the NuclioFunction scaled to zero (`nucleon.io/scale-to-zero`, only with
   * `spec.minReplicas: 0`) and resolves once no pod is left; 1: removes the mark and resolves
   * once ready. The spec is never changed. Other counts: NUCLEON_ERR_SCALE_REFUSED.
   */
  async scale(name: string, replicas: number, options: ScaleOptions = {}): Promise<FunctionStatus> {
    assertFunctionName(name);
    const resource = await this.client.getFunction(this.namespace, name);
    if (!resource) throw notFound(name, this.namespace);
    const { resource: after, pods } = await scaleFunction(this.client, resource, replicas, options, this.timing);
    return functionStatusOf(after, pods);
  }

  /** Foreground delete: waits until the resource and its pods are gone. */
  async delete(name: string, options: DeleteOptions = {}): Promise<void> {
    assertFunctionName(name);
    const deleted = await deleteFunction(this.client, this.namespace, name, options.onProgress ?? (() => undefined));
    if (!deleted) throw notFound(name, this.namespace);
  }

  async *logs(name: string, options: LogsOptions = {}): AsyncIterable<string> {
    assertFunctionName(name);
    if (!(await this.client.getFunction(this.namespace, name))) throw notFound(name, this.namespace);
    const pods = (await this.client.listPods(this.namespace, podSelector(name)))
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    yield* podLogLines(this.client, this.namespace, pods, options.follow ?? false, options.signal);
  }
}

/** The same code as the other platforms', so the CLI maps it to the same exit status. */
function notFound(name: string, namespace: string): Error {
  return createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found in namespace ${namespace} on the kube platform`);
}
