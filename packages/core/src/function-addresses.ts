import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isFunctionName } from './function-name.js';

// The contract between platforms and processors for function-to-function calls: a platform
// names a directory in NUCLEON_FUNCTION_ADDRESSES, writes `<dir>/<name>.json` once a function
// is ready and removes it on delete; a processor reads it to reach a callee. Plain files, so
// it works the same for local processes and for containers that bind-mount the directory.

/** Environment variable naming the directory of `<name>.json` address files. */
export const FUNCTION_ADDRESSES_ENV = 'NUCLEON_FUNCTION_ADDRESSES';
/** Environment variable naming the platform (`local`, `docker`) in messages about callees. */
export const PLATFORM_NAME_ENV = 'NUCLEON_PLATFORM';

/** What `<dir>/<name>.json` holds. */
export interface FunctionAddress {
  /** Base URL of the function's HTTP trigger, e.g. `http://127.0.0.1:8123`. */
  url: string;
}


function addressFile(dir: string, name: string): string {
  if (!isFunctionName(name)) throw new TypeError(`not a function name: ${JSON.stringify(name)}`);
  return join(dir, `${name}.json`);
}

/** Publishes a function's address; written to a temp file and renamed, so readers never see half of it. */
export async function writeFunctionAddress(dir: string, name: string, address: FunctionAddress): Promise<void> {
  const file = addressFile(dir, name);
  await mkdir(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(address)}\n`);
  await rename(temp, file);
}

/** Withdraws a function's address (nothing happens when there is none). */
export async function removeFunctionAddress(dir: string, name: string): Promise<void> {
  await rm(addressFile(dir, name), { force: true });
}

/** The published address of `name`, or undefined when there is none (or it is unreadable). */
export async function readFunctionAddress(dir: string, name: string): Promise<FunctionAddress | undefined> {
  try {
    const parsed = JSON.parse(await readFile(addressFile(dir, name), 'utf8')) as Partial<FunctionAddress>;
    return typeof parsed.url === 'string' ? { url: parsed.url } : undefined;
  } catch {
    return undefined;
  }
}
