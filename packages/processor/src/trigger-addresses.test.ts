import { describe, expect, it } from 'vitest';
import { triggerAddresses } from './trigger-addresses.js';

describe('triggerAddresses', () => {
  it('gives one http URL per listening HTTP trigger, in order, with the bound port', () => {
    expect(triggerAddresses([
      { name: 'a', kind: 'http', address: { host: '127.0.0.1', port: 8080 } },
      { name: 'b', kind: '@nucleon/trigger-http', address: { host: '127.0.0.1', port: 41234 } },
    ])).toEqual([
      { trigger: 'a', kind: 'http', url: 'http://127.0.0.1:8080' },
      { trigger: 'b', kind: '@nucleon/trigger-http', url: 'http://127.0.0.1:41234' },
    ]);
  });

  it('leaves out triggers that listen nowhere and brackets IPv6 hosts', () => {
    expect(triggerAddresses([
      { name: 'events', kind: 'kafka-cluster', address: undefined },
      { name: 'v6', kind: 'http', address: { host: '::1', port: 9000 } },
    ])).toEqual([{ trigger: 'v6', kind: 'http', url: 'http://[::1]:9000' }]);
  });

  it('gives a tcp URL to any other trigger that listens', () => {
    expect(triggerAddresses([{ name: 'raw', kind: 'my-socket-trigger', address: { host: '0.0.0.0', port: 7000 } }]))
      .toEqual([{ trigger: 'raw', kind: 'my-socket-trigger', url: 'tcp://0.0.0.0:7000' }]);
  });
});
