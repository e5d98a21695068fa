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
  if (isResponse(result)) {
    const statusCode = result.statusCode;
    if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
      throw createError(ErrorCodes.INVALID_RESPONSE, `handler returned a Response with invalid statusCode ${String(statusCode)}`);
    }
    const encoded = encodeBody(result.body);
    const response = new Response(encoded.body, normalizeHeaders(result.headers), result.contentType ?? encoded.contentType, statusCode);
    return response as NormalizedResponse;
  }
  const encoded = encodeBody(result);
  return new Response(encoded.body, {}, encoded.contentType, 200) as NormalizedResponse;
}

function encodeBody(body: unknown): { body: string | Buffer; contentType: string } {
  if (typeof body === 'string') return { body, contentType: TEXT };
  if (body === undefined || body === null) return { body: '', contentType: TEXT };
  if (Buffer.isBuffer(body)) return { body, contentType: BYTES };
  if (body instanceof Uint8Array) return { body: Buffer.from(body.buffer, body.byteOffset, body.byteLength), contentType: BYTES };
  if (body instanceof ArrayBuffer) return { body: Buffer.from(body), contentType: BYTES };
  const type = typeof body;
  if (type === 'function' || type === 'symbol' || type === 'bigint') {
    throw createError(ErrorCodes.INVALID_RESPONSE, `handler returned a ${type}, which cannot be sent; return a string, bytes, a JSON-able value or a context.Response`);
  }
  try {
    return { body: JSON.stringify(body), contentType: JSON_TYPE };
  } catch (cause) {
    throw createError(ErrorCodes.INVALID_RESPONSE, `handler returned a value that cannot be encoded as JSON: ${(cause as Error).message}`, { cause });
  }
}

function normalizeHeaders(headers: ResponseHeaders | undefined): ResponseHeaders {
  if (!headers || typeof headers !== 'object') return {};
  const result: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    result[name] = Array.isArray(value) ? value.map(String) : typeof value === 'number' ? value : String(value);
  }
  return result;
}
