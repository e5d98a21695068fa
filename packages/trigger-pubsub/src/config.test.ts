import { describe, expect, it } from 'vitest';
import type { TriggerConfig } from '@nucleon/core';
import { readPubSubSettings, subscriptionId } from './config.js';

const EMU = { PUBSUB_EMULATOR_HOST: '127.0.0.1:8085' };

function config(attributes: Record<string, unknown>, numWorkers?: number): TriggerConfig {
  return { kind: 'pubsub', workerAvailabilityTimeoutMilliseconds: 10_000, attributes, ...(numWorkers ? { numWorkers } : {}) };
}

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('readPubSubSettings', () => {
  it('names shared subscriptions <idPrefix><topic>[-<idSuffix>] and per-replica ones with a replica id', () => {
    expect(subscriptionId({ topic: 'orders', shared: true }, 'r1')).toBe('orders');
    expect(subscriptionId({ topic: 'orders', idPrefix: 'nuclio-', idSuffix: 'fn', shared: true }, 'r1')).toBe('nuclio-orders-fn');
    expect(subscriptionId({ topic: 'orders', shared: false }, 'r1')).toBe('orders-r1');
  });

  it('uses NUCLEON_REPLICA_ID for per-replica names (kept across restarts), else a random id deleted on stop', () => {
    const fixed = readPubSubSettings('t', config({ projectID: 'p1', subscriptions: [{ topic: 'orders' }] }), { ...EMU, NUCLEON_REPLICA_ID: 'pod-7' });
    expect(fixed.subscriptions[0]).toMatchObject({ id: 'orders-pod-7', ephemeral: false });
    const random = readPubSubSettings('t', config({ projectID: 'p1', subscriptions: [{ topic: 'orders' }] }), EMU);
    expect(random.subscriptions[0]?.id).toMatch(/^orders-[0-9a-f]{20}$/);
    expect(random.subscriptions[0]?.ephemeral).toBe(true);
  });

  it('defaults maxNumWorkers to numWorkers and ackDeadline to the trigger level, then 10s', () => {
    const s = readPubSubSettings('t', config({
      projectID: 'p1', ackDeadline: '30s', subscriptions: [{ topic: 'aaa', shared: true }, { topic: 'bbb', shared: true, maxNumWorkers: 2, ackDeadline: '1m' }],
    }, 4), EMU);
    expect(s.subscriptions.map((x) => [x.maxNumWorkers, x.ackDeadlineSeconds])).toEqual([[4, 30], [2, 60]]);
    expect(readPubSubSettings('t', config({ projectID: 'p1', subscriptions: [{ topic: 'aaa' }] }), EMU).subscriptions[0]?.ackDeadlineSeconds).toBe(10);
    expect(s.emulatorHost).toBe('127.0.0.1:8085');
  });

  it('reports every problem at once, with paths', () => {
    const text = problems(() => readPubSubSettings('orders', config({
      subscriptions: [{ topic: 'x' }, 'nope', { topic: 'okay', maxNumWorkers: 0, ackDeadline: '0.5s', extra: 1 }],
      onExhausted: 'dead-letter',
    }), {}));
    for (const path of ['projectID', 'credentials', 'subscriptions[0].topic', 'subscriptions[1]', 'subscriptions[2].maxNumWorkers',
      'subscriptions[2].ackDeadline', 'subscriptions[2].extra', 'onExhausted']) {
      expect(text).toContain(`spec.triggers.orders.attributes.${path}`);
    }
  });

  it('refuses two entries that name the same subscription', () => {
    expect(problems(() => readPubSubSettings('t', config({ projectID: 'p1', subscriptions: [{ topic: 'aaa', shared: true }, { topic: 'aaa', shared: true }] }), EMU)))
      .toContain('subscriptions[1]: repeats subscription aaa');
  });

  it('accepts credentials.contents or noCredentials without an emulator', () => {
    const key = JSON.stringify({ type: 'service_account', client_email: 'a@b', private_key: 'k' });
    expect(readPubSubSettings('t', config({ projectID: 'p1', credentials: { contents: key }, subscriptions: [{ topic: 'aaa' }] }), {}).credentials)
      .toMatchObject({ type: 'service_account' });
    expect(readPubSubSettings('t', config({ projectID: 'p1', noCredentials: true, subscriptions: [{ topic: 'aaa' }] }), {}).noCredentials).toBe(true);
    expect(problems(() => readPubSubSettings('t', config({ projectID: 'p1', credentials: { contents: '{' }, subscriptions: [{ topic: 'aaa' }] }), {})))
      .toContain('attributes.credentials.contents: is not JSON');
  });
});
