import { createServer } from 'node:net';
import type { FunctionConfig } from './config/types.js';
import type { TriggerAddress } from './plugin.js';

// Small helpers every platform needs, shared so the local and Docker platforms agree.

/**
 * A loopback port that was free a moment ago: bind 127.0.0.1:0, read the port, close.
 * Another process may take it before the processor binds; deploy then fails and says so.
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read a free port'))));
    });
  });
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** True when a processor's admin server on 127.0.0.1 answers `GET /ready` with 200 within `timeoutMs`. */
export async function probeReady(adminPort: number, timeoutMs = 1000): Promise<boolean> {
  if (!(adminPort > 0)) return false;
  try {
    const res = await fetch(`http://127.0.0.1:${adminPort}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

/**
 * What a processor's admin server on 127.0.0.1 says on `GET /addresses`: every listening
 * address of every trigger. Undefined when it does not answer within `timeoutMs`, answers
 * otherwise than 200 (a processor older than `/addresses`), or answers outside the contract.
 */
export async function probeAddresses(adminPort: number, timeoutMs = 1000): Promise<TriggerAddress[] | undefined> {
  if (!(adminPort > 0)) return undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${adminPort}/addresses`, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return undefined;
    }
    const body = (await res.json()) as { addresses?: unknown };
    return Array.isArray(body.addresses) && body.addresses.every(isTriggerAddress) ? body.addresses : undefined;
  } catch {
    return undefined;
  }
}

function isTriggerAddress(value: unknown): value is TriggerAddress {
  const v = value as Partial<TriggerAddress> | null;
  return typeof v === 'object' && v !== null && typeof v.trigger === 'string' && typeof v.kind === 'string' && typeof v.url === 'string';
}

const isHttpKind = (kind: string): boolean => kind === 'http' || kind === '@nucleon/trigger-http';

/**
 * Nuclio's rule, in one place for the processor and every platform: a function with no trigger
 * of kind `http` (enabled or not) gets the default HTTP trigger, unless
 * `spec.disableDefaultHTTPTrigger` is true. A cron-only function therefore also answers HTTP.
 */
export function needsDefaultHttpTrigger(config: FunctionConfig): boolean {
  if (config.spec.disableDefaultHTTPTrigger === true) return false;
  return !Object.values(config.spec.triggers).some((t) => isHttpKind(t.kind));
}

/** Whether a function serves HTTP: an enabled `http` trigger, or the default one (see {@link needsDefaultHttpTrigger}). */
export function hasHttpTrigger(config: FunctionConfig): boolean {
  return needsDefaultHttpTrigger(config) || Object.values(config.spec.triggers).some((t) => isHttpKind(t.kind) && !t.disable);
}
