import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { KafkaEvent } from './records.js';

const message = (extra: Partial<KafkaMessage> = {}): KafkaMessage => ({
  key: Buffer.from('k'), value: Buffer.from('v'), timestamp: '1700000000000', attributes: 0, offset: '42', size: 0, headers: {}, ...extra,
} as unknown as KafkaMessage);

describe('KafkaEvent', () => {
  it('carries topic, partition, offset, key, body, timestamp and string headers', () => {
    const event = new KafkaEvent('ab-', 7, { kind: 'kafka-cluster', name: 'orders' }, 'orders', 3,
      message({ headers: { 'content-type': Buffer.from('application/json'), trace: [Buffer.from('a'), 'b'] } }));
    expect(event).toMatchObject({ id: 'ab-7', topic: 'orders', shardId: 3, offset: '42', method: 'POST', path: '/', contentType: 'application/json' });
    expect(event.key?.toString()).toBe('k');
    expect(event.body.toString()).toBe('v');
    expect(event.timestamp.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(event.headers).toEqual({ 'content-type': 'application/json', trace: ['a', 'b'] });
  });

  it('has an empty body for a null value and no key for a null key', () => {
    const event = new KafkaEvent('p-', 1, { kind: 'kafka', name: 't' }, 't', 0, message({ value: null, key: null, headers: undefined }));
    expect(event.body).toHaveLength(0);
    expect(event.key).toBeUndefined();
    expect(event.headers).toEqual({});
    expect(event.contentType).toBe('');
  });

  it('serialises every field, getters included', () => {
    const json = JSON.parse(JSON.stringify(new KafkaEvent('p-', 2, { kind: 'kafka', name: 't' }, 't', 1, message())));
    expect(json).toMatchObject({ id: 'p-2', topic: 't', shardId: 1, offset: '42', timestamp: '2023-11-14T22:13:20.000Z', headers: {} });
  });
});
