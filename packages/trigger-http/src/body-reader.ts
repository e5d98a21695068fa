import type { IncomingMessage } from 'node:http';
import type { ByteBudget } from './byte-budget.js';

/** Why a request body was refused, and the status that says so. */
export type BodyRefusal = 'too-large' | 'stalled' | 'overloaded';

const STATUS: Record<BodyRefusal, number> = { 'too-large': 413, stalled: 408, overloaded: 503 };

export class BodyRefusedError extends Error {
  constructor(readonly reason: BodyRefusal, message: string, readonly limit: number) {
    super(message);
  }

  get status(): number {
    return STATUS[this.reason];
  }
}

export interface BodyReadOptions {
  /** Largest body accepted (maxRequestBodySize). */
  limit: number;
  /** Longest pause between two pieces of the body (bodyIdleTimeout). */
  idleMs: number;
  /** Bytes all bodies in the trigger share (maxBufferedRequestBytes). */
  budget: ByteBudget;
}

/**
 * Collects a request body, refusing it as soon as it passes `limit` bytes (against
 * Content-Length up front, and against the bytes received as they arrive), when the shared
 * budget cannot hold it, or when it stops arriving for `idleMs` (a chunk-size line that never
 * ends, or a chunk announced but never sent: node:http does not show chunk sizes, so a stall
 * is what can be seen).
 *
 * The budget is taken before any byte is read: the declared length, or `limit` for a body of
 * unknown length (chunked), since that is what it may grow to (the budget's own limit if that
 * is smaller; then the rest is taken as it arrives). So a flood of never-ending
 * uploads is refused with 503 before its bodies are read, instead of being read into memory
 * up to `limit` each: bytes read and dropped still raise the process's resident memory for
 * good (freed memory is not given back to the system). On success the body's own length
 * stays taken; the caller gives `body.length` back once the request is answered. On refusal
 * nothing stays taken and nothing of the body is kept.
 */
export function readBody(req: IncomingMessage, options: BodyReadOptions): Promise<Buffer> {
  const { limit, idleMs, budget } = options;
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  let reserved = declared > 0 ? declared : Math.min(limit, budget.limit > 0 ? budget.limit : limit);
  if (!budget.tryTake(reserved)) return Promise.reject(overloaded(budget.limit));
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => refuse(new BodyRefusedError('stalled',
      `the request body stopped arriving for ${idleMs} ms (bodyIdleTimeout)`, idleMs)), idleMs);
    const settle = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', refuse);
    };
    const refuse = (err: Error) => {
      settle();
      // Stop reading from the socket now: the rest is never wanted.
      req.socket?.pause();
      budget.give(reserved);
      chunks = [];
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      timer.refresh();
      const grown = size + chunk.length;
      if (grown > limit) {
        refuse(tooLarge(limit));
        return;
      }
      // Only when the budget is smaller than the body limit: take the rest as it comes.
      if (grown > reserved) {
        if (!budget.tryTake(grown - reserved)) {
          refuse(overloaded(budget.limit));
          return;
        }
        reserved = grown;
      }
      size = grown;
      chunks.push(chunk);
    };
    const onEnd = () => {
      settle();
      budget.give(reserved - size);
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', refuse);
  });
}

function tooLarge(limit: number): BodyRefusedError {
  return new BodyRefusedError('too-large', `request body larger than ${limit} bytes`, limit);
}

function overloaded(limit: number): BodyRefusedError {
  return new BodyRefusedError('overloaded',
    `the function is receiving too many request bodies at once (more than ${limit} bytes, maxBufferedRequestBytes); retry later`, limit);
}
