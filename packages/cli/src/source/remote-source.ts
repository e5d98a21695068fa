import { basename, join } from 'node:path';
import { createError, ErrorCodes } from '@nucleon/core';
import { sourceFolder } from './source-dir.js';
import { archiveRoot, sourceKind, unpackArchive, writeHandlerFile } from './unpack.js';

/** How long a download may take, and how large it may be: a function's code, not a data set. */
export const FETCH_TIMEOUT_MS = 60_000;
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024;

/** True for `-p http://...` and `-p https://...`. */
export function isRemotePath(path: string | undefined): path is string {
  return path !== undefined && /^https?:\/\//i.test(path);
}

/**
 * Downloads a handler file or a .zip/.tar.gz archive and unpacks it into a source folder
 * under the state directory. Returns the local path to deploy: the folder for an archive,
 * the file for a single handler (named as in the URL, so `handler.py` implies `handler:handler`).
 */
export async function fetchRemoteSource(url: string, progress: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  progress(`fetching ${url}`);
  const bytes = await download(url);
  const kind = sourceKind(bytes);
  const fileName = basename(new URL(url).pathname) || 'handler';
  const dir = sourceFolder(kind === 'file' ? [bytes, fileName] : [bytes], (target) => {
    if (kind === 'file') writeHandlerFile(bytes, target, fileName);
    else unpackArchive(bytes, kind, target, url);
  }, env);
  progress(`fetched ${bytes.length} bytes (${kind === 'file' ? 'handler file' : `${kind} archive`}) into ${dir}`);
  return kind === 'file' ? join(dir, fileName) : archiveRoot(dir);
}

async function download(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (cause) {
    const why = (cause as Error).name === 'TimeoutError' ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : (cause as Error).message;
    throw createError(ErrorCodes.CONFIG_NOT_FOUND, `cannot fetch the function source ${url}: ${why}`, { cause });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw createError(ErrorCodes.CONFIG_NOT_FOUND, `cannot fetch the function source ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_SOURCE_BYTES) {
    await response.body?.cancel();
    throw tooLarge(url);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += (chunk as Uint8Array).length;
    if (total > MAX_SOURCE_BYTES) throw tooLarge(url);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

function tooLarge(url: string): Error {
  return createError(ErrorCodes.CONFIG_NOT_FOUND, `cannot fetch the function source ${url}: larger than ${MAX_SOURCE_BYTES / 1024 / 1024} MiB`);
}
