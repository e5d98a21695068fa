import type { FunctionConfig } from '@nucleon/core';

/** An enabled HTTP trigger of a function, in the order the processor starts them. */
export interface HttpTrigger {
  name: string;
  /** `attributes.port` as configured (undefined: the plugin's default, 8080). */
  port: number | undefined;
  /** `attributes.host` as configured (undefined: the platform's default host). */
  host: string | undefined;
  /** The first one: the processor gives it NUCLEON_HTTP_PORT/HOST, the port the platform publishes. */
  first: boolean;
}

const isHttpKind = (kind: string): boolean => kind === 'http' || kind === '@nucleon/trigger-http';

/**
 * The function's enabled HTTP triggers, the first being the one that gets the platform's
 * port (the processor's rule: the first enabled `http` trigger in configuration order).
 * The default HTTP trigger a function without one gets is not listed.
 */
export function httpTriggers(config: FunctionConfig): HttpTrigger[] {
  return Object.entries(config.spec.triggers)
    .filter(([, t]) => !t.disable && isHttpKind(t.kind))
    .map(([name, t], index) => ({
      name,
      port: typeof t.attributes.port === 'number' ? t.attributes.port : undefined,
      host: typeof t.attributes.host === 'string' ? t.attributes.host : undefined,
      first: index === 0,
    }));
}

/** Hosts a trigger in a bridge-mode container may bind for Docker to be able to publish it. */
const ALL_INTERFACES = new Set(['0.0.0.0', '::']);

/**
 * In bridge mode, the container ports of the HTTP triggers after the first that Docker can
 * publish: a fixed port on all of the container's interfaces. A trigger on port 0 gets its
 * port only at start, too late to publish; one bound to another host is out of Docker's reach.
 */
export function publishableExtraPorts(config: FunctionConfig): number[] {
  return httpTriggers(config)
    .filter((t) => !t.first && (t.host === undefined || ALL_INTERFACES.has(t.host)))
    .map((t) => t.port ?? DEFAULT_HTTP_PORT)
    .filter((port) => port > 0);
}

/** The HTTP trigger plugin's default `attributes.port`. */
export const DEFAULT_HTTP_PORT = 8080;
