import { describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';
import { firstDelivery } from './backlog.js';

describe('firstDelivery', () => {
  it('gives a consumer created now what its deliver policy would hand it', () => {
    expect(firstDelivery('all', [3, 0, 4])).toBe(7);
    expect(firstDelivery('new', [3, 4])).toBe(0);
    expect(firstDelivery('last', [3, 4])).toBe(1);
    expect(firstDelivery('last', [])).toBe(0);
    expect(firstDelivery('last_per_subject', [3, 0, 4])).toBe(2);
  });
});

describe('nats backlog probe', () => {
  it('says, without connecting, that core NATS keeps nothing for an absent subscriber', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'nats', attributes: { url: 'nats://127.0.0.1:1', topic: 'orders.>' } });
    expect(await plugin.backlog?.(options)).toEqual({ pending: 0, detail: 'core NATS keeps nothing for an absent subscriber' });
  });
  it('refuses a bad configuration before connecting', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'nats', attributes: { url: 'nats://127.0.0.1:1', topic: 'bad subject' } });
    await expect(plugin.backlog?.(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_INVALID_CONFIG', message: expect.stringContaining('topic') });
  });
});
