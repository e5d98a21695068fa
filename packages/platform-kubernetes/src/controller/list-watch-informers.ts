import { ListWatch, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '@nucleon/core';
import type { ApiCallCounter } from './api-calls.js';
import type { InformerEvent, InformerFactory, ObjectInformer } from './informer.js';
import type { KubeClient, KubeObject, KubeObjectList } from './kube-client.js';
import { apiVersionOf, collectionPath, type KubeResource } from './kube-resources.js';

/** How long the server keeps one watch open; client-node's inactivity timer is set past it. */
const WATCH_TIMEOUT_SECONDS = 300;
const RESTART_DELAY_MS = { first: 1_000, max: 30_000 };

/**
 * Informers over client-node's `ListWatch`: list, then watch from the list's
 * resourceVersion, relist on 410 Gone. ListWatch gives up on other errors (a dropped
 * connection, a 5xx, the CRD not yet installed), so each informer here restarts it with
 * backoff. Lists go through `client` (counted there); each watch request is counted as
 * `watch` in `counter`.
 */
export function listWatchInformers(kubeConfig: KubeConfig, client: KubeClient, counter: ApiCallCounter, logger: Logger): InformerFactory {
  return {
    informer<T extends KubeObject>(resource: KubeResource, namespace: string, labelSelector?: string): ObjectInformer<T> {
      return new RestartingInformer<T>(kubeConfig, client, counter, logger, resource, namespace, labelSelector);
    },
  };
}

class RestartingInformer<T extends KubeObject> implements ObjectInformer<T> {
  private readonly listWatch: ListWatch<T>;
  private readonly listeners: Array<(event: InformerEvent, object: T) => void> = [];
  private stopped = false;
  private restartDelayMs = RESTART_DELAY_MS.first;
  private restartTimer?: NodeJS.Timeout;
  private firstList?: { resolve: () => void; reject: (err: unknown) => void };

  constructor(
    kubeConfig: KubeConfig, client: KubeClient, counter: ApiCallCounter, private readonly logger: Logger,
    private readonly resource: KubeResource, namespace: string, labelSelector?: string,
  ) {
    const watch = new Watch(kubeConfig);
    // The server ends each watch after WATCH_TIMEOUT_SECONDS; client-node's own 30 s
    // inactivity timeout would otherwise reconnect every quiet watch twice a minute.
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = (WATCH_TIMEOUT_SECONDS + 30) * 1000;
    const countedWatch = {
      watch: (path: string, query: Record<string, string | number | boolean | undefined>, callback: (phase: string, obj: unknown) => void, done: (err: unknown) => void) => {
        counter.record('watch', resource.plural);
        return watch.watch(path, { ...query, timeoutSeconds: WATCH_TIMEOUT_SECONDS, allowWatchBookmarks: true }, callback, done);
      },
    } as unknown as Watch;
    const list = async (): Promise<KubeObjectList<T>> => {
      const result = await client.list<T>(resource, namespace, labelSelector);
      // List items come without apiVersion/kind; give them the ones watch events carry.
      for (const item of result.items) {
        item.apiVersion ??= apiVersionOf(resource);
        item.kind ??= resource.kind;
      }
      this.restartDelayMs = RESTART_DELAY_MS.first;
      // ListWatch fills its cache after this returns; report "listed" once it has.
      const firstList = this.firstList;
      this.firstList = undefined;
      if (firstList) setImmediate(firstList.resolve);
      return result;
    };
    this.listWatch = new ListWatch<T>(collectionPath(resource, namespace), countedWatch, list as never, false, labelSelector);
    this.listWatch.on('add', (obj) => this.emit('add', obj));
    this.listWatch.on('update', (obj) => this.emit('update', obj));
    this.listWatch.on('delete', (obj) => this.emit('delete', obj));
    this.listWatch.on('error', (err) => this.restartLater(err));
  }

  start(): Promise<void> {
    this.stopped = false;
    const listed = new Promise<void>((resolve, reject) => { this.firstList = { resolve, reject }; });
    void this.listWatch.start();
    return listed;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    this.firstList?.reject(new Error(`informer for ${this.resource.plural} stopped before its first list`));
    this.firstList = undefined;
    await this.listWatch.stop();
  }

  get(namespace: string, name: string): T | undefined {
    return this.listWatch.get(name, namespace);
  }

  list(namespace?: string): readonly T[] {
    return this.listWatch.list(namespace);
  }

  on(listener: (event: InformerEvent, object: T) => void): void {
    this.listeners.push(listener);
  }

  private emit(event: InformerEvent, object: T): void {
    for (const listener of this.listeners) listener(event, object);
  }

  private restartLater(err: unknown): void {
    if (this.stopped) return;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(RESTART_DELAY_MS.max, delay * 2);
    this.logger.warnWith(`watch of ${this.resource.plural} failed; restarting in ${delay} ms`, { error: String((err as Error)?.message ?? err) });
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => {
      if (!this.stopped) void this.listWatch.start();
    }, delay);
    this.restartTimer.unref();
  }
}
