import type { KubeObject } from './kube-client.js';
import type { KubeResource } from './kube-resources.js';

export type InformerEvent = 'add' | 'update' | 'delete';

/**
 * A list+watch cache of one kind: the controller reads objects from it instead of asking
 * the API server, and hears of every change.
 */
export interface ObjectInformer<T extends KubeObject = KubeObject> {
  /** Lists, then watches; resolves once the first list is in the cache. */
  start(): Promise<void>;
  stop(): Promise<void>;
  get(namespace: string, name: string): T | undefined;
  /** Every cached object, or those of one namespace. */
  list(namespace?: string): readonly T[];
  on(listener: (event: InformerEvent, object: T) => void): void;
}

/** Makes informers; the real one list-watches the API server, tests use an in-memory cluster. */
export interface InformerFactory {
  /** An informer of `resource` in `namespace` (`'*'`: all), optionally narrowed by a label selector. */
  informer<T extends KubeObject>(resource: KubeResource, namespace: string, labelSelector?: string): ObjectInformer<T>;
}
