import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Event, EventHeaders, TriggerInfo } from '@nucleon/core';

const EMPTY = Buffer.alloc(0);
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** True when the request announces a body (RFC 9112: Content-Length or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/**
 * An HTTP request as the neutral Event: query string as fields, raw body bytes. The id and
 * timestamp are made when first read: most handlers never read them, and building them on
 * every request measured at several percent of a hello request's CPU.
 */
export class HttpEvent implements Event {
  readonly body: Buffer;
  readonly contentType: string;
  readonly headers: EventHeaders;
  readonly fields: Record<string, string | string[]>;
  readonly method: string;
  readonly path: string;
  readonly url: string;
  private readonly receivedAt = Date.now();

  constructor(req: IncomingMessage, body: Buffer | undefined, private readonly idPrefix: string,
    private readonly seq: number, readonly trigger: TriggerInfo) {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    this.body = body ?? EMPTY;
    this.contentType = req.headers['content-type'] ?? '';
    this.headers = req.headers;
    this.fields = q === -1 ? NO_FIELDS : (parseQuery(url.slice(q + 1)) as Record<string, string | string[]>);
    this.method = req.method ?? 'GET';
    this.path = q === -1 ? url : url.slice(0, q);
    this.url = url;
  }

  get id(): string {
    return this.idPrefix + this.seq;
  }

  get timestamp(): Date {
    return new Date(this.receivedAt);
  }

  /** Plain-object form, so `JSON.stringify(event)` and logging show every field. */
  toJSON(): Event {
    const { body, contentType, headers, fields, method, path, url, trigger } = this;
    return { id: this.id, body, contentType, headers, fields, method, path, url, timestamp: this.timestamp, trigger };
  }
}
