import { join } from 'node:path';
import { FUNCTION_ADDRESSES_ENV, PLATFORM_NAME_ENV, removeFunctionAddress, writeFunctionAddress } from '@nucleon/core';
import { clientHost } from './http-binding.js';
import type { FunctionRecord } from './state-store.js';

// Function-to-function calls: processors find callees through `<stateDir>/addresses/<name>.json`
// (core's function-addresses contract). Kept apart from deploy and delete, which only call in.

function addressesDir(stateDir: string): string {
  return join(stateDir, 'addresses');
}

/** What every processor of this platform gets in its environment to resolve callees. */
export function addressEnv(stateDir: string): Record<string, string> {
  return { [FUNCTION_ADDRESSES_ENV]: addressesDir(stateDir), [PLATFORM_NAME_ENV]: 'local' };
}

/** Publishes a ready function's HTTP address; a function without an HTTP trigger cannot be called, so it has none. */
export async function publishAddress(stateDir: string, record: FunctionRecord): Promise<void> {
  if (!record.hasHttpTrigger) return withdrawAddress(stateDir, record.name);
  await writeFunctionAddress(addressesDir(stateDir), record.name, { url: `http://${clientHost(record.httpHost ?? '127.0.0.1')}:${record.httpPort}` });
}

/** Removes a deleted function's address, so callers get "not found" instead of a refused connection. */
export function withdrawAddress(stateDir: string, name: string): Promise<void> {
  return removeFunctionAddress(addressesDir(stateDir), name);
}
