import type { IPublishPacket } from 'mqtt';
import type { Event, EventHeaders, TriggerInfo } from '@nucleon/core';

const EMPTY = Buffer.alloc(0);
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** MQTT 5 user properties as Event headers. */
export function toEventHeaders(props: Record<string, string | string[]> | undefined): EventHeaders {
  const headers: EventHeaders = {};
  if (props) for (const [name, value] of Object.entries(props)) headers[name] = value;
  return headers;
}

/**
 * The neutral Event of one MQTT message: `topic` and `path` are the message's topic (as in
 * Nuclio), `url` the broker, `offset` the packet id (QoS 1/2; unique only among the messages in
 * flight), headers the MQTT 5 user properties, `contentType` the MQTT 5 content type. The id,
 * headers, offset and timestamp (the time it was received) are made when first read: a no-op
 * handler on the hot path then costs no string, object or Date per message.
 */
export class MqttEvent implements Event {
  readonly body: Buffer;
  readonly method = 'POST';
  readonly fields = NO_FIELDS;
  readonly topic: string;
  ack?: () => Promise<void>;
  private readonly receivedAt = Date.now();
  private headerCache: EventHeaders | undefined;

  constructor(private readonly idPrefix: string, private readonly seq: number, readonly trigger: TriggerInfo,
    readonly url: string, private readonly packet: IPublishPacket) {
    const payload = packet.payload;
    this.body = Buffer.isBuffer(payload) ? payload : payload ? Buffer.from(payload) : EMPTY;
    this.topic = packet.topic;
  }

  get id(): string {
    return this.idPrefix + this.seq;
  }

  get path(): string {
    return this.topic;
  }

  get offset(): string | undefined {
    return this.packet.messageId === undefined ? undefined : String(this.packet.messageId);
  }

  get headers(): EventHeaders {
    return (this.headerCache ??= toEventHeaders(this.packet.properties?.userProperties));
  }

  get contentType(): string {
    return this.packet.properties?.contentType ?? '';
  }

  get timestamp(): Date {
    return new Date(this.receivedAt);
  }

  /** Plain-object form, so `JSON.stringify(event)` and logging show every field. */
  toJSON(): Event {
    const { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, offset } = this;
    return { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, ...(offset !== undefined ? { offset } : {}) };
  }
}
