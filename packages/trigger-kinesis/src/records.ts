import type { _Record as KinesisRecord } from '@aws-sdk/client-kinesis';
import type { Event, EventHeaders, TriggerInfo } from '@nucleon/core';

const EMPTY = Buffer.alloc(0);
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const NO_HEADERS: EventHeaders = Object.freeze({}) as EventHeaders;

/**
 * The neutral Event of one Kinesis record: stream (topic), shard id, sequence number
 * (offset), partition key (key, as bytes), arrival time. Kinesis records carry no headers.
 * The body wraps the SDK's bytes without copying; id, key and timestamp are made when read.
 */
export class KinesisEvent implements Event {
  readonly body: Buffer;
  readonly method = 'POST';
  readonly path = '/';
  readonly url = '/';
  readonly fields = NO_FIELDS;
  readonly headers = NO_HEADERS;
  readonly contentType = '';
  readonly offset: string;
  ack?: () => Promise<void>;

  constructor(private readonly idPrefix: string, private readonly seq: number, readonly trigger: TriggerInfo,
    readonly topic: string, readonly shardId: string, private readonly record: KinesisRecord) {
    const data = record.Data;
    this.body = data ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : EMPTY;
    this.offset = record.SequenceNumber ?? '';
  }

  get id(): string {
    return this.idPrefix + this.seq;
  }

  /** The partition key, as bytes (Event.key); {@link partitionKey} has the text. */
  get key(): Buffer | undefined {
    return this.record.PartitionKey === undefined ? undefined : Buffer.from(this.record.PartitionKey);
  }

  get partitionKey(): string | undefined {
    return this.record.PartitionKey;
  }

  get timestamp(): Date {
    return this.record.ApproximateArrivalTimestamp ?? new Date();
  }

  /** Plain-object form, so `JSON.stringify(event)` and logging show every field. */
  toJSON(): Event {
    const { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, shardId, offset, key } = this;
    return { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, shardId, offset, ...(key ? { key } : {}) };
  }
}
