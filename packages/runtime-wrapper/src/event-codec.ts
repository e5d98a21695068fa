import { Response, type Event, type ResponseHeaders } from '@nucleon/core';
import { decodeJson, decodeMetaBody, encodeMetaBodyFrame, FrameType, protocolError } from './frame-codec.js';

/** The EVENT meta JSON, as docs/protocol.md defines it. */
export interface EventMeta {
  id: string;
  method: string;
  path: string;
  url: string;
  contentType: string;
  headers: Record<string, string | string[]>;
  fields: Record<string, string | string[]>;
  /** Seconds since the Unix epoch, with a fraction. */
  timestamp: number;
  trigger: { kind: string; name: string };
  /** Present only when the source gave one. */
  type?: string;
  typeVersion?: string;
  version?: string;
  topic?: string;
  shardId?: number | string;
  offset?: string;
  /** Base64. */
  key?: string;
  /** Present (true) only when the handler may acknowledge the event with an ACK frame. */
  explicitAck?: true;
}

/** What a wrapper's ERROR frame says about the exception its handler raised. */
export interface WrapperErrorInfo {
  message: string;
  type: string;
  stack: string | undefined;
}

/** The meta the wrapper receives for `event` (headers whose value is undefined are left out by JSON). */
export function eventMeta(event: Event): EventMeta {
  const meta: EventMeta = {
    id: event.id,
    method: event.method,
    path: event.path,
    url: event.url,
    contentType: event.contentType,
    headers: event.headers as Record<string, string | string[]>,
    fields: event.fields,
    timestamp: event.timestamp.getTime() / 1000,
    trigger: { kind: event.trigger.kind, name: event.trigger.name },
  };
  if (event.type) meta.type = event.type;
  if (event.typeVersion) meta.typeVersion = event.typeVersion;
  if (event.version) meta.version = event.version;
  if (event.topic !== undefined) meta.topic = event.topic;
  if (event.shardId !== undefined) meta.shardId = event.shardId;
  if (event.offset !== undefined) meta.offset = event.offset;
  if (event.key !== undefined) meta.key = event.key.toString('base64');
  if (event.ack !== undefined) meta.explicitAck = true;
  return meta;
}

/** One EVENT frame for `event`, with frame id `id`. */
export function encodeEventFrame(id: number, event: Event): Buffer {
  return encodeMetaBodyFrame(FrameType.EVENT, id, eventMeta(event), event.body);
}

/**
 * Reads a RESPONSE payload into a core Response (the body stays raw bytes). A meta that is
 * not what the protocol says throws WRAPPER_PROTOCOL; a status out of range is left to the
 * processor's normaliser, which answers INVALID_RESPONSE.
 */
export function decodeResponse(payload: Buffer): Response {
  const { meta, body } = decodeMetaBody(payload);
  const { statusCode, contentType, headers } = meta;
  if (statusCode !== undefined && typeof statusCode !== 'number') throw protocolError(`RESPONSE statusCode is ${typeof statusCode}, not a number`, payload);
  if (contentType !== undefined && typeof contentType !== 'string') throw protocolError('RESPONSE contentType is not a string', payload);
  if (headers !== undefined && (headers === null || typeof headers !== 'object' || Array.isArray(headers))) {
    throw protocolError('RESPONSE headers is not an object', payload);
  }
  return new Response(body, (headers ?? {}) as ResponseHeaders, contentType, statusCode);
}

/** Reads an ERROR payload; missing fields read as empty rather than breaking the connection. */
export function decodeError(payload: Buffer): WrapperErrorInfo {
  const info = decodeJson(payload);
  return {
    message: typeof info.message === 'string' ? info.message : String(info.message ?? ''),
    type: typeof info.type === 'string' && info.type !== '' ? info.type : 'Error',
    stack: typeof info.stack === 'string' ? info.stack : undefined,
  };
}

/** An Error standing for an exception raised in the wrapper: its name, message and the wrapper's stack text. */
export function remoteError(type: string, message: string, stack: string | undefined): Error {
  const error = new Error(message);
  error.name = type;
  error.stack = stack ?? `${type}: ${message}`;
  return error;
}
