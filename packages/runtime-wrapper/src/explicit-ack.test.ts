import { describe, expect, it } from 'vitest';
import { createTestEvent, InMemoryLogger } from '@nucleon/core/testing';
import { eventMeta } from './event-codec.js';
import { ackFromWrapper } from './explicit-ack.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('ackFromWrapper', () => {
  it('calls the event\'s ack once per ACK and logs nothing', async () => {
    let acks = 0;
    const logger = new InMemoryLogger();
    ackFromWrapper(createTestEvent({ ack: async () => { acks += 1; } }), logger);
    await flush();
    expect(acks).toBe(1);
    expect(logger.records).toEqual([]);
  });

  it('warns, without throwing, for an event that has no ack (HTTP, explicitAckMode: disable)', () => {
    const logger = new InMemoryLogger();
    const event = createTestEvent();
    expect(() => ackFromWrapper(event, logger)).not.toThrow();
    expect(logger.records).toEqual([expect.objectContaining({
      level: 'warn', message: expect.stringContaining('cannot be acknowledged'), fields: expect.objectContaining({ eventId: event.id }),
    })]);
  });

  it.each([
    ['rejects', async () => { throw new Error('channel closed'); }],
    ['throws synchronously', () => { throw new Error('channel closed'); }],
  ])('logs an ack that %s and carries on', async (_how, ack) => {
    const logger = new InMemoryLogger();
    expect(() => ackFromWrapper(createTestEvent({ ack: ack as () => Promise<void> }), logger)).not.toThrow();
    await flush();
    expect(logger.records).toEqual([expect.objectContaining({
      level: 'warn', message: 'explicit ack failed', fields: expect.objectContaining({ error: 'channel closed' }),
    })]);
  });
});

describe('EVENT meta explicitAck', () => {
  it('is true only for an event the handler may ack', () => {
    expect(eventMeta(createTestEvent({ ack: async () => undefined })).explicitAck).toBe(true);
    expect(eventMeta(createTestEvent())).not.toHaveProperty('explicitAck');
  });
});
