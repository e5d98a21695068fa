import { createError, ErrorCodes, type NucleonError } from '@nucleon/core';

/** Message types of the wrapper protocol, version 1 (docs/protocol.md). */
export const FrameType = {
  HELLO: 1,
  WELCOME: 2,
  READY: 3,
  FATAL: 4,
  EVENT: 16,
  RESPONSE: 17,
  ERROR: 18,
  /** Several events in one frame, for a trigger with batching on (docs/protocol.md, "Batches"). */
  EVENT_BATCH: 24,
  RESPONSE_BATCH: 25,
  LOG: 32,
  METRIC: 33,
  ACK: 34,
  DRAIN: 48,
  DRAINED: 49,
  TERMINATE: 50,
  CALL: 64,
  CALL_RESULT: 65,
} as const;

export type FrameType = (typeof FrameType)[keyof typeof FrameType];

/** One decoded frame; `payload` may share memory with the bytes it was read from. */
export interface Frame {
  type: FrameType;
  id: number;
  payload: Buffer;
}

/** Bytes before the payload: length (4), type (1), id (4). */
export const FRAME_HEADER_BYTES = 9;
/** The largest payload a frame may carry: 64 MiB. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
/** The largest value of a frame's length field (type + id + payload). */
export const MAX_FRAME_LENGTH = MAX_PAYLOAD_BYTES + 5;

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(FrameType));
const TYPE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(FrameType).map(([name, value]) => [value, name]));
const EMPTY = Buffer.alloc(0);

