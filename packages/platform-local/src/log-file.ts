import { open, stat } from 'node:fs/promises';
import { sleep } from '@nucleon/core';

/** The size of `file` in bytes (0 when it does not exist): where the next attempt's lines begin. */
export async function fileSize(file: string): Promise<number> {
  return stat(file).then((s) => s.size, () => 0);
}

/** The complete lines of `file` written after byte `offset`: one deploy attempt's log, not earlier ones. */
export async function linesFrom(file: string, offset: number): Promise<string[]> {
  const lines = new TextDecoder().decode(await readFrom(file, offset)).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Options for {@link readLogLines}. */
export interface ReadLogOptions {
  /** Keep reading lines appended later. */
  follow?: boolean;
  signal?: AbortSignal;
  /** While following: resolves false once the writer is gone, which ends the stream. */
  writerAlive?: () => boolean | Promise<boolean>;
  /** Polling interval while following. */
  pollMs?: number;
}

/**
 * Yields the lines of `file`, oldest first. With `follow`, polls for appended bytes until
 * the signal aborts or `writerAlive` says the writer is gone (then drains what is left).
 * A final line without a newline is held back while following, since it may be half written.
 */
export async function* readLogLines(file: string, options: ReadLogOptions = {}): AsyncGenerator<string> {
  const { follow = false, signal, writerAlive = () => true, pollMs = 200 } = options;
  let offset = 0;
  let pending = '';
  const decoder = new TextDecoder();
  for (;;) {
    const chunk = await readFrom(file, offset);
    offset += chunk.byteLength;
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) yield line;
    if (!follow || signal?.aborted) break;
    if (chunk.byteLength === 0) {
      if (!(await writerAlive())) {
        const rest = await readFrom(file, offset);
        pending += decoder.decode(rest);
        for (const line of pending.split('\n')) if (line !== '') yield line;
        return;
      }
      await sleep(pollMs, signal);
      if (signal?.aborted) break;
    }
  }
  if (pending !== '') yield pending;
}

/** Bytes of `file` from `offset` to its current end (none when missing). */
async function readFrom(file: string, offset: number): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return new Uint8Array(0);
  }
  if (size <= offset) return new Uint8Array(0);
  const handle = await open(file, 'r');
  try {
    const buffer = new Uint8Array(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
