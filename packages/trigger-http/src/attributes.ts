import type { AttributeSchema } from '@nucleon/core';

/** Nuclio's default maximum request body: 4 MiB. */
export const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

/** The HTTP trigger's attributes, with Nuclio's names and defaults. */
export const httpAttributes: AttributeSchema = {
  port: { type: 'integer', minimum: 0, default: 8080, description: 'Port to listen on (0 = any free port)' },
  host: { type: 'string', default: '0.0.0.0', description: 'Address to listen on' },
  maxRequestBodySize: {
    type: 'integer', minimum: 0, default: DEFAULT_MAX_BODY,
    description: 'Largest request body accepted, in bytes; larger bodies get 413',
  },
  cors: { type: 'object', description: 'Cross-origin resource sharing: enabled, allowOrigins, allowMethods, allowHeaders, allowCredentials, preflightMaxAgeSeconds' },
  ingresses: { type: 'object', unsupported: true, description: 'Kubernetes ingresses (platform feature, not yet)' },
  serviceType: { type: 'string', unsupported: true, description: 'Kubernetes service type (platform feature, not yet)' },
  readBufferSize: { type: 'integer', unsupported: true, description: 'Per-connection read buffer (not applicable)' },
  reduceMemoryUsage: { type: 'boolean', unsupported: true, description: 'Memory/CPU trade-off (not applicable)' },
};
