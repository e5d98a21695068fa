import { createError, ErrorCodes } from './errors.js';
import { isResponse, Response, type ResponseHeaders } from './response.js';

/** A handler's result in wire form: the body is always a string or bytes, the type is known. */
export interface NormalizedResponse extends Response {
  body: string | Buffer;
  contentType: string;
}

const TEXT = 'text/plain; charset=utf-8';
const BYTES = 'application/octet-stream';
const JSON_TYPE = 'application/json';

/**
 * Turns whatever a handler returned into a response every trigger can send: strings as
 * text, bytes as bytes, other values as JSON, `context.Response` with its status and
 * headers. Values that cannot be encoded (functions, symbols, cycles, bigints, a bad
 * status) raise NUCLEON_ERR_INVALID_RESPONSE rather than sending something wrong.
 */
export function normalizeResult(result: unknown): NormalizedResponse {
  // The common case, a string, costs one small object and nothing else.
  if (typeof result === 'string') return new Response(result, NO_HEADERS, TEXT, 200) as NormalizedResponse;
  if (!isResponse(result)) {
    const body = encodeBody(result);
    return new Response(body, NO_HEADERS, contentTypeOf(result), 200) as NormalizedResponse;
  }
  const statusCode = result.statusCode;
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw createError(ErrorCodes.INVALID_RESPONSE, `handler returned a Response with invalid statusCode ${String(statusCode)}`);
  }
  const body = encodeBody(result.body);
  return new Response(body, normalizeHeaders(result.headers), result.contentType ?? contentTypeOf(result.body), statusCode) as NormalizedResponse;
}

/** Shared by every response without headers of its own; never written to. */
const NO_HEADERS: ResponseHeaders = Object.freeze({}) as ResponseHeaders;

function contentTypeOf(body: unknown): string {
  if (typeof body === 'string' || body === undefined || body === null) return TEXT;
  return body instanceof Uint8Array || body instanceof ArrayBuffer ? BYTES : JSON_TYPE;
}

function encodeBody(body: unknown): string | Buffer {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  const type = typeof body;
  if (type === 'function' || type === 'symbol' || type === 'bigint') {
    throw createError(ErrorCodes.INVALID_RESPONSE, `handler returned a ${type}, which cannot be sent; return a string, bytes, a JSON-able value or a context.Response`);
  }
  try {
    return JSON.stringify(body) ?? ''; // undefined when a toJSON() returns nothing
  } catch (cause) {
    throw createError(ErrorCodes.INVALID_RESPONSE, `handler returned a value that cannot be encoded as JSON: ${(cause as Error).message}`, { cause });
  }
}

function normalizeHeaders(headers: ResponseHeaders | undefined): ResponseHeaders {
  if (!headers || typeof headers !== 'object') return NO_HEADERS;
  const result: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    result[name] = Array.isArray(value) ? value.map(String) : typeof value === 'number' ? value : String(value);
  }
  return result;
}
