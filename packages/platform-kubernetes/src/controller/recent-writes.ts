import type { KubeObject } from './kube-client.js';
import type { KubeResource } from './kube-resources.js';

/**
 * What this controller last wrote, per object, until its informer has caught up. A reconcile
 * that runs between our write and the watch event would otherwise judge by the stale cached
 * copy (create again, or update with an old resourceVersion and get a 409). Our copy is
 * used only while the cache still shows the version we replaced (or nothing, after a
 * create); once the cache moves on, by our event or anyone else's write, the cache wins.
 */
export class RecentWrites {
  private readonly written = new Map<string, { object: KubeObject; replacedVersion?: string }>();

  /** We wrote `object`, replacing `previous` (absent for a create). */
  remember(resource: KubeResource, object: KubeObject, previous?: KubeObject): void {
    this.written.set(keyOf(resource, object.metadata?.namespace ?? '', object.metadata?.name ?? ''), {
      object, replacedVersion: previous?.metadata?.resourceVersion,
    });
  }

  /** The informer delivered `object`: its cache is at least as fresh as our write. */
  caughtUp(resource: KubeResource, object: KubeObject): void {
    this.written.delete(keyOf(resource, object.metadata?.namespace ?? '', object.metadata?.name ?? ''));
  }

  /** Our own write while the cache has not caught up with it, else the cached copy. */
  freshest<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, cached: T | undefined): T | undefined {
    const key = keyOf(resource, namespace, name);
    const entry = this.written.get(key);
    if (!entry) return cached;
    if (cached?.metadata?.resourceVersion === entry.replacedVersion) return entry.object as T;
    this.written.delete(key);
    return cached;
  }
}

function keyOf(resource: KubeResource, namespace: string, name: string): string {
  return `${resource.plural}/${namespace}/${name}`;
}
