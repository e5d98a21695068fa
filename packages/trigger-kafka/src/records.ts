import type { KafkaMessage } from 'kafkajs';
import type { Event, EventHeaders, TriggerInfo } from '@nucleon/core';

const EMPTY = Buffer.alloc(0);
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Kafka header values (Buffer, string, or a list of them) as the Event's string headers. */
export function toEventHeaders(headers: KafkaMessage['headers']): EventHeaders {
  const out: EventHeaders = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String) : String(value);
  }
  return out;
}

/**
 * The neutral Event of one record: topic, partition (shardId), offset, key, headers,
 * timestamp. The id, headers and timestamp are made when first read: a no-op handler on the
 * hot path then costs no string, object or Date per record.
 */
export class KafkaEvent implements Event {
  readonly body: Buffer;
  readonly method = 'POST';
  readonly path = '/';
  readonly url = '/';
  readonly fields = NO_FIELDS;
  readonly shardId: number;
  readonly offset: string;
  readonly key: Buffer | undefined;
  ack?: () => Promise<void>;
  private headerCache: EventHeaders | undefined;

  constructor(private readonly idPrefix: string, private readonly seq: number, readonly trigger: TriggerInfo,
    readonly topic: string, partition: number, private readonly message: KafkaMessage) {
    this.body = message.value ?? EMPTY;
    this.shardId = partition;
    this.offset = message.offset;
    this.key = message.key ?? undefined;
  }

  get id(): string {
    return this.idPrefix + this.seq;
  }

  get headers(): EventHeaders {
    return (this.headerCache ??= toEventHeaders(this.message.headers));
  }

  get contentType(): string {
    const type = this.message.headers ? this.headers['content-type'] : undefined;
    return typeof type === 'string' ? type : '';
  }

  get timestamp(): Date {
    return new Date(Number(this.message.timestamp));
  }

  /** Plain-object form, so `JSON.stringify(event)` and logging show every field. */
  toJSON(): Event {
    const { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, shardId, offset, key } = this;
    return { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, shardId, offset, ...(key ? { key } : {}) };
  }
}
