import { readFile } from 'node:fs/promises';
import type { FunctionConfig } from '@nucleon/core';
import type { StateStore } from './state-store.js';

/** The validated configuration a function was deployed with (`function.json`), or undefined when it has no record. */
export async function readStoredConfig(store: StateStore, name: string): Promise<FunctionConfig | undefined> {
  if (!(await store.read(name))) return undefined;
  try {
    return JSON.parse(await readFile(store.configFile(name), 'utf8')) as FunctionConfig;
  } catch {
    return undefined;
  }
}
