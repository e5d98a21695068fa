import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Event, TriggerInfo } from '@nucleon/core';

const EMPTY = Buffer.alloc(0);
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** True when the request announces a body (RFC 9112: Content-Length or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Converts a request into the neutral Event: query string as fields, raw body bytes. */
export function requestToEvent(req: IncomingMessage, body: Buffer | undefined, id: string, trigger: TriggerInfo): Event {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    id,
    body: body ?? EMPTY,
    contentType: req.headers['content-type'] ?? '',
    headers: req.headers,
    fields: q === -1 ? NO_FIELDS : (parseQuery(url.slice(q + 1)) as Record<string, string | string[]>),
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    url,
    timestamp: new Date(),
    trigger,
  };
}
