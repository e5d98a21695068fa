import { TextDecoder } from 'node:util';
import type { ContainerHandle } from './docker-client.js';

/**
 * Splits Docker's multiplexed log stream (a container without a TTY) into lines. Each frame
 * is an 8-byte header (stream type, 3 zero bytes, big-endian payload size) and the payload;
 * frames may be cut anywhere by the transport, so bytes are buffered until a frame is whole.
 * stdout and stderr keep separate partial lines so interleaved writes never mix.
 */
export class LogLineSplitter {
  private buffered = Buffer.alloc(0);
  private readonly partial = new Map<number, string>();
  private readonly decoders = new Map<number, TextDecoder>();

  /** Feeds raw bytes; returns the lines completed by them. */
  push(chunk: Uint8Array): string[] {
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    const lines: string[] = [];
    while (this.buffered.length >= 8) {
      const size = this.buffered.readUInt32BE(4);
      if (this.buffered.length < 8 + size) break;
      const stream = this.buffered[0] ?? 1;
      const payload = this.buffered.subarray(8, 8 + size);
      this.buffered = this.buffered.subarray(8 + size);
      lines.push(...this.text(stream, payload));
    }
    return lines;
  }

  /** The unterminated last lines, once the stream has ended. */
  end(): string[] {
    const rest = [...this.partial.values()].filter((line) => line !== '');
    this.partial.clear();
    return rest;
  }

  private text(stream: number, payload: Uint8Array): string[] {
    let decoder = this.decoders.get(stream);
    if (!decoder) this.decoders.set(stream, (decoder = new TextDecoder()));
    const parts = ((this.partial.get(stream) ?? '') + decoder.decode(payload, { stream: true })).split('\n');
    this.partial.set(stream, parts.pop() ?? '');
    return parts;
  }
}

/** The container's last `count` log lines (stdout and stderr), oldest first. */
export async function tailLogLines(container: ContainerHandle, count = 20): Promise<string[]> {
  try {
    const raw = await container.logs({ stdout: true, stderr: true, tail: count });
    const splitter = new LogLineSplitter();
    const lines = Buffer.isBuffer(raw) ? splitter.push(raw) : await collect(raw, splitter);
    return [...lines, ...splitter.end()].slice(-count);
  } catch {
    // Logs are a courtesy in an error message; their absence must not hide the real error.
    return [];
  }
}

async function collect(stream: NodeJS.ReadableStream, splitter: LogLineSplitter): Promise<string[]> {
  const lines: string[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) lines.push(...splitter.push(chunk));
  return lines;
}

/**
 * Every log line of the container, oldest first; with `follow`, also the lines written later,
 * until `signal` aborts or the container stops (the Engine then ends the stream).
 */
export async function* streamLogLines(container: ContainerHandle, follow: boolean, signal?: AbortSignal): AsyncGenerator<string> {
  if (signal?.aborted) return;
  const splitter = new LogLineSplitter();
  if (!follow) {
    const raw = await container.logs({ stdout: true, stderr: true });
    yield* Buffer.isBuffer(raw) ? splitter.push(raw) : await collect(raw, splitter);
    yield* splitter.end();
    return;
  }
  const stream = (await container.logs({ stdout: true, stderr: true, follow: true })) as NodeJS.ReadableStream & { destroy?: () => void };
  const abort = (): void => stream.destroy?.();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield* splitter.push(chunk);
      if (signal?.aborted) break;
    }
  } catch (err) {
    // Destroying the stream on abort surfaces as an error from the iterator; that is the end.
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', abort);
    stream.destroy?.();
  }
  yield* splitter.end();
}
