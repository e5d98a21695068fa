import type { ContainerInspectInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { readLabels, labelsFor } from './labels.js';
import { reachableAddresses, recordedAddresses } from './trigger-addresses.js';

const A = { trigger: 'a', kind: 'http', url: 'http://127.0.0.1:41001' };
const B = { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:42002' };

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
