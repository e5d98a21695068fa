import type { EventHeaders } from '@nucleon/core';
import { headers as natsHeaders, type MsgHdrs } from 'nats';

/** NATS message headers as the Event's string headers (a header sent several times becomes a list). */
export function toEventHeaders(hdrs: MsgHdrs | undefined): EventHeaders {
  const out: EventHeaders = {};
  if (!hdrs) return out;
  for (const name of hdrs.keys()) {
    const values = hdrs.values(name);
    out[name] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** String headers (a dead letter's) as NATS headers; values are kept on one line, as NATS requires. */
export function toNatsHeaders(headers: Record<string, string | string[]>): MsgHdrs {
  const out = natsHeaders();
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) out.append(name, v.replace(/[\r\n]+/g, ' '));
  }
  return out;
}

/** The content type a message declares in its headers, or ''. */
export function contentTypeOf(hdrs: MsgHdrs | undefined): string {
  if (!hdrs) return '';
  return hdrs.get('content-type') || hdrs.get('Content-Type') || '';
}
