import { createError, ErrorCodes, Response, type Event, type Logger, type ResponseHeaders } from '@nucleon/core';
import { eventMeta, type EventMeta } from './event-codec.js';
import { decodeMetaBody, encodeMetaBodyFrame, FrameType, protocolError } from './frame-codec.js';

/** One event's entry in the EVENT_BATCH meta: its EVENT meta plus how many body bytes are its own. */
export interface BatchEventMeta extends EventMeta {
  bodyLength: number;
}

/**
 * One EVENT_BATCH frame for a batch carrier (docs/protocol.md, "Batches"): meta
 * `{"events": [...]}`, each entry an EVENT meta with `bodyLength`; the body is every
 * event's body, in order, back to back (raw bytes, as in EVENT).
 */
export function encodeBatchFrame(id: number, carrier: Event): Buffer {
  const events = carrier.batch?.events ?? [];
  const metas: BatchEventMeta[] = events.map((event) => ({ ...eventMeta(event), bodyLength: event.body.length }));
  const body = events.length === 1 ? (events[0] as Event).body : Buffer.concat(events.map((event) => event.body));
  return encodeMetaBodyFrame(FrameType.EVENT_BATCH, id, { events: metas }, body);
}

/** One response of a RESPONSE_BATCH frame, with the id of the event it answers. */
export interface BatchAnswer {
  eventId: string;
  response: Response;
}

/** Reads a RESPONSE_BATCH payload; a meta that is not what the protocol says throws WRAPPER_PROTOCOL. */
export function decodeBatchResponse(payload: Buffer): BatchAnswer[] {
  const { meta, body } = decodeMetaBody(payload);
  if (!Array.isArray(meta.responses)) throw protocolError('RESPONSE_BATCH meta has no "responses" list', payload);
  const answers: BatchAnswer[] = [];
  let offset = 0;
  for (const entry of meta.responses as Array<Record<string, unknown>>) {
    const { eventId, bodyLength, statusCode, contentType, headers } = entry ?? {};
    if (typeof eventId !== 'string') throw protocolError('RESPONSE_BATCH entry without a string "eventId"', payload);
    if (!Number.isInteger(bodyLength) || (bodyLength as number) < 0 || offset + (bodyLength as number) > body.length) {
      throw protocolError(`RESPONSE_BATCH entry for ${eventId}: bodyLength ${String(bodyLength)} does not fit the ${body.length - offset} bytes left`, payload);
    }
    if (statusCode !== undefined && typeof statusCode !== 'number') throw protocolError(`RESPONSE_BATCH entry for ${eventId}: statusCode is not a number`, payload);
    if (contentType !== undefined && typeof contentType !== 'string') throw protocolError(`RESPONSE_BATCH entry for ${eventId}: contentType is not a string`, payload);
    if (headers !== undefined && (headers === null || typeof headers !== 'object' || Array.isArray(headers))) {
      throw protocolError(`RESPONSE_BATCH entry for ${eventId}: headers is not an object`, payload);
    }
    const own = body.subarray(offset, offset + (bodyLength as number));
    offset += bodyLength as number;
    answers.push({ eventId, response: new Response(own, (headers ?? {}) as ResponseHeaders, contentType, statusCode) });
  }
  return answers;
}

/**
 * Hands each answer of a RESPONSE_BATCH to its event of `carrier`'s batch. An answer for an
 * id the batch does not hold (or answered twice) is logged and dropped: it has no request to go to.
 */
export function deliverBatch(carrier: Event, payload: Buffer, logger: Logger): void {
  const batch = carrier.batch;
  if (!batch) throw protocolError('RESPONSE_BATCH for an event that is not a batch', payload);
  for (const { eventId, response } of decodeBatchResponse(payload)) {
    if (!batch.respond(eventId, response)) {
      logger.warnWith('batch handler returned a response for an event not in its batch; dropped', { eventId, batch: carrier.id });
    }
  }
}

/** The error for a batch sent to a wrapper whose HELLO did not offer batching. */
export function batchingUnsupported(runtime: string): Error {
  return createError(ErrorCodes.INVALID_CONFIG, `the ${runtime} wrapper does not support batching (its HELLO has no "batching": true); ` +
    'remove batch.mode: enable from the trigger');
}
