import type { IncomingMessage } from 'node:http';

/** CORS settings with Nuclio's attribute names and defaults. */
export interface CorsSettings {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  allowCredentials: boolean;
  preflightMaxAgeSeconds: number;
}

const DEFAULTS: CorsSettings = {
  allowOrigins: ['*'],
  allowMethods: ['HEAD', 'GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'],
  allowHeaders: ['Accept', 'Content-Length', 'Content-Type', 'X-nuclio-log-level'],
  allowCredentials: false,
  preflightMaxAgeSeconds: -1,
};

/** Reads the `cors` attribute; undefined when CORS is off (the default). */
export function corsSettings(raw: unknown): CorsSettings | undefined {
  if (!raw || typeof raw !== 'object' || (raw as { enabled?: unknown }).enabled !== true) return undefined;
  const r = raw as Partial<CorsSettings>;
  return {
    allowOrigins: Array.isArray(r.allowOrigins) ? r.allowOrigins.map(String) : DEFAULTS.allowOrigins,
    allowMethods: (Array.isArray(r.allowMethods) ? r.allowMethods.map(String) : DEFAULTS.allowMethods).map((m) => m.toUpperCase()),
    allowHeaders: Array.isArray(r.allowHeaders) ? r.allowHeaders.map(String) : DEFAULTS.allowHeaders,
    allowCredentials: r.allowCredentials === true,
    preflightMaxAgeSeconds: typeof r.preflightMaxAgeSeconds === 'number' ? r.preflightMaxAgeSeconds : DEFAULTS.preflightMaxAgeSeconds,
  };
}

function originAllowed(cors: CorsSettings, origin: string): boolean {
  return cors.allowOrigins.includes('*') || cors.allowOrigins.includes(origin);
}

/** True for a CORS preflight request (OPTIONS with Origin and Access-Control-Request-Method). */
export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;
}

/**
 * Answers a preflight without running the handler: 204 with the allowed methods and
 * headers when origin, method and headers are all allowed, 403 otherwise.
 */
export function preflightResponse(cors: CorsSettings, req: IncomingMessage): { status: number; headers: Record<string, string> } {
  const origin = req.headers.origin as string;
  const method = String(req.headers['access-control-request-method']).toUpperCase();
  const requested = String(req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const allowedHeaders = new Set(cors.allowHeaders.map((h) => h.toLowerCase()));
  const ok = originAllowed(cors, origin) && cors.allowMethods.includes(method) &&
    requested.every((h) => allowedHeaders.has(h.toLowerCase()));
  if (!ok) return { status: 403, headers: { vary: 'Origin' } };
  const headers: Record<string, string> = {
    ...allowOriginHeaders(cors, origin),
    'access-control-allow-methods': cors.allowMethods.join(', '),
    'access-control-allow-headers': cors.allowHeaders.join(', '),
  };
  if (cors.preflightMaxAgeSeconds >= 0) headers['access-control-max-age'] = String(cors.preflightMaxAgeSeconds);
  return { status: 204, headers };
}

/** Headers added to an actual (non-preflight) cross-origin response; empty when not allowed. */
export function actualRequestHeaders(cors: CorsSettings, origin: string | undefined): Record<string, string> {
  if (origin === undefined || !originAllowed(cors, origin)) return {};
  return allowOriginHeaders(cors, origin);
}

function allowOriginHeaders(cors: CorsSettings, origin: string): Record<string, string> {
  // With credentials the spec forbids "*", so the request's own origin is echoed.
  const wildcard = cors.allowOrigins.includes('*') && !cors.allowCredentials;
  const headers: Record<string, string> = { 'access-control-allow-origin': wildcard ? '*' : origin, vary: 'Origin' };
  if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
  return headers;
}
