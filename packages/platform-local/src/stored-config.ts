import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionConfig } from '@nucleon/core';
import type { FunctionRecord, StateStore } from './state-store.js';

/** The validated configuration a function was deployed with (`function.json`), or undefined when it has no record. */
export async function readStoredConfig(store: StateStore, name: string): Promise<FunctionConfig | undefined> {
  if (!(await store.read(name))) return undefined;
  try {
    return JSON.parse(await readFile(store.configFile(name), 'utf8')) as FunctionConfig;
  } catch {
    return undefined;
  }
}

/** The configuration the recorded deployment runs (its run folder's, else the stored one). */
export async function readRunConfig(store: StateStore, record: FunctionRecord): Promise<FunctionConfig | undefined> {
  const file = record.runDir ? join(record.runDir, 'function.json') : store.configFile(record.name);
  return readFile(file, 'utf8').then((text) => JSON.parse(text) as FunctionConfig).catch(() => undefined);
}
