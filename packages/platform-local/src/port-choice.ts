import { findFreePort, type FunctionConfig } from '@nucleon/core';
import { assertPortFree, DEFAULT_HTTP_HOST, httpBinding, type HttpBinding } from './http-binding.js';
import type { FunctionRecord } from './state-store.js';

/** The HTTP address a deploy uses, and whether the running deployment must stop first to free it. */
export interface PortChoice {
  /** Undefined when the function serves no HTTP. */
  binding?: HttpBinding;
  httpPort: number;
  host: string;
  /** The running deployment holds this port: stop it before the new processor binds. */
  stopFirst: boolean;
}

/**
 * The configured `attributes.port` when there is one (a port taken by anything but this
 * function's running deployment is an error before anything starts); otherwise the previous
 * deployment's port, so a URL stays put across redeploys (a new free port when another
 * program took it meanwhile); otherwise any free port.
 */
export async function choosePort(
  config: FunctionConfig, previous: FunctionRecord | undefined, running: FunctionRecord | undefined,
  progress: (message: string) => void,
): Promise<PortChoice> {
  const binding = httpBinding(config);
  const host = binding?.host ?? DEFAULT_HTTP_HOST;
  if (!binding) return { httpPort: await findFreePort(), host, stopFirst: false };
  const kept = previous?.hasHttpTrigger === false ? undefined : previous?.httpPort;
  const wanted = binding.port ?? kept;
  if (wanted === undefined) return { binding, httpPort: await findFreePort(), host, stopFirst: false };
  if (running && running.hasHttpTrigger !== false && running.httpPort === wanted) return { binding, httpPort: wanted, host, stopFirst: true };
  try {
    await assertPortFree(wanted, host, binding.trigger, config.metadata.name);
    return { binding, httpPort: wanted, host, stopFirst: false };
  } catch (err) {
    if (binding.port !== undefined) throw err;
    const httpPort = await findFreePort();
    progress(`port ${wanted} of the previous deployment is taken by another program; using ${httpPort}`);
    return { binding, httpPort, host, stopFirst: false };
  }
}
