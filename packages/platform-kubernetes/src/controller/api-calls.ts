import type { ApiVerb, KubeClient } from './kube-client.js';
import type { KubeResource } from './kube-resources.js';

const WRITE_VERBS: readonly ApiVerb[] = ['create', 'update', 'patch', 'delete'];

/** API calls made, by verb and then by resource plural: `{ get: { deployments: 3 } }`. */
export interface ApiCallStats {
  byVerb: Partial<Record<ApiVerb, Record<string, number>>>;
  /** create + update + patch + delete, every resource. */
  writes: number;
  /** get + list + watch, every resource. */
  reads: number;
}

/**
 * Counts the controller's API calls, so tests and the bench can assert what a reconcile
 * costs ("0 writes on a no-op resync") and `/metrics` can show it.
 */
export class ApiCallCounter {
  private readonly counts = new Map<string, number>();

  record(verb: ApiVerb, resource: string): void {
    const key = `${verb} ${resource}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  stats(): ApiCallStats {
    const stats: ApiCallStats = { byVerb: {}, writes: 0, reads: 0 };
    for (const [key, count] of this.counts) {
      const [verb, resource] = key.split(' ') as [ApiVerb, string];
      (stats.byVerb[verb] ??= {})[resource] = count;
      if (WRITE_VERBS.includes(verb)) stats.writes += count;
      else stats.reads += count;
    }
    return stats;
  }

  /** Prometheus text lines: `nucleon_controller_api_calls_total{verb="get",resource="deployments"} 3`. */
  prometheus(): string {
    const lines = [
      '# HELP nucleon_controller_api_calls_total Kubernetes API calls made by the controller.',
      '# TYPE nucleon_controller_api_calls_total counter',
    ];
    for (const [key, count] of [...this.counts].sort(([a], [b]) => a.localeCompare(b))) {
      const [verb, resource] = key.split(' ');
      lines.push(`nucleon_controller_api_calls_total{verb="${verb}",resource="${resource}"} ${count}`);
    }
    return lines.join('\n') + '\n';
  }
}

/** `client` with every call counted in `counter` under its verb and the resource's plural. */
export function countingClient(client: KubeClient, counter: ApiCallCounter): KubeClient {
  const counted = <A extends unknown[], R>(verb: ApiVerb, call: (resource: KubeResource, ...args: A) => Promise<R>) =>
    (resource: KubeResource, ...args: A): Promise<R> => {
      counter.record(verb, resource.plural);
      return call(resource, ...args);
    };
  return {
    get: counted('get', client.get.bind(client)) as KubeClient['get'],
    list: counted('list', client.list.bind(client)) as KubeClient['list'],
    create: counted('create', client.create.bind(client)) as KubeClient['create'],
    replace: counted('update', client.replace.bind(client)) as KubeClient['replace'],
    replaceStatus: ((resource, ...args) => {
      counter.record('update', `${resource.plural}/status`);
      return client.replaceStatus(resource, ...args);
    }) as KubeClient['replaceStatus'],
    delete: counted('delete', client.delete.bind(client)),
  };
}
