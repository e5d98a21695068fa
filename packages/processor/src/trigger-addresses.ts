import type { TriggerAddress } from '@nucleon/core';
import { triggerPackage } from './plugin-names.js';

/** A running trigger as the admin server's `/addresses` sees it. */
export interface ListeningTrigger {
  name: string;
  kind: string;
  /** The trigger's `address()`, when it has one and listens. */
  address: { host: string; port: number } | undefined;
}

/**
 * One {@link TriggerAddress} per trigger that listens, in configuration order, with the
 * address it is bound to (the actual port of a trigger configured with port 0). HTTP triggers
 * get an `http://` URL; any other listening trigger a `tcp://` one.
 */
export function triggerAddresses(triggers: readonly ListeningTrigger[]): TriggerAddress[] {
  const found: TriggerAddress[] = [];
  for (const { name, kind, address } of triggers) {
    if (!address) continue;
    const scheme = triggerPackage(kind) === triggerPackage('http') ? 'http' : 'tcp';
    const host = address.host.includes(':') ? `[${address.host}]` : address.host;
    found.push({ trigger: name, kind, url: `${scheme}://${host}:${address.port}` });
  }
  return found;
}
