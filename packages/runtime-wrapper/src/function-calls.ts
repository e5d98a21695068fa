import { createError, ErrorCodes, isNucleonError, type CallFunctionResponse, type ContextPlatform, type Logger } from '@nucleon/core';
import { decodeMetaBody, encodeMetaBodyFrame, FrameType, protocolError } from './frame-codec.js';

/** Capability a processor lists in WELCOME when wrappers may send CALL (docs/protocol.md). */
export const CALL_CAPABILITY = 'call';

/** The CALL meta: which function, and the HTTP request to send it. */
export interface CallMeta {
  function: string;
  method?: string;
  path?: string;
  headers?: Record<string, string | string[]>;
  contentType?: string;
  timeoutMs?: number;
}

/** Reads a CALL payload; a meta without a string `function` breaks the protocol. */
export function decodeCall(payload: Buffer): { meta: CallMeta; body: Buffer } {
  const { meta, body } = decodeMetaBody(payload);
  if (typeof meta.function !== 'string') throw protocolError('CALL meta has no "function" string', payload);
  if (meta.timeoutMs !== undefined && meta.timeoutMs !== null && typeof meta.timeoutMs !== 'number') {
    throw protocolError('CALL timeoutMs is not a number', payload);
  }
  return { meta: meta as unknown as CallMeta, body };
}

/** The CALL_RESULT frame for a callee's answer. */
export function encodeCallResult(id: number, response: CallFunctionResponse): Buffer {
  const meta = { statusCode: response.statusCode, contentType: response.contentType, headers: response.headers };
  return encodeMetaBodyFrame(FrameType.CALL_RESULT, id, meta, response.body);
}

/** The CALL_RESULT frame for a call that got no answer: the coded error the wrapper raises in the handler. */
export function encodeCallFailure(id: number, error: unknown): Buffer {
  const code = isNucleonError(error) ? error.code : ErrorCodes.CALL_FAILED;
  const message = (error as Error)?.message ?? String(error);
  return encodeMetaBodyFrame(FrameType.CALL_RESULT, id, { error: { code, message } }, Buffer.alloc(0));
}

/**
 * Runs one CALL through `platform` and answers it with CALL_RESULT through `reply`; never
 * rejects, since a failed call is the handler's to handle, not the connection's.
 */
export async function runCall(
  platform: ContextPlatform, id: number, call: ReturnType<typeof decodeCall>, reply: (frame: Buffer) => void, logger: Logger,
): Promise<void> {
  const { meta, body } = call;
  let frame: Buffer;
  try {
    const response = await platform.callFunction(meta.function, {
      body, method: meta.method, path: meta.path, headers: meta.headers, contentType: meta.contentType,
    }, meta.timeoutMs ? { timeout: meta.timeoutMs } : {});
    try {
      frame = encodeCallResult(id, response);
    } catch (cause) {
      frame = encodeCallFailure(id, createError(ErrorCodes.BODY_TOO_LARGE,
        `function "${meta.function}" answered with a body too large for one frame (64 MiB)`, { cause }));
    }
  } catch (error) {
    logger.debugWith('function call failed', { callee: meta.function, error: (error as Error).message });
    frame = encodeCallFailure(id, error);
  }
  reply(frame);
}
