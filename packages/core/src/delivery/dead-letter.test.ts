import { describe, expect, it } from 'vitest';
import { createError, ErrorCodes } from '../errors.js';
import { createTestEvent } from '../testing/test-event.js';
import { createDeadLetter, DEAD_LETTER_ERROR_MAX_CHARS, encodeDeadLetter } from './dead-letter.js';

const first = new Date('2025-01-01T00:00:00.000Z');
const last = new Date('2025-01-01T00:00:01.500Z');

describe('encodeDeadLetter', () => {
  it('keeps body, key and headers and adds the x-nucleon headers', () => {
    const event = createTestEvent({
      body: Buffer.from([9, 0, 9]), key: Buffer.from('k1'), topic: 'orders', shardId: 2, offset: '17',
      headers: { 'x-tenant': 'acme', 'x-nucleon-attempts': '1', multi: ['a', 'b'], gone: undefined },
      trigger: { kind: 'kafka-cluster', name: 'orders' }, contentType: 'application/octet-stream',
    });
    const letter = createDeadLetter(event, 'orders-dlq', createError(ErrorCodes.HANDLER_FAILED, 'handler failed:\nbad'), 3, first, last);
    const encoded = encodeDeadLetter(letter);
    expect(encoded.body.equals(Buffer.from([9, 0, 9]))).toBe(true);
    expect(encoded.key?.toString()).toBe('k1');
    expect(encoded.headers).toEqual({
      'x-tenant': 'acme', multi: ['a', 'b'],
      'x-nucleon-error': 'handler failed: bad', 'x-nucleon-error-code': ErrorCodes.HANDLER_FAILED,
      'x-nucleon-attempts': '3', 'x-nucleon-source-trigger': 'kafka-cluster/orders',
      'x-nucleon-source-topic': 'orders', 'x-nucleon-source-partition': '2', 'x-nucleon-source-offset': '17',
      'x-nucleon-source-event-id': event.id,
      'x-nucleon-first-failed-at': first.toISOString(), 'x-nucleon-last-failed-at': last.toISOString(),
      'content-type': 'application/octet-stream',
    });
  });

  it('cuts a long error message and keeps the original content type header', () => {
    const event = createTestEvent({ headers: { 'Content-Type': 'text/csv' } });
    const encoded = encodeDeadLetter(createDeadLetter(event, 'dlq', 'x'.repeat(5000), 1, first, last));
    expect(encoded.headers['x-nucleon-error']).toHaveLength(DEAD_LETTER_ERROR_MAX_CHARS);
    expect(encoded.headers['x-nucleon-error-code']).toBeUndefined();
    expect(encoded.headers['Content-Type']).toBe('text/csv');
    expect(encoded.headers['content-type']).toBeUndefined();
    expect(encoded.key).toBeUndefined();
  });
});
