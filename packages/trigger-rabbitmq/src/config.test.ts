import { describe, expect, it } from 'vitest';
import { isNucleonError, ErrorCodes, validateAttributes } from '@nucleon/core';
import { rabbitmqAttributes } from './attributes.js';
import { readRabbitSettings, redactUrl } from './config.js';
import { toEventHeaders } from './rabbitmq-trigger.js';

const read = (attributes: Record<string, unknown>, extra: { url?: string; numWorkers?: number } = {}) => {
  const validated = validateAttributes('spec.triggers.orders', '@nucleon/trigger-rabbitmq', rabbitmqAttributes, attributes);
  return readRabbitSettings('orders', { kind: 'rabbit-mq', workerAvailabilityTimeoutMilliseconds: 1000, attributes: validated.attributes, ...extra });
};

describe('readRabbitSettings', () => {
  it('applies the defaults: durable, prefetch = numWorkers, topic exchange', () => {
    expect(read({ url: 'amqp://guest:secret@127.0.0.1:5672', queueName: 'q', exchangeName: 'x', topics: ['a.*'] }, { numWorkers: 4 }))
      .toMatchObject({ queueName: 'q', exchangeName: 'x', topics: ['a.*'], prefetchCount: 4, durableQueue: true,
        durableExchange: true, exchangeType: 'topic', safeUrl: 'amqp://guest:***@127.0.0.1:5672', reconnectIntervalMs: 15_000 });
  });

  it('takes the trigger-level url (Nuclio) when the attribute is absent', () => {
    expect(read({ queueName: 'q' }, { url: 'amqp://127.0.0.1' }).url).toBe('amqp://127.0.0.1');
  });

  it('refuses a missing url, a missing queue and topics without an exchange, naming the attributes', () => {
    try {
      read({ topics: ['a'] });
      expect.unreachable();
    } catch (err) {
      expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
      const paths = (err as { details: { problems: Array<{ path: string }> } }).details.problems.map((p) => p.path);
      expect(paths).toEqual(['spec.triggers.orders.attributes.url', 'spec.triggers.orders.attributes.exchangeName']);
      expect((err as Error).message).toContain('trigger orders');
    }
    expect(() => read({ url: 'amqp://h' })).toThrow(/queueName/);
    expect(() => read({ url: 'http://h', queueName: 'q' })).toThrow(/amqp:\/\//);
  });
});

describe('helpers', () => {
  it('redacts passwords', () => {
    expect(redactUrl('amqp://u:p@h:1/v')).toBe('amqp://u:***@h:1/v');
    expect(redactUrl('amqp://h')).toBe('amqp://h');
  });

  it('turns AMQP header values into strings', () => {
    expect(toEventHeaders({ a: 'x', n: 3, b: Buffer.from('buf'), l: [1, 'two'], t: { k: 1 }, z: null }))
      .toEqual({ a: 'x', n: '3', b: 'buf', l: ['1', 'two'], t: '{"k":1}' });
  });
});
