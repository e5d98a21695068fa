import { open, stat } from 'node:fs/promises';
import { sleep } from '@nucleon/core';

/** Where a log file ends now: the file's identity and size, so a later read finds it after rotation. */
export interface LogPosition {
  /** The inode of the file; 0 when it did not exist. */
  ino: number;
  offset: number;
}

/** Rotated files are looked for up to this index (the supervisor keeps far fewer). */
const MAX_ROTATED_FILES = 100;

/** Where the next deploy attempt's lines begin in `file`. */
export async function logPosition(file: string): Promise<LogPosition> {
  return stat(file).then((s) => ({ ino: s.ino, offset: s.size }), () => ({ ino: 0, offset: 0 }));
}

/**
 * The complete lines written to `file` after `position`: one deploy attempt's log, not earlier
 * ones. When the file was rotated meanwhile (`file.1`, `file.2`, ...), reading starts in the
 * rotated file that was `file` at `position` and goes on through the newer ones.
 */
export async function linesFrom(file: string, position: LogPosition): Promise<string[]> {
  const current = await stat(file).catch(() => undefined);
  const pieces: Array<{ path: string; offset: number }> = [];
  if (position.ino === 0 || current?.ino === position.ino) {
    pieces.push({ path: file, offset: current?.ino === position.ino ? position.offset : 0 });
  } else {
    // Rotated: walk file.1, file.2, ... (newest first) back to the one we started in.
    for (let i = 1; i <= MAX_ROTATED_FILES; i++) {
      const path = `${file}.${i}`;
      const info = await stat(path).catch(() => undefined);
      if (!info) break;
      const ours = info.ino === position.ino;
      pieces.unshift({ path, offset: ours ? position.offset : 0 });
      if (ours) break;
    }
    pieces.push({ path: file, offset: 0 });
  }
  const parts = await Promise.all(pieces.map(({ path, offset }) => readFrom(path, offset)));
  const lines = parts.map((bytes) => new TextDecoder().decode(bytes)).join('').split('\n');
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
 * A rotation while following (the supervisor renames the file to `file.1`) loses no line.
 */
export async function* readLogLines(file: string, options: ReadLogOptions = {}): AsyncGenerator<string> {
  const { follow = false, signal, writerAlive = () => true, pollMs = 200 } = options;
  let offset = 0;
  let ino: number | undefined;
  let pending = '';
  const decoder = new TextDecoder();
  for (;;) {
    const now = (await stat(file).catch(() => undefined))?.ino;
    if (ino !== undefined && now !== undefined && now !== ino) {
      // Rotated while we followed: finish the old file (now file.1), then start the new one.
      const rotated = await stat(`${file}.1`).catch(() => undefined);
      if (rotated?.ino === ino) pending += decoder.decode(await readFrom(`${file}.1`, offset), { stream: true });
      offset = 0;
    }
    ino = now ?? ino;
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
