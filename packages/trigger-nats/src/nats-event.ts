import type { Event, EventHeaders, TriggerInfo } from '@nucleon/core';
import type { JsMsg, Msg } from 'nats';
import { contentTypeOf, toEventHeaders } from './headers.js';

const NO_FIELDS: Record<string, string | string[]> = Object.freeze({}) as Record<string, string | string[]>;

/**
 * The Event of one NATS message. Everything that costs work (the id string, the subject, the
 * body Buffer, headers, the JetStream sequence and timestamp, which the client parses from the
 * ack subject) is made when first read: a no-op handler on the hot path pays for none of it.
 */
export class NatsEvent implements Event {
  readonly shardId = undefined;
  ack?: () => Promise<void>;
  private bodyCache: Buffer | undefined;
  private headerCache: EventHeaders | undefined;
  private readonly receivedAt: number;

  constructor(private readonly idPrefix: string, private readonly seq: number, readonly trigger: TriggerInfo,
    private readonly msg: Msg | JsMsg, private readonly jetStream: boolean) {
    this.receivedAt = jetStream ? 0 : Date.now();
  }

  /** The subject (the client decodes it on first read). */
  get topic(): string {
    return this.msg.subject;
  }

  get id(): string {
    return this.idPrefix + this.seq;
  }

  get body(): Buffer {
    const data = this.msg.data;
    return (this.bodyCache ??= Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }

  get headers(): EventHeaders {
    return (this.headerCache ??= toEventHeaders(this.msg.headers));
  }

  get contentType(): string {
    return contentTypeOf(this.msg.headers);
  }

  get fields(): Record<string, string | string[]> {
    return NO_FIELDS;
  }

  get method(): string {
    return 'POST';
  }

  get path(): string {
    return '/';
  }

  get url(): string {
    return '/';
  }

  /** The JetStream stream sequence; undefined for core NATS. */
  get offset(): string | undefined {
    return this.jetStream ? String((this.msg as JsMsg).info.streamSequence) : undefined;
  }

  /** The stream's time (JetStream) or the arrival time (core NATS). */
  get timestamp(): Date {
    return this.jetStream ? new Date(Math.floor((this.msg as JsMsg).info.timestampNanos / 1e6)) : new Date(this.receivedAt);
  }

  /** Plain-object form, so `JSON.stringify(event)` and logging show every field. */
  toJSON(): Event {
    const { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, offset } = this;
    return { id, body, contentType, headers, fields, method, path, url, timestamp, trigger, topic, ...(offset !== undefined ? { offset } : {}) };
  }
}
