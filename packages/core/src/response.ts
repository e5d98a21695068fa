/** Headers of a handler's response. */
export type ResponseHeaders = Record<string, string | number | string[]>;

/** The object form accepted by `new context.Response({...})`. */
export interface ResponseInit {
  body?: unknown;
  headers?: ResponseHeaders;
  contentType?: string;
  statusCode?: number;
}

/**
 * A handler's explicit response. Accepts Nuclio's positional form
 * `new Response(body, headers, contentType, statusCode)` as well as `new Response({ body, ... })`.
 */
export class Response {
  body: unknown;
  headers: ResponseHeaders;
  contentType: string | undefined;
  statusCode: number;

  constructor(init?: ResponseInit | string | Uint8Array | null, headers?: ResponseHeaders, contentType?: string, statusCode?: number) {
    if (isResponseInit(init)) {
      this.body = init.body;
      this.headers = init.headers ?? {};
      this.contentType = init.contentType;
      this.statusCode = init.statusCode ?? 200;
    } else {
      this.body = init;
      this.headers = headers ?? {};
      this.contentType = contentType;
      this.statusCode = statusCode ?? 200;
    }
  }
}

function isResponseInit(value: unknown): value is ResponseInit {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === 'body' || k === 'headers' || k === 'contentType' || k === 'statusCode');
}

/** True for a value that is a Response (also one from another copy of this package). */
export function isResponse(value: unknown): value is Response {
  return value instanceof Response ||
    (value !== null && typeof value === 'object' && 'statusCode' in value && 'headers' in value && 'body' in value &&
      typeof (value as Response).statusCode === 'number');
}
