import { usageError } from './errors.js';

/** The request flags of `nucleon invoke`. */
export interface InvokeFlags {
  method?: string;
  body?: string;
  contentType?: string;
  /** `-H 'Name: value'` entries (curl style, repeatable). */
  header?: string[];
  /** nuctl's `-d/--headers 'name=value,name2=value2'`. */
  headers?: string;
  path?: string;
}

/** What `invoke` sends. */
export interface InvokeRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Builds the HTTP request: the method defaults to POST with a body and GET without; the
 * content type to application/json for a JSON body, else text/plain.
 */
export function buildInvokeRequest(flags: InvokeFlags): InvokeRequest {
  const method = (flags.method ?? (flags.body === undefined ? 'GET' : 'POST')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw usageError(`-m/--method expects an HTTP method such as GET or POST, got "${flags.method}"`);
  if (flags.body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw usageError(`a ${method} request cannot carry a body; use -m POST (or leave -m out)`);
  }
  const headers: Record<string, string> = {};
  for (const entry of flags.header ?? []) {
    const colon = entry.indexOf(':');
    const name = colon === -1 ? '' : entry.slice(0, colon).trim();
    if (name === '') throw usageError(`-H/--header expects "Name: value", got "${entry}"`);
    headers[name.toLowerCase()] = entry.slice(colon + 1).trim();
  }
  for (const entry of (flags.headers ?? '').split(',').filter((e) => e.trim() !== '')) {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? '' : entry.slice(0, eq).trim();
    if (name === '') throw usageError(`-d/--headers expects name=value[,name=value...], got "${flags.headers}"`);
    headers[name.toLowerCase()] = entry.slice(eq + 1).trim();
  }
  if (flags.contentType !== undefined) headers['content-type'] = flags.contentType;
  else if (flags.body !== undefined && headers['content-type'] === undefined) {
    headers['content-type'] = isJson(flags.body) ? 'application/json' : 'text/plain';
  }
  const path = flags.path ?? '/';
  return { method, path: path.startsWith('/') ? path : `/${path}`, headers, body: flags.body };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
