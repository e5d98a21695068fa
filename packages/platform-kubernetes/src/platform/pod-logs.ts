import type { V1Pod } from '@kubernetes/client-node';
import type { ClusterClient } from './cluster-client.js';

/** The container that runs the processor: the pod's first (sidecars come after it). */
export function processorContainer(pod: V1Pod): string {
  return pod.spec?.containers?.[0]?.name ?? '';
}

/**
 * The last `count` log lines of the pod most worth reading after a failed deploy: the first
 * one that is not ready (its previous instance's when it crashed and restarted), else the
 * first. Empty when there is none or the log cannot be read: logs are a courtesy in an error.
 */
export async function failureLogTail(client: ClusterClient, namespace: string, pods: readonly V1Pod[], count = 20): Promise<{ pod?: string; lines: string[] }> {
  const ready = (pod: V1Pod): boolean => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  const pod = pods.find((p) => !ready(p)) ?? pods[0];
  if (!pod?.metadata?.name) return { lines: [] };
  const container = processorContainer(pod);
  const read = async (previous: boolean): Promise<string[]> => {
    try {
      return splitLines(await client.readPodLog(namespace, pod.metadata!.name!, container, { tailLines: count, previous }));
    } catch {
      return [];
    }
  };
  let lines = await read(false);
  const restarted = (pod.status?.containerStatuses ?? []).some((c) => (c.restartCount ?? 0) > 0);
  if (lines.length === 0 && restarted) lines = await read(true);
  return { pod: pod.metadata.name, lines: lines.slice(-count) };
}

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/**
 * Every pod's log lines, oldest first per pod; each line prefixed with `[pod] ` when there is
 * more than one pod. With `follow`, the pods' streams run at once and their lines interleave
 * as they come, until `signal` aborts or every stream ends.
 */
export async function* podLogLines(
  client: ClusterClient, namespace: string, pods: readonly V1Pod[], follow: boolean, signal?: AbortSignal,
): AsyncGenerator<string> {
  const named = pods.filter((p) => p.metadata?.name);
  const prefix = (pod: V1Pod): string => (named.length > 1 ? `[${pod.metadata!.name}] ` : '');
  if (!follow) {
    for (const pod of named) {
      const text = await client.readPodLog(namespace, pod.metadata!.name!, processorContainer(pod));
      for (const line of splitLines(text)) yield prefix(pod) + line;
    }
    return;
  }
  if (signal?.aborted) return;
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    yield* merge(named.map((pod) => linesOf(client.followPodLog(namespace, pod.metadata!.name!, processorContainer(pod), controller.signal), prefix(pod))));
  } finally {
    signal?.removeEventListener('abort', stop);
    controller.abort();
  }
}

/** Chunks of text as whole lines, with a prefix; the unterminated rest at the end. */
async function* linesOf(chunks: AsyncIterable<string>, prefix: string): AsyncGenerator<string> {
  let partial = '';
  for await (const chunk of chunks) {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) yield prefix + line;
  }
  if (partial !== '') yield prefix + partial;
}

/** Several line streams as one, in the order lines arrive. */
async function* merge(sources: AsyncGenerator<string>[]): AsyncGenerator<string> {
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<string> }>>();
  const next = (index: number): void => {
    pending.set(index, sources[index]!.next().then((result) => ({ index, result })));
  };
  sources.forEach((_, index) => next(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
      } else {
        next(index);
        yield result.value;
      }
    }
  } finally {
    // Not awaited: a source blocked on its stream settles only once the caller aborts it.
    for (const source of sources) source.return(undefined).catch(() => undefined);
  }
}
