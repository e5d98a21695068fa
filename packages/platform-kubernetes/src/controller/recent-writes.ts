import type { KubeObject } from './kube-client.js';
import type { KubeResource } from './kube-resources.js';

/**
 * What this controller last wrote, per object, until its informer has caught up. A reconcile
 * that runs between our write and the watch event would otherwise judge by the stale cached
 * copy (create again, or update with an old resourceVersion and get a 409). An entry is
 * dropped at the first informer event for its object, so the cache is trusted again from then.
 */
export class RecentWrites {
  private readonly written = new Map<string, KubeObject>();

  remember(resource: KubeResource, object: KubeObject): void {
    this.written.set(keyOf(resource, object.metadata?.namespace ?? '', object.metadata?.name ?? ''), object);
  }

  /** The informer delivered `object`: from now on its cache is at least as fresh as our write. */
  caughtUp(resource: KubeResource, object: KubeObject): void {
    this.written.delete(keyOf(resource, object.metadata?.namespace ?? '', object.metadata?.name ?? ''));
  }

  /** Our own write when it is newer than the cache can be, else the cached copy. */
  freshest<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, cached: T | undefined): T | undefined {
    return (this.written.get(keyOf(resource, namespace, name)) as T | undefined) ?? cached;
  }
}

function keyOf(resource: KubeResource, namespace: string, name: string): string {
  return `${resource.plural}/${namespace}/${name}`;
}
