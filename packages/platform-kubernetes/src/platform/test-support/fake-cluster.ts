import type { V1Pod } from '@kubernetes/client-node';
import type { NuclioFunctionResource, NuclioFunctionStatus } from '../../objects/resource.js';
import type { ClusterClient } from '../cluster-client.js';

/** An API error as client-node throws it: the HTTP status in `code`. */
export class FakeApiError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/**
 * An in-memory Kubernetes API for the platform's unit tests: NuclioFunctions with the API
 * server's bookkeeping (generation bumps on spec changes, resourceVersion checks on replace),
 * pods selected by label, logs per pod. `controller`, when set, plays the controller: it is
 * asked for a status each time a function is read, as if it had reconciled meanwhile.
 */
export class FakeCluster implements ClusterClient {
  readonly where = { source: '/fake/kubeconfig', server: 'https://127.0.0.1:6443' };
  readonly functions = new Map<string, NuclioFunctionResource>();
  pods: V1Pod[] = [];
  readonly logs = new Map<string, string>();
  /** Text chunks `followPodLog` yields per pod, then it waits for the abort. */
  readonly followChunks = new Map<string, string[]>();
  controller?: (resource: NuclioFunctionResource) => NuclioFunctionStatus | undefined;
  /** Replace calls to refuse with a 409 before accepting one. */
  conflicts = 0;
  /** Deleting a function leaves its pods for this many reads (the garbage collector at work). */
  podsLingerReads = 0;
  readonly calls: string[] = [];
  private version = 1;

  private key(namespace: string, name: string): string {
    return `${namespace}/${name}`;
  }

  async getFunction(namespace: string, name: string): Promise<NuclioFunctionResource | undefined> {
    this.calls.push(`get ${namespace}/${name}`);
    const resource = this.functions.get(this.key(namespace, name));
    if (!resource) return undefined;
    const status = this.controller?.(structuredClone(resource));
    if (status) resource.status = status;
    return structuredClone(resource);
  }

  async listFunctions(namespace: string): Promise<NuclioFunctionResource[]> {
    return [...this.functions.values()].filter((r) => r.metadata.namespace === namespace).map((r) => structuredClone(r));
  }

  async createFunction(resource: NuclioFunctionResource): Promise<NuclioFunctionResource> {
    this.calls.push(`create ${resource.metadata.namespace}/${resource.metadata.name}`);
    const key = this.key(resource.metadata.namespace!, resource.metadata.name!);
    if (this.functions.has(key)) throw new FakeApiError(409, 'already exists');
    const stored: NuclioFunctionResource = structuredClone(resource);
    stored.metadata = { ...stored.metadata, generation: 1, resourceVersion: String(this.version++), uid: `uid-${this.version}`, creationTimestamp: new Date('2026-01-02T03:04:05Z') };
    delete stored.status;
    this.functions.set(key, stored);
    return structuredClone(stored);
  }

  async replaceFunction(resource: NuclioFunctionResource): Promise<NuclioFunctionResource> {
    this.calls.push(`replace ${resource.metadata.namespace}/${resource.metadata.name}`);
    const key = this.key(resource.metadata.namespace!, resource.metadata.name!);
    const current = this.functions.get(key);
    if (!current) throw new FakeApiError(404, 'not found');
    if (this.conflicts > 0) {
      this.conflicts -= 1;
      current.metadata.resourceVersion = String(this.version++);
      throw new FakeApiError(409, 'the object has been modified');
    }
    if (resource.metadata.resourceVersion !== current.metadata.resourceVersion) throw new FakeApiError(409, 'stale resourceVersion');
    const specChanged = JSON.stringify(resource.spec) !== JSON.stringify(current.spec);
    const stored: NuclioFunctionResource = {
      ...structuredClone(resource),
      metadata: {
        ...structuredClone(resource.metadata), uid: current.metadata.uid, creationTimestamp: current.metadata.creationTimestamp,
        generation: (current.metadata.generation ?? 1) + (specChanged ? 1 : 0), resourceVersion: String(this.version++),
      },
      // The status subresource: a replace of the main resource never changes it.
      ...(current.status ? { status: current.status } : {}),
    };
    if (!current.status) delete stored.status;
    this.functions.set(key, stored);
    return structuredClone(stored);
  }

  async deleteFunction(namespace: string, name: string): Promise<void> {
    this.calls.push(`delete ${namespace}/${name}`);
    if (!this.functions.delete(this.key(namespace, name))) throw new FakeApiError(404, 'not found');
    this.lingering.set(name, this.podsLingerReads);
  }

  private readonly lingering = new Map<string, number>();

  async listPods(namespace: string, labelSelector: string): Promise<V1Pod[]> {
    const [key, value] = labelSelector.split('=') as [string, string | undefined];
    for (const [name, reads] of this.lingering) {
      if (reads <= 0) {
        this.pods = this.pods.filter((p) => p.metadata?.labels?.['nuclio.io/function-name'] !== name);
        this.lingering.delete(name);
      } else {
        this.lingering.set(name, reads - 1);
      }
    }
    return this.pods
      .filter((p) => p.metadata?.namespace === namespace)
      .filter((p) => (value === undefined ? key in (p.metadata?.labels ?? {}) : p.metadata?.labels?.[key] === value))
      .map((p) => structuredClone(p));
  }

  async readPodLog(_namespace: string, pod: string, _container: string, options: { tailLines?: number; previous?: boolean } = {}): Promise<string> {
    const text = this.logs.get(options.previous ? `${pod}:previous` : pod) ?? '';
    if (options.tailLines === undefined) return text;
    const lines = text.split('\n').filter((l) => l !== '');
    return lines.slice(-options.tailLines).map((l) => `${l}\n`).join('');
  }

  async *followPodLog(_namespace: string, pod: string, _container: string, signal: AbortSignal): AsyncIterable<string> {
    for (const chunk of this.followChunks.get(pod) ?? []) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield chunk;
    }
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  }
}

/** A pod of function `name`, Running and Ready unless told otherwise, running image `reg/fn:1` by default. */
export function fakePod(name: string, pod: string, options: {
  namespace?: string; image?: string; ready?: boolean; phase?: string; restarts?: number; unschedulable?: string; waiting?: { reason: string; message?: string };
} = {}): V1Pod {
  const ready = options.ready ?? true;
  return {
    metadata: { name: pod, namespace: options.namespace ?? 'fns', labels: { 'nuclio.io/function-name': name } },
    spec: { containers: [{ name: 'processor', image: options.image ?? 'reg/fn:1' }] },
    status: {
      phase: options.phase ?? (options.unschedulable ? 'Pending' : 'Running'),
      conditions: [
        ...(options.unschedulable ? [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: options.unschedulable }] : []),
        { type: 'Ready', status: ready ? 'True' : 'False' },
      ],
      containerStatuses: options.unschedulable ? [] : [{
        name: 'processor', image: options.image ?? 'reg/fn:1', imageID: '', ready, restartCount: options.restarts ?? 0,
        ...(options.waiting ? { state: { waiting: options.waiting } } : { state: { running: {} } }),
      }],
    },
  } as V1Pod;
}
