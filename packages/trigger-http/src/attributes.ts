import type { AttributeSchema } from '@nucleon/core';

/** Nuclio's default maximum request body: 4 MiB. */
export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

/**
 * The HTTP trigger's attributes: Nuclio's names and defaults, then Nucleon's resource bounds
 * (durations are Go-style strings, as Nuclio's `eventTimeout`; see docs/http-trigger.md).
 */
export const httpAttributes: AttributeSchema = {
  port: { type: 'integer', minimum: 0, default: 8080, description: 'Port to listen on (0 = any free port)' },
  host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on' },
  reusePort: {
    type: 'boolean', default: false,
    description: 'Bind with SO_REUSEPORT, so the port can be taken over from (and handed back to) the scaler\'s activator without refusing a connection; platforms set it for scale-to-zero functions',
  },
  maxRequestBodySize: {
    type: 'integer', minimum: 0, default: DEFAULT_MAX_BODY,
    description: 'Largest request body accepted, in bytes; larger bodies get 413 and the connection is closed',
  },
  maxConnections: {
    type: 'integer', minimum: 1, default: 1024,
    description: 'Most connections open at once; a connection beyond it is closed as soon as it is accepted',
  },
  headersTimeout: {
    type: 'string', default: '10s', description: 'Longest a client may take to send a request\'s headers (then 408, connection closed)',
  },
  requestTimeout: {
    type: 'string', default: '60s', description: 'Longest a client may take to send a whole request, body included (then 408, connection closed)',
  },
  bodyIdleTimeout: {
    type: 'string', default: '5s',
    description: 'Longest pause in a request body that has begun (an announced body or chunk that never comes): then 408, connection closed',
  },
  maxBufferedRequestBytes: {
    type: 'integer', minimum: 0,
    description: 'Request body bytes all connections together may hold, from the first byte until the request is answered (a body of unknown length counts as maxRequestBodySize until it ends); a body that does not fit gets 503. Default (numWorkers + 1) x maxRequestBodySize; 0 = no bound',
  },
  maxPendingResponseBytes: {
    type: 'integer', minimum: 0, default: 64 * 1024 * 1024,
    description: 'Response bytes waiting on clients that read slowly, all connections together; while it is passed, new requests get 503 (0 = no bound)',
  },
  responseIdleTimeout: {
    type: 'string', default: '30s',
    description: 'Longest a response being written may make no progress (a client that stops reading): then the connection is closed',
  },
  cors: { type: 'object', description: 'Cross-origin resource sharing: enabled, allowOrigins, allowMethods, allowHeaders, allowCredentials, preflightMaxAgeSeconds' },
  // The processor has nothing to do with them: the Kubernetes platform makes an Ingress of each
  // (other platforms report them as not applied), so no warning here.
  ingresses: {
    type: 'object',
    description: 'Kubernetes ingresses by name: { <name>: { host, paths: [...], secretName? } } (Kubernetes platform only)',
  },
  serviceType: { type: 'string', unsupported: true, description: 'Kubernetes service type (platform feature, not yet)' },
  readBufferSize: { type: 'integer', unsupported: true, description: 'Per-connection read buffer (not applicable)' },
  reduceMemoryUsage: { type: 'boolean', unsupported: true, description: 'Memory/CPU trade-off (not applicable)' },
};
