import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { noopLogger } from '@nucleon/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiCallCounter, countingClient } from './api-calls.js';
import { PODS } from './kube-resources.js';
import { listWatchInformers } from './list-watch-informers.js';
import { restKubeClient } from './rest-client.js';

const pod = (name: string, rv: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns', resourceVersion: rv } });

let server: Server;
let lists: string[][];
let watches: Array<(res: import('node:http').ServerResponse, query: URLSearchParams) => void>;
let seenWatchQueries: URLSearchParams[];

beforeEach(async () => {
  seenWatchQueries = [];
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.searchParams.get('watch') === 'true') {
      seenWatchQueries.push(url.searchParams);
      const next = watches.shift();
      if (next) return next(res, url.searchParams);
      return void res.writeHead(200, { 'content-type': 'application/json' }); // stays open, quiet
    }
    const names = lists.length > 1 ? lists.shift()! : lists[0]!;
    res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ kind: 'PodList', metadata: { resourceVersion: '10' }, items: names.map((n) => ({ metadata: { name: n, namespace: 'ns', resourceVersion: '5' } })) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function informer(counter: ApiCallCounter) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x',
  });
  return listWatchInformers(kc, countingClient(restKubeClient(kc), counter), counter, noopLogger).informer(PODS, 'ns', 'app=x');
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('listWatchInformers', () => {
  it('lists, watches from the list version, restarts after a failed watch, and relists after 410 Gone', async () => {
    lists = [['a'], ['a', 'c']];
    watches = [
      (res) => { res.writeHead(200).write(JSON.stringify({ type: 'ADDED', object: pod('b', '11') }) + '\n'); res.end(); },
      (res) => { res.writeHead(500).end('{}'); },
      (res) => { res.writeHead(200).end(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, message: 'too old' } }) + '\n'); },
    ];
    const counter = new ApiCallCounter();
    const pods = informer(counter);
    const events: string[] = [];
    pods.on((event, object) => events.push(`${event} ${object.metadata!.name}`));
    await pods.start();
    expect(pods.get('ns', 'a')).toMatchObject({ kind: 'Pod', apiVersion: 'v1' }); // list items get their kind
    await until(() => pods.get('ns', 'c') !== undefined);
    await pods.stop();
    expect(events).toEqual(['add a', 'add b', 'delete b', 'add c']);
    expect(seenWatchQueries[0]!.get('resourceVersion')).toBe('10');
    expect(seenWatchQueries[0]!.get('labelSelector')).toBe('app=x');
    expect(seenWatchQueries[0]!.get('timeoutSeconds')).toBe('300');
    expect(counter.stats().byVerb.list).toEqual({ pods: 2 });
    expect(counter.stats().byVerb.watch!.pods).toBeGreaterThanOrEqual(4);
  });
});
