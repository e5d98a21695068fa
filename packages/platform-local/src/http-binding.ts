import { createServer } from 'node:net';
import { createError, ErrorCodes, hasHttpTrigger, type FunctionConfig } from '@nucleon/core';

/** Where the local platform binds a function's HTTP trigger. */
export interface HttpBinding {
  /** The trigger the binding belongs to (`default-http` for Nuclio's default one). */
  trigger: string;
  /** `attributes.port` when configured (and not 0, which means "any free port"). */
  port?: number;
  /** `attributes.host` when configured; otherwise the platform binds 127.0.0.1 only. */
  host?: string;
}

/** Loopback unless the function asks for another address: a local function is not exposed by default. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';

/**
 * The binding of the HTTP trigger the processor's port override applies to: the first enabled
 * `http` trigger, else the default one. Undefined when the function serves no HTTP.
 */
export function httpBinding(config: FunctionConfig): HttpBinding | undefined {
  if (!hasHttpTrigger(config)) return undefined;
  const entry = Object.entries(config.spec.triggers).find(([, t]) => (t.kind === 'http' || t.kind === '@nucleon/trigger-http') && !t.disable);
  if (!entry) return { trigger: 'default-http' };
  const [trigger, { attributes }] = entry;
  const port = typeof attributes.port === 'number' && attributes.port > 0 ? attributes.port : undefined;
  const host = typeof attributes.host === 'string' && attributes.host !== '' ? attributes.host : undefined;
  return { trigger, port, host };
}

/** The address a client uses to reach a processor bound to `host` (any-address binds answer on loopback). */
export function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Binds `host:port` for a moment and lets go, so a taken port is a clear error before anything
 * starts. A race with another program binding it right after is still possible; the processor
 * then fails to listen and the deploy reports its message.
 */
export function assertPortFree(port: number, host: string, trigger: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = trigger === 'default-http' ? 'the default HTTP trigger' : `spec.triggers.${trigger}.attributes.port`;
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${err.code ?? err.message})`;
      reject(createError(ErrorCodes.DEPLOY_FAILED,
        `deploying function "${name}" on the local platform: port ${port} on ${host} (${where}) ${why}; nothing was started`,
        { cause: err, details: { port, host, trigger, reason: err.code } }));
    });
    server.listen({ port, host }, () => server.close(() => resolve()));
  });
}
