import type { InformerEvent, InformerFactory, ObjectInformer } from '../informer.js';
import { kubeApiError, type KubeClient, type KubeObject, type KubeObjectList } from '../kube-client.js';
import type { KubeResource } from '../kube-resources.js';

type Listener = (event: InformerEvent, object: KubeObject) => void;

/** One call the fake served, for assertions ("no write on a no-op reconcile"). */
export interface FakeCall {
  verb: 'get' | 'list' | 'create' | 'update' | 'updateStatus' | 'delete';
  resource: string;
  namespace: string;
  name?: string;
}

/**
 * An in-memory API server for unit tests: objects get uid, resourceVersion and generation;
 * writes with a stale resourceVersion get 409; the status subresource is separate from the
 * object (as with `subresources: status`); deleting an owner removes its dependents (the
 * garbage collector, at once); informers hear every change on the next microtask.
 */
export class FakeCluster implements KubeClient, InformerFactory {
  readonly calls: FakeCall[] = [];
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly informers: Array<{ resource: KubeResource; namespace: string; selector?: string; listeners: Listener[]; running: boolean }> = [];
  private readonly failures: Array<{ verb: FakeCall['verb']; resource: string; statusCode: number }> = [];
  private version = 1;
  private uids = 1;

  /** The next `verb` on `resource` fails with `statusCode` (once). */
  failNext(verb: FakeCall['verb'], resource: string, statusCode: number): void {
    this.failures.push({ verb, resource, statusCode });
  }

  writes(): FakeCall[] {
    return this.calls.filter((c) => c.verb !== 'get' && c.verb !== 'list');
  }

  /** Stored objects of a kind (in one namespace), as the server holds them. */
  stored<T extends KubeObject = KubeObject>(resource: KubeResource, namespace?: string): T[] {
    return [...this.store(resource).values()].filter((o) => !namespace || o.metadata?.namespace === namespace) as T[];
  }

  /** Changes a stored object as another writer would (a kubectl edit, the Deployment controller). */
  edit(resource: KubeResource, namespace: string, name: string, change: (object: KubeObject) => void): void {
    const object = this.store(resource).get(`${namespace}/${name}`);
    if (!object) throw new Error(`no ${resource.plural} ${namespace}/${name}`);
    const copy = clone(object);
    change(copy);
    copy.metadata!.resourceVersion = String(this.version++);
    this.store(resource).set(`${namespace}/${name}`, copy);
    this.emit(resource, 'update', copy);
  }

  async get<T extends KubeObject>(resource: KubeResource, namespace: string, name: string): Promise<T | undefined> {
    this.record('get', resource, namespace, name);
    const object = this.store(resource).get(`${namespace}/${name}`);
    return object ? clone(object) as T : undefined;
  }

  async list<T extends KubeObject>(resource: KubeResource, namespace: string, labelSelector?: string): Promise<KubeObjectList<T>> {
    this.record('list', resource, namespace);
    const items = this.stored(resource, namespace === '*' ? undefined : namespace).filter((o) => matches(o, labelSelector));
    return { items: items.map(clone) as T[], metadata: { resourceVersion: String(this.version) } };
  }

  async create<T extends KubeObject>(resource: KubeResource, namespace: string, body: T): Promise<T> {
    this.record('create', resource, namespace, body.metadata?.name);
    const key = `${namespace}/${body.metadata!.name}`;
    if (this.store(resource).has(key)) throw kubeApiError(409, `${resource.plural} ${key} already exists`, 'AlreadyExists');
    const object = clone(body);
    object.metadata = { ...object.metadata, namespace, uid: `uid-${this.uids++}`, resourceVersion: String(this.version++), generation: 1 };
    this.store(resource).set(key, object);
    this.emit(resource, 'add', object);
    return clone(object) as T;
  }

