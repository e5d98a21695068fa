// The UI's only door to the server: every request carries the bearer token kept in
// sessionStorage (never a cookie, so other sites cannot ride on it); a 401 sends the user back
// to the login page.
const TOKEN_KEY = 'nucleon.token';

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}
export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly body: unknown) {
    super(message);
  }
}

function headersWithToken(extra?: HeadersInit): Headers {
  const headers = new Headers(extra);
  const token = getToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  return headers;
}

function onUnauthorized(): void {
  clearToken();
  if (!location.hash.startsWith('#/login')) location.hash = '#/login';
}

/** Raw fetch with the token; the caller reads the response (used by invoke, which shows any status). */
export async function apiRaw(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(path, { ...init, headers: headersWithToken(init.headers) });
  if (response.status === 401) onUnauthorized();
  return response;
}

/** Problems from a 400 reply, one "path: message" per line, so a bad form says what to fix. */
function errorText(status: number, body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { error?: string; problems?: { path?: string; message?: string }[] };
    const problems = (b.problems ?? []).map((p) => `${p.path ?? ''}: ${p.message ?? ''}`);
    return [b.error ?? `HTTP ${status}`, ...problems].join('\n');
  }
  return typeof body === 'string' && body ? body : `HTTP ${status}`;
}

export async function apiJson<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  const response = await apiRaw(path, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text for the message
  }
  if (!response.ok) throw new ApiError(errorText(response.status, body), response.status, body);
  return body as T;
}

export interface StreamEvent {
  event: string;
  data: string;
}

/**
 * Reads a text/event-stream with fetch (EventSource cannot send the Authorization header) and
 * calls onEvent for each event. Resolves when the server ends the stream or the signal aborts.
 */
export async function readEventStream(path: string, onEvent: (e: StreamEvent) => void, signal: AbortSignal): Promise<void> {
  const response = await apiRaw(path, { signal, headers: { accept: 'text/event-stream' } });
  if (!response.ok || !response.body) {
    const text = await response.text().catch(() => '');
    let body: unknown = text;
    try { body = JSON.parse(text); } catch { /* keep text */ }
    throw new ApiError(errorText(response.status, body), response.status, body);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(buffer.slice(end).match(/^\r?\n\r?\n/)![0].length + end);
        const parsed = parseEventBlock(block);
        if (parsed) onEvent(parsed);
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

export function parseEventBlock(block: string): StreamEvent | null {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(':')) continue; // comment / keep-alive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length || event !== 'message' ? { event, data: data.join('\n') } : null;
}
