import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import type { Logger } from '@nucleon/core';
import type { FunctionPorts } from '../objects/ports.js';
import { deploymentToApply } from '../objects/replicas.js';
import { FUNCTION_NAME_LABEL, type NuclioFunctionResource } from '../objects/resource.js';
import type { FunctionObjects } from './function-objects.js';
import type { ObjectInformer } from './informer.js';
import { statusCodeOf, type KubeClient, type KubeObject } from './kube-client.js';
import { CONFIG_MAPS, DEPLOYMENTS, FUNCTIONS, HPAS, INGRESSES, PODS, SERVICES, type KubeResource } from './kube-resources.js';
import type { RecentWrites } from './recent-writes.js';
import { keepTransitionTimes, sameStatus } from './status-change.js';
import { updateBody } from './update-body.js';

export type FunctionObject = NuclioFunctionResource & KubeObject;

/** The caches the reconciler reads; an owned kind without one is read with GET. */
export interface ReconcilerCaches {
  functions: ObjectInformer<FunctionObject>;
  configMaps?: ObjectInformer;
  deployments?: ObjectInformer;
  services?: ObjectInformer;
  hpas?: ObjectInformer;
  ingresses?: ObjectInformer;
  pods?: ObjectInformer;
}

export interface ReconcilerDeps {
  client: KubeClient;
  caches: ReconcilerCaches;
  objects: FunctionObjects;
  recentWrites: RecentWrites;
  logger: Logger;
}

/**
 * Makes the cluster match one NuclioFunction: its ConfigMap, Deployment, Service and, when
 * asked for, HorizontalPodAutoscaler and Ingress, then its status. Level-based: it looks at
 * what is, never at what changed, so running it twice does nothing the second time (no write
 * call when nothing differs).
 */
export class Reconciler {
  /** Ports chosen here but maybe not yet in any status: two functions reconciled at once must not share them. */
  private readonly assignedPorts = new Map<string, { uid: string; ports: FunctionPorts }>();

  constructor(private readonly deps: ReconcilerDeps) {}

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const { caches, recentWrites, objects } = this.deps;
    const resource = recentWrites.freshest(FUNCTIONS, namespace, name, caches.functions.get(namespace, name));
    // Gone or going: owner references let the garbage collector remove its objects.
    if (!resource || resource.metadata.deletionTimestamp) {
      this.assignedPorts.delete(key);
      return;
    }

    const { config, problems } = objects.configOf(resource);
    if (!config) {
      await this.writeStatus(resource, objects.functionStatus({ resource, problems, pods: [] }));
      return;
    }

    const ports = this.portsFor(key, resource, config);
    const desired = objects.desiredObjects(resource, config, ports);
    await this.apply(CONFIG_MAPS, desired.configMap as KubeObject, caches.configMaps);
    const deployment = await this.apply(DEPLOYMENTS, desired.deployment as KubeObject, caches.deployments,
      (actual) => deploymentToApply(desired.deployment, desired.hpa, actual as V1Deployment | undefined) as KubeObject);
    await this.apply(SERVICES, desired.service as KubeObject, caches.services);
    const ownedName = desired.deployment.metadata!.name!;
    if (desired.hpa) await this.apply(HPAS, desired.hpa as unknown as KubeObject, caches.hpas);
    else await this.removeIfOwned(HPAS, namespace, ownedName, resource, caches.hpas);
    if (desired.ingress) await this.apply(INGRESSES, desired.ingress as KubeObject, caches.ingresses);
    else await this.removeIfOwned(INGRESSES, namespace, ownedName, resource, caches.ingresses);

