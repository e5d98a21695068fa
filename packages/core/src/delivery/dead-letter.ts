import type { Event, EventHeaders, TriggerInfo } from '../event.js';

/** Where a dead-lettered record came from. */
export interface DeadLetterSource {
  trigger: TriggerInfo;
  topic?: string;
  /** Partition or shard id. */
  shardId?: number | string;
  offset?: string;
  key?: Buffer;
  /** The event id the record had in this processor, to find it in the log. */
  eventId: string;
}

/** A record that exhausted its attempts, as handed to a trigger's dead-letter hook. */
export interface DeadLetter {
  /** The configured target (topic, exchange, subject...). */
  target: string;
  /** The original payload, byte for byte. */
  body: Buffer;
  contentType: string;
  /** The original headers. */
  headers: EventHeaders;
  error: { message: string; code?: string; name?: string };
  /** Handler attempts made (worker back-pressure and shutdown are not attempts). */
  attempts: number;
  source: DeadLetterSource;
  firstFailedAt: Date;
  lastFailedAt: Date;
}

/** The headers Nucleon adds to a dead-lettered record, the same for every trigger. */
export const DeadLetterHeaders = {
  ERROR: 'x-nucleon-error',
  ERROR_CODE: 'x-nucleon-error-code',
  ATTEMPTS: 'x-nucleon-attempts',
  SOURCE_TRIGGER: 'x-nucleon-source-trigger',
  SOURCE_TOPIC: 'x-nucleon-source-topic',
  SOURCE_PARTITION: 'x-nucleon-source-partition',
  SOURCE_OFFSET: 'x-nucleon-source-offset',
  SOURCE_EVENT_ID: 'x-nucleon-source-event-id',
  FIRST_FAILED_AT: 'x-nucleon-first-failed-at',
  LAST_FAILED_AT: 'x-nucleon-last-failed-at',
  CONTENT_TYPE: 'content-type',
} as const;

/** Error text longer than this is cut: brokers limit header sizes, and a stack is in the log. */
export const DEAD_LETTER_ERROR_MAX_CHARS = 1024;

/** A dead letter in the form a broker client sends: key, body and string headers. */
export interface EncodedDeadLetter {
  key?: Buffer;
  body: Buffer;
  headers: Record<string, string | string[]>;
}

/** Builds the dead letter for `event` (the policy calls it; exported for trigger tests). */
export function createDeadLetter(event: Event, target: string, error: unknown, attempts: number,
  firstFailedAt: Date, lastFailedAt: Date): DeadLetter {
  const source: DeadLetterSource = { trigger: event.trigger, eventId: event.id };
  if (event.topic !== undefined) source.topic = event.topic;
  if (event.shardId !== undefined) source.shardId = event.shardId;
  if (event.offset !== undefined) source.offset = event.offset;
  if (event.key !== undefined) source.key = event.key;
  return {
    target, body: event.body, contentType: event.contentType, headers: event.headers,
    error: describeError(error), attempts, source, firstFailedAt, lastFailedAt,
  };
}

/**
 * Encodes a dead letter for a broker: the original body and key unchanged, the original
 * headers kept, and the `x-nucleon-*` headers of {@link DeadLetterHeaders} added (replacing
 * any from an earlier dead-lettering, so a record dead-lettered twice tells its latest story).
 */
export function encodeDeadLetter(letter: DeadLetter): EncodedDeadLetter {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(letter.headers)) {
    if (value !== undefined && !name.toLowerCase().startsWith('x-nucleon-')) headers[name] = value;
  }
  const set = (name: string, value: string | number | undefined): void => {
    if (value !== undefined) headers[name] = String(value);
  };
  set(DeadLetterHeaders.ERROR, oneLine(letter.error.message));
  set(DeadLetterHeaders.ERROR_CODE, letter.error.code);
  set(DeadLetterHeaders.ATTEMPTS, letter.attempts);
  set(DeadLetterHeaders.SOURCE_TRIGGER, `${letter.source.trigger.kind}/${letter.source.trigger.name}`);
  set(DeadLetterHeaders.SOURCE_TOPIC, letter.source.topic);
  set(DeadLetterHeaders.SOURCE_PARTITION, letter.source.shardId);
  set(DeadLetterHeaders.SOURCE_OFFSET, letter.source.offset);
  set(DeadLetterHeaders.SOURCE_EVENT_ID, letter.source.eventId);
  set(DeadLetterHeaders.FIRST_FAILED_AT, letter.firstFailedAt.toISOString());
  set(DeadLetterHeaders.LAST_FAILED_AT, letter.lastFailedAt.toISOString());
  if (letter.contentType && !Object.keys(headers).some((name) => name.toLowerCase() === DeadLetterHeaders.CONTENT_TYPE)) {
    set(DeadLetterHeaders.CONTENT_TYPE, letter.contentType);
  }
  const encoded: EncodedDeadLetter = { body: letter.body, headers };
  if (letter.source.key !== undefined) encoded.key = letter.source.key;
  return encoded;
}

function describeError(error: unknown): DeadLetter['error'] {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { message: error.message, name: error.name, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: String(error) };
}

function oneLine(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  return flat.length > DEAD_LETTER_ERROR_MAX_CHARS ? `${flat.slice(0, DEAD_LETTER_ERROR_MAX_CHARS - 3)}...` : flat;
}
