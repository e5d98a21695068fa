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

/** Builds the neutral Event of one record: topic, partition (shardId), offset, key, headers, timestamp. */
export function toEvent(id: string, trigger: TriggerInfo, topic: string, partition: number, message: KafkaMessage): Event {
  const headers = message.headers ? toEventHeaders(message.headers) : {};
  const contentType = headers['content-type'];
  const event: Event = {
    id,
    body: message.value ?? EMPTY,
    contentType: typeof contentType === 'string' ? contentType : '',
    headers,
    fields: NO_FIELDS,
    method: 'POST',
    path: '/',
    url: '/',
    timestamp: new Date(Number(message.timestamp)),
    trigger,
    topic,
    shardId: partition,
    offset: message.offset,
  };
  if (message.key) event.key = message.key;
  return event;
}
