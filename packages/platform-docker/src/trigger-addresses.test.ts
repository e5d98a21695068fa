import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerInspectInfo } from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { readLabels, labelsFor } from './labels.js';
import { reachableAddresses, recordedAddresses, reportedAddresses } from './trigger-addresses.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A stand-in admin server answering /addresses with `status` and `body`. */
async function admin(status: number, body: string, delayMs = 0): Promise<number> {
  server = createServer((req, res) => {
    setTimeout(() => res.writeHead(req.url === '/addresses' ? status : 404, { 'content-type': 'application/json' }).end(body), delayMs);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const A = { trigger: 'a', kind: 'http', url: 'http://127.0.0.1:41001' };
const B = { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:42002' };

describe('reportedAddresses', () => {
  it('reads the processor\'s /addresses', async () => {
    expect(await reportedAddresses(await admin(200, JSON.stringify({ addresses: [A, B] })))).toEqual([A, B]);
  });

  it('is undefined for a processor without /addresses, a malformed answer, or no answer in time', async () => {
    expect(await reportedAddresses(await admin(404, 'not found'))).toBeUndefined();
    await new Promise((resolve) => server!.close(resolve));
    expect(await reportedAddresses(await admin(200, JSON.stringify({ addresses: [{ trigger: 'a' }] })))).toBeUndefined();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    expect(await reportedAddresses(await admin(200, JSON.stringify({ addresses: [A] }), 2000), 200)).toBeUndefined();
    expect(await reportedAddresses(0)).toBeUndefined();
  });
});

function inspect(networkMode: string, ports: Record<string, Array<{ HostIp: string; HostPort: string }>> = {}): ContainerInspectInfo {
  return { HostConfig: { NetworkMode: networkMode }, NetworkSettings: { Ports: ports } } as unknown as ContainerInspectInfo;
}

describe('reachableAddresses', () => {
  it('keeps the reported addresses on the host network', () => {
    expect(reachableAddresses([A, B], inspect('host'))).toEqual([A, B]);
  });

  it('in bridge mode maps container ports to the published host addresses and leaves out unpublished ones', () => {
    const inner = [
      { trigger: 'a', kind: 'http', url: 'http://0.0.0.0:8080' }, { trigger: 'b', kind: 'http', url: 'http://0.0.0.0:9000' },
      { trigger: 'c', kind: 'http', url: 'http://0.0.0.0:37111' },
    ];
    const ports = { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '41001' }], '9000/tcp': [{ HostIp: '127.0.0.1', HostPort: '41003' }] };
    expect(reachableAddresses(inner, inspect('bridge', ports))).toEqual([
      { trigger: 'a', kind: 'http', url: 'http://127.0.0.1:41001' }, { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:41003' },
    ]);
  });
});

describe('recordedAddresses', () => {
  const labels = (triggers: Record<string, unknown>, hasHttpTrigger = true) => readLabels(labelsFor({
    name: 'f', runtime: 'nodejs', handler: 'main:handler', httpPort: 41001, adminPort: 41002, createdAt: '', image: 'fn:1', hasHttpTrigger, staleAfter: '',
    config: validateFunctionConfig({ metadata: { name: 'f' }, spec: { runtime: 'nodejs', image: 'fn:1', triggers } }).config,
  }))!;

  it('is the first HTTP trigger on the recorded port', () => {
    expect(recordedAddresses(labels({ web: { kind: 'http' }, b: { kind: 'http' } }))).toEqual([{ trigger: 'web', kind: 'http', url: 'http://127.0.0.1:41001' }]);
    expect(recordedAddresses(labels({}))).toEqual([{ trigger: 'default-http', kind: 'http', url: 'http://127.0.0.1:41001' }]);
  });

  it('is empty for a function without HTTP', () => {
    expect(recordedAddresses(labels({ tick: { kind: 'cron', attributes: { interval: '1m' } } }, false))).toEqual([]);
  });
});
