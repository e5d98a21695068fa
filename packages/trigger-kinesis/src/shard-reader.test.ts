import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { createDeliveryPolicy, type Event, type EventCallback, type Logger } from '@nucleon/core';
import { FileCheckpointStore } from './checkpoint-store.js';
import { ShardReader, type ShardReaderHost } from './shard-reader.js';

const quiet = { debugWith() {}, infoWith() {}, warnWith() {}, errorWith() {} } as unknown as Logger;
const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
const expired = Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' });
const record = (n: number) => ({ SequenceNumber: String(100 + n), PartitionKey: 'k', Data: Buffer.from(`r${n}`) });

/** A fake Kinesis: each GetRecords answer comes from `script` in order (an Error is thrown). */
function fakeClient(script: Array<Error | { records: number[]; next: boolean }>, calls: string[]): KinesisClient {
  let step = 0;
  return {
    send: async (command: unknown) => {
      if (command instanceof GetShardIteratorCommand) {
        calls.push(`iterator ${command.input.ShardIteratorType} ${command.input.StartingSequenceNumber ?? ''}`.trim());
        return { ShardIterator: 'it' };
      }
      if (command instanceof GetRecordsCommand) {
        const answer = script[step++];
        calls.push('records');
        if (answer instanceof Error) throw answer;
        if (!answer) return { Records: [], NextShardIterator: undefined };
        return { Records: answer.records.map(record), NextShardIterator: answer.next ? 'it' : undefined };
      }
      throw new Error('unexpected command');
    },
  } as unknown as KinesisClient;
}

function host(client: KinesisClient, handler: (event: Event) => void, ends: string[]): ShardReaderHost {
  const stop = new AbortController();
  let id = 0;
  const dispatch = (event: Event, done: EventCallback): void => {
    try {
      handler(event);
      done(undefined, { body: '' } as never);
    } catch (err) {
      done(err as Error);
    }
  };
  return {
    client, streamName: 's', batchSize: 10, pollingPeriodMs: 1, logger: quiet, info: { kind: 'kinesis', name: 't' }, idPrefix: 'x-',
    store: new FileCheckpointStore(mkdtempSync(join(tmpdir(), 'ksr-')), 's'),
    policy: createDeliveryPolicy({
      maxAttempts: 2, retryInitialDelayMs: 1, retryMaxDelayMs: 1, retryMultiplier: 1, onExhausted: 'drop', explicitAckMode: 'disable', logger: quiet,
    }),
    submitter: { submit: (event: Event) => new Promise((resolve, reject) => dispatch(event, (e, r) => (e ? reject(e) : resolve(r!)))) } as never,
    dispatch, hotPath: true, stopSignal: stop.signal, deliverySignal: new AbortController().signal,
    nextEventId: () => (id += 1), publishDeadLetter: async () => undefined, onShardEnd: (shard) => ends.push(shard),
  };
}

describe('ShardReader', () => {
  it('retries throttling, renews an expired iterator after the last handled record, keeps order, and ends the shard', async () => {
    const calls: string[] = [];
    const seen: string[] = [];
    const ends: string[] = [];
    const h = host(fakeClient([{ records: [0, 1], next: true }, throttled, expired, { records: [2, 3], next: true }, { records: [], next: false }], calls),
      (e) => seen.push(e.body.toString()), ends);
    await h.store.open();
    const reader = new ShardReader(h, 'shardId-000000000000', { type: 'TRIM_HORIZON' });
    await reader.done;
    expect(seen).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(calls.filter((c) => c.startsWith('iterator'))).toEqual(['iterator TRIM_HORIZON', 'iterator AFTER_SEQUENCE_NUMBER 101']);
    expect(ends).toEqual(['shardId-000000000000']);
    expect(await new FileCheckpointStore(join(h.store.directory, '..'), 's').load('shardId-000000000000'))
      .toEqual({ sequenceNumber: '103', ended: true });
  });

  it('a record failing every attempt is dropped (onExhausted drop) and the shard goes on in order', async () => {
    const seen: string[] = [];
    const h = host(fakeClient([{ records: [0, 1, 2], next: false }], []), (e) => {
      seen.push(e.body.toString());
      if (e.body.toString() === 'r1') throw new Error('bad');
    }, []);
    await h.store.open();
    await new ShardReader(h, 'shardId-000000000001', { type: 'TRIM_HORIZON' }).done;
    expect(seen).toEqual(['r0', 'r1', 'r1', 'r2']);
  });
});