/** The name of a frame type (`RESPONSE`), or `type 99` for an unknown one. */
export function frameTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type ${type}`;
}

/** A NUCLEON_ERR_WRAPPER_PROTOCOL error; `bytes` (the offending input, hex, capped) goes to details for the log. */
export function protocolError(message: string, bytes?: Uint8Array): NucleonError {
  const details = bytes ? { bytes: Buffer.from(bytes.subarray(0, 64)).toString('hex') } : {};
  return createError(ErrorCodes.WRAPPER_PROTOCOL, message, { details });
}

function checkPayloadSize(bytes: number): void {
  if (bytes > MAX_PAYLOAD_BYTES) throw protocolError(`frame payload of ${bytes} bytes exceeds the ${MAX_PAYLOAD_BYTES}-byte limit`);
}

function writeHeader(frame: Buffer, type: FrameType, id: number, payloadBytes: number): void {
  frame.writeUInt32BE(payloadBytes + 5, 0);
  frame.writeUInt8(type, 4);
  frame.writeUInt32BE(id >>> 0, 5);
}

/** Encodes one frame: `length | type | id | payload`, in one buffer so it can go out in one write. */
export function encodeFrame(type: FrameType, id: number, payload: Uint8Array = EMPTY): Buffer {
  checkPayloadSize(payload.length);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  writeHeader(frame, type, id, payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

/** Encodes a frame whose payload is one JSON object. */
export function encodeJsonFrame(type: FrameType, id: number, value: object): Buffer {
  return encodeFrame(type, id, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Encodes a meta+body payload: `metaLength | meta JSON | body`. */
export function encodeMetaBody(meta: object, body: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const payload = Buffer.allocUnsafe(4 + json.length + body.length);
  payload.writeUInt32BE(json.length, 0);
  payload.set(json, 4);
  payload.set(body, 4 + json.length);
  return payload;
}

/** Encodes a frame with a meta+body payload, copying the body once (not twice, as encodeFrame(encodeMetaBody()) would). */
export function encodeMetaBodyFrame(type: FrameType, id: number, meta: object, body: Uint8Array): Buffer {
  const json = Buffer.from(JSON.stringify(meta), 'utf8');
  const payloadBytes = 4 + json.length + body.length;
  checkPayloadSize(payloadBytes);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payloadBytes);
  writeHeader(frame, type, id, payloadBytes);
  frame.writeUInt32BE(json.length, FRAME_HEADER_BYTES);
  frame.set(json, FRAME_HEADER_BYTES + 4);
  frame.set(body, FRAME_HEADER_BYTES + 4 + json.length);
  return frame;
}

/** Decodes a meta+body payload; throws WRAPPER_PROTOCOL if it is not one. */
export function decodeMetaBody(payload: Buffer): { meta: Record<string, unknown>; body: Buffer } {
  if (payload.length < 4) throw protocolError(`meta+body payload of ${payload.length} bytes is shorter than its 4-byte meta length`, payload);
  const metaLength = payload.readUInt32BE(0);
  if (metaLength > payload.length - 4) {
    throw protocolError(`meta length ${metaLength} exceeds the ${payload.length - 4} bytes after it`, payload);
  }
  const meta = decodeJson(payload.subarray(4, 4 + metaLength));
  return { meta, body: payload.subarray(4 + metaLength) };
}

/** Decodes a JSON-object payload; throws WRAPPER_PROTOCOL if it is not one. An empty payload reads as `{}`. */
export function decodeJson(payload: Buffer): Record<string, unknown> {
  if (payload.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (cause) {
    throw protocolError(`payload is not JSON: ${(cause as Error).message}`, payload);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw protocolError('payload is JSON but not an object', payload);
  return value as Record<string, unknown>;
}

/**
 * Turns a byte stream into frames: feed it chunks as they arrive, in any split, and it
 * returns the frames completed so far. A bad length or an unknown type throws
 * WRAPPER_PROTOCOL (with the offending bytes in `details.bytes`) as soon as the header
 * shows it; the stream is broken from then on and every later `push` throws the same.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes of the frame being assembled (4 + length), once its header has been checked. */
  private frameBytes = 0;
  private failure: Error | undefined;

  /** Bytes received but not yet returned as frames. */
  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.failure) throw this.failure;
    if (chunk.length > 0) {
      this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.buffered += chunk.length;
    }
    const frames: Frame[] = [];
    for (;;) {
      if (this.frameBytes === 0 && !this.readHeader()) break;
      if (this.buffered < this.frameBytes) break;
      const bytes = this.take(this.frameBytes);
      this.frameBytes = 0;
      frames.push({ type: bytes[4] as FrameType, id: bytes.readUInt32BE(5), payload: bytes.subarray(FRAME_HEADER_BYTES) });
    }
    return frames;
  }

  /** Checks length and type once 5 bytes are in; false while fewer are. */
  private readHeader(): boolean {
    if (this.buffered < 5) return false;
    const head = this.peek(5);
    const length = head.readUInt32BE(0);
    if (length < 5 || length > MAX_FRAME_LENGTH) {
      this.fail(protocolError(`frame length ${length} is outside 5..${MAX_FRAME_LENGTH}`, this.peek(Math.min(this.buffered, 64))));
    }
    if (!KNOWN_TYPES.has(head[4] as number)) {
      this.fail(protocolError(`unknown frame type ${head[4]}`, this.peek(Math.min(this.buffered, 64))));
    }
    this.frameBytes = 4 + length;
    return true;
  }

  private fail(error: Error): never {
    this.failure = error;
    this.chunks = [];
    this.buffered = 0;
    throw error;
  }

  /** The first `n` buffered bytes, without consuming them. */
  private peek(n: number): Buffer {
    const first = this.chunks[0] as Buffer;
    if (first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.chunks, this.buffered).subarray(0, n);
  }

  /** Removes and returns the first `n` buffered bytes; joins chunks only when a frame spans several. */
  private take(n: number): Buffer {
    this.buffered -= n;
    const first = this.chunks[0] as Buffer;
    if (first.length === n) {
      this.chunks.shift();
      return first;
    }
    if (first.length > n) {
      this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0] as Buffer;
      const part = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, part);
      filled += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    return out;
  }
}
