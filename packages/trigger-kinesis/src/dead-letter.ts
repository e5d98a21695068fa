import { encodeDeadLetter, type DeadLetter } from '@nucleon/core';

/**
 * The record written to the dead-letter stream. Kinesis records have no headers, so the
 * dead letter's `x-nucleon-*` headers travel in a JSON envelope with the original bytes in
 * base64; the dead letter's partition key is the original's (so it lands by the same hash).
 */
export interface KinesisDeadLetterEnvelope {
  /** Envelope format version, 1. */
  nucleonDeadLetter: 1;
  /** The original partition key. */
  partitionKey: string;
  /** The dead-letter headers of docs/delivery.md (x-nucleon-error, -attempts, -source-*...). */
  headers: Record<string, string | string[]>;
  /** The original record data, base64. */
  data: string;
}

/** The envelope and partition key to PutRecord for a dead letter. */
export function encodeKinesisDeadLetter(letter: DeadLetter): { data: Buffer; partitionKey: string } {
  const encoded = encodeDeadLetter(letter);
  const partitionKey = encoded.key && encoded.key.length > 0 ? encoded.key.toString() : letter.source.eventId;
  const envelope: KinesisDeadLetterEnvelope = {
    nucleonDeadLetter: 1,
    partitionKey,
    headers: encoded.headers,
    data: encoded.body.toString('base64'),
  };
  return { data: Buffer.from(JSON.stringify(envelope)), partitionKey };
}

/** Reads a dead-letter envelope back (for tools and tests); undefined when the record is not one. */
export function decodeKinesisDeadLetter(data: Uint8Array): (KinesisDeadLetterEnvelope & { body: Buffer }) | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(data).toString()) as KinesisDeadLetterEnvelope;
    if (parsed?.nucleonDeadLetter !== 1 || typeof parsed.data !== 'string') return undefined;
    return { ...parsed, body: Buffer.from(parsed.data, 'base64') };
  } catch {
    return undefined;
  }
}