    const pods = await this.podsOf(namespace, name);
    await this.writeStatus(resource, objects.functionStatus({
      resource, config, problems: [], ports, deployment: deployment as V1Deployment, pods: pods as V1Pod[],
    }));
  }

  private portsFor(key: string, resource: FunctionObject, config: Parameters<FunctionObjects['choosePorts']>[1]): FunctionPorts {
    const { objects, caches } = this.deps;
    const uid = resource.metadata.uid ?? '';
    const taken = objects.portsInUse(caches.functions.list(), uid);
    for (const [otherKey, { ports }] of this.assignedPorts) {
      if (otherKey !== key) taken.add(ports.http).add(ports.admin);
    }
    // Chosen earlier but not yet in the status: keep them rather than choose again.
    const mine = this.assignedPorts.get(key);
    const known = resource.status?.httpPort && resource.status.adminPort
      ? resource
      : mine && mine.uid === uid ? { ...resource, status: { state: 'building' as const, ...resource.status, httpPort: mine.ports.http, adminPort: mine.ports.admin } } : resource;
    const ports = objects.choosePorts(known, config, taken);
    this.assignedPorts.set(key, { uid, ports });
    return ports;
  }

  /**
   * Creates `wanted` when missing, replaces it when it differs; returns what the server now has.
   * `adjust` may change what is wanted in view of what the server has (a woken Deployment's count).
   */
  private async apply(resource: KubeResource, wanted: KubeObject, cache?: ObjectInformer, adjust?: (actual?: KubeObject) => KubeObject): Promise<KubeObject> {
    const { client, objects, recentWrites } = this.deps;
    const namespace = wanted.metadata!.namespace!;
    const name = wanted.metadata!.name!;
    let actual = cache
      ? recentWrites.freshest(resource, namespace, name, cache.get(namespace, name))
      : await client.get(resource, namespace, name);
    const desired = adjust ? adjust(actual) : wanted;
    if (!actual) {
      try {
        const created = await client.create(resource, namespace, desired);
        recentWrites.remember(resource, created);
        this.deps.logger.info(`created ${resource.kind} ${namespace}/${name}`);
        return created;
      } catch (err) {
        // Created meanwhile (a stale cache, a restart mid-reconcile): read it and carry on.
        if (statusCodeOf(err) !== 409) throw err;
        actual = await client.get(resource, namespace, name);
        if (!actual) throw err;
      }
    }
    if (actual.metadata?.deletionTimestamp) {
      throw new Error(`${resource.kind} ${namespace}/${name} is being deleted; will create it again once it is gone`);
    }
    if (!objects.differs(desired, actual)) return actual;
    const updated = await client.replace(resource, namespace, name, updateBody(desired, actual));
    recentWrites.remember(resource, updated, actual);
    this.deps.logger.info(`updated ${resource.kind} ${namespace}/${name}`);
    return updated;
  }

  /** Deletes an HPA or Ingress the function no longer asks for, if it is this function's. */
  private async removeIfOwned(resource: KubeResource, namespace: string, name: string, owner: FunctionObject, cache?: ObjectInformer): Promise<void> {
    const { client } = this.deps;
    const actual = cache ? cache.get(namespace, name) : await client.get(resource, namespace, name);
    if (!actual || actual.metadata?.deletionTimestamp) return;
    if (!actual.metadata?.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid)) return;
    await client.delete(resource, namespace, name);
    this.deps.logger.info(`deleted ${resource.kind} ${namespace}/${name}`);
  }

  private async podsOf(namespace: string, name: string): Promise<KubeObject[]> {
    const { caches, client } = this.deps;
    if (caches.pods) return caches.pods.list(namespace).filter((pod) => pod.metadata?.labels?.[FUNCTION_NAME_LABEL] === name);
    return (await client.list(PODS, namespace, `${FUNCTION_NAME_LABEL}=${name}`)).items;
  }

  /** Writes the status subresource, only when it says something new. */
  private async writeStatus(resource: FunctionObject, computed: FunctionObject['status']): Promise<void> {
    const status = keepTransitionTimes(resource.status, computed!);
    if (sameStatus(resource.status, status)) return;
    const namespace = resource.metadata.namespace!;
    const name = resource.metadata.name!;
    const written = await this.deps.client.replaceStatus<FunctionObject>(FUNCTIONS, namespace, name, { ...resource, status });
    this.deps.recentWrites.remember(FUNCTIONS, written, resource);
    this.deps.logger.info(`status ${namespace}/${name}: ${status.state}${status.message ? ` (${status.message})` : ''}`);
  }
}

/** `namespace/name` -> [namespace, name]. */
export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** The work-queue key of an object: `namespace/name`. */
export function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}
