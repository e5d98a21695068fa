import { describe, expect, it } from 'vitest';
import { createError, ErrorCodes, type CallFunctionEvent, type ContextPlatform } from '@nucleon/core';
import { noopLogger } from '@nucleon/core/testing';
import { FrameDecoder, FrameType, decodeMetaBody, encodeMetaBody } from './frame-codec.js';
import { decodeCall, runCall } from './function-calls.js';

const callPayload = (meta: object, body = ''): Buffer => encodeMetaBody(meta, Buffer.from(body));

async function answer(platform: ContextPlatform, meta: object, body = '') {
  let reply: Buffer | undefined;
  await runCall(platform, 9, decodeCall(callPayload(meta, body)), (frame) => { reply = frame; }, noopLogger);
  const [frame] = new FrameDecoder().push(reply!);
  expect(frame).toMatchObject({ type: FrameType.CALL_RESULT, id: 9 });
  return decodeMetaBody(frame!.payload);
}

describe('CALL frames', () => {
  it('hands the request to the platform and answers with the callee status, headers and raw body', async () => {
    const seen: Array<[string, CallFunctionEvent | undefined, unknown]> = [];
    const platform: ContextPlatform = {
      async callFunction(name, event, options) {
        seen.push([name, event, options]);
        return { statusCode: 201, contentType: 'application/octet-stream', headers: { 'x-sum': '5' }, body: Buffer.from([0, 255]) };
      },
    };
    const { meta, body } = await answer(platform, { function: 'adder', method: 'PUT', path: '/add', headers: { 'x-t': '1' }, contentType: 'text/plain', timeoutMs: 250 }, 'hi');
    expect(meta).toEqual({ statusCode: 201, contentType: 'application/octet-stream', headers: { 'x-sum': '5' } });
    expect([...body]).toEqual([0, 255]);
    expect(seen).toEqual([['adder', { body: Buffer.from('hi'), method: 'PUT', path: '/add', headers: { 'x-t': '1' }, contentType: 'text/plain' }, { timeout: 250 }]]);
  });

  it('answers a failed call with its code and message, and an empty body', async () => {
    const platform: ContextPlatform = {
      callFunction: (name) => Promise.reject(createError(ErrorCodes.CALLEE_NOT_FOUND, `function "${name}" not found on the local platform`)),
    };
    const { meta, body } = await answer(platform, { function: 'ghost' });
    expect(meta).toEqual({ error: { code: 'NUCLEON_ERR_CALLEE_NOT_FOUND', message: 'function "ghost" not found on the local platform' } });
    expect(body.length).toBe(0);
  });

  it('a CALL without a function name or with a non-numeric timeout breaks the protocol', () => {
    expect(() => decodeCall(callPayload({ path: '/' }))).toThrow(expect.objectContaining({ code: ErrorCodes.WRAPPER_PROTOCOL }));
    expect(() => decodeCall(callPayload({ function: 'a', timeoutMs: '5s' }))).toThrow(expect.objectContaining({ code: ErrorCodes.WRAPPER_PROTOCOL }));
  });
});
