import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '@nucleon/core';
import { decodeKinesisDeadLetter, encodeKinesisDeadLetter } from './dead-letter.js';

describe('Kinesis dead-letter envelope', () => {
  it('carries the original bytes, partition key and x-nucleon headers in JSON', () => {
    const letter: DeadLetter = {
      target: 'dlq', body: Buffer.from([0, 255, 10]), contentType: '', headers: {},
      error: { message: 'boom\nline two', code: 'NUCLEON_ERR_HANDLER_FAILED' }, attempts: 3,
      source: { trigger: { kind: 'kinesis', name: 'orders' }, topic: 'events', shardId: 'shardId-000000000001', offset: '123', key: Buffer.from('k1'), eventId: 'e-1' },
      firstFailedAt: new Date(0), lastFailedAt: new Date(1000),
    };
    const { data, partitionKey } = encodeKinesisDeadLetter(letter);
    expect(partitionKey).toBe('k1');
    const back = decodeKinesisDeadLetter(data)!;
    expect(back.body).toEqual(Buffer.from([0, 255, 10]));
    expect(back.partitionKey).toBe('k1');
    expect(back.headers).toMatchObject({
      'x-nucleon-error': 'boom line two', 'x-nucleon-attempts': '3', 'x-nucleon-source-trigger': 'kinesis/orders',
      'x-nucleon-source-topic': 'events', 'x-nucleon-source-partition': 'shardId-000000000001', 'x-nucleon-source-offset': '123',
    });
    expect(decodeKinesisDeadLetter(Buffer.from('plain'))).toBeUndefined();
  });
});