  async replace<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, body: T): Promise<T> {
    return this.write('update', resource, namespace, name, body, (before, next) => {
      next.status = before.status;
      const specChanged = JSON.stringify(before.spec) !== JSON.stringify(next.spec);
      next.metadata!.generation = (before.metadata!.generation ?? 1) + (specChanged ? 1 : 0);
      return next;
    });
  }

  async replaceStatus<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, body: T): Promise<T> {
    return this.write('updateStatus', resource, namespace, name, body, (before, next) => ({ ...clone(before), status: next.status }));
  }

  async delete(resource: KubeResource, namespace: string, name: string): Promise<void> {
    this.record('delete', resource, namespace, name);
    const object = this.store(resource).get(`${namespace}/${name}`);
    if (!object) return;
    this.remove(resource, object);
  }

  informer<T extends KubeObject>(resource: KubeResource, namespace: string, labelSelector?: string): ObjectInformer<T> {
    const entry = { resource, namespace, selector: labelSelector, listeners: [] as Listener[], running: false };
    this.informers.push(entry);
    const visible = (ns?: string) => this.stored(resource, namespace === '*' ? ns : namespace)
      .filter((o) => (!ns || o.metadata?.namespace === ns) && matches(o, labelSelector));
    return {
      start: async () => {
        entry.running = true;
        await this.list(resource, namespace, labelSelector);
        for (const o of visible()) for (const l of entry.listeners) l('add', clone(o));
      },
      stop: async () => { entry.running = false; },
      get: (ns, name) => {
        const o = visible(ns).find((x) => x.metadata?.name === name);
        return o ? clone(o) as T : undefined;
      },
      list: (ns) => visible(ns).map(clone) as T[],
      on: (listener) => { entry.listeners.push(listener as Listener); },
    };
  }

  private async write<T extends KubeObject>(verb: 'update' | 'updateStatus', resource: KubeResource, namespace: string, name: string, body: T,
    merge: (before: KubeObject, next: KubeObject) => KubeObject): Promise<T> {
    this.record(verb, resource, namespace, name);
    const key = `${namespace}/${name}`;
    const before = this.store(resource).get(key);
    if (!before) throw kubeApiError(404, `${resource.plural} ${key} not found`, 'NotFound');
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== before.metadata!.resourceVersion) throw kubeApiError(409, `${resource.plural} ${key}: the object has been modified`, 'Conflict');
    const next = merge(before, clone(body));
    next.metadata = { ...next.metadata, namespace, name, uid: before.metadata!.uid, resourceVersion: String(this.version++) };
    if (verb === 'updateStatus') next.metadata.generation = before.metadata!.generation;
    this.store(resource).set(key, next);
    this.emit(resource, 'update', next);
    return clone(next) as T;
  }

  private remove(resource: KubeResource, object: KubeObject): void {
    this.store(resource).delete(`${object.metadata!.namespace}/${object.metadata!.name}`);
    this.emit(resource, 'delete', object);
    for (const [plural, objects] of this.objects) {
      for (const dependent of [...objects.values()]) {
        if (dependent.metadata?.ownerReferences?.some((ref) => ref.uid === object.metadata!.uid)) {
          this.remove({ plural, group: '', version: '', kind: '' }, dependent);
        }
      }
    }
  }

  private record(verb: FakeCall['verb'], resource: KubeResource, namespace: string, name?: string): void {
    this.calls.push({ verb, resource: resource.plural, namespace, name });
    const i = this.failures.findIndex((f) => f.verb === verb && f.resource === resource.plural);
    if (i >= 0) {
      const [failure] = this.failures.splice(i, 1);
      throw kubeApiError(failure!.statusCode, `injected ${failure!.statusCode} on ${verb} ${resource.plural}`);
    }
  }

  private emit(resource: KubeResource, event: InformerEvent, object: KubeObject): void {
    const copy = clone(object);
    for (const informer of this.informers) {
      if (!informer.running || informer.resource.plural !== resource.plural) continue;
      if (informer.namespace !== '*' && informer.namespace !== copy.metadata?.namespace) continue;
      if (!matches(copy, informer.selector)) continue;
      queueMicrotask(() => { for (const l of informer.listeners) l(event, clone(copy)); });
    }
  }

  private store(resource: KubeResource): Map<string, KubeObject> {
    let objects = this.objects.get(resource.plural);
    if (!objects) this.objects.set(resource.plural, objects = new Map());
    return objects;
  }
}

function matches(object: KubeObject, selector?: string): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=');
    return object.metadata?.labels?.[key!] === value;
  });
}

function clone<T>(value: T): T {
  return structuredClone(value);
}
