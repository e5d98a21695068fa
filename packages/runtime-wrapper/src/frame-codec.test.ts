import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@nucleon/core';
import { createTestEvent } from '@nucleon/core/testing';
import { decodeError, decodeResponse, encodeEventFrame, eventMeta } from './event-codec.js';
import {
  decodeJson, decodeMetaBody, encodeFrame, encodeJsonFrame, encodeMetaBody, encodeMetaBodyFrame, FrameDecoder, FrameType,
  MAX_FRAME_LENGTH, MAX_PAYLOAD_BYTES,
} from './frame-codec.js';

const header = (length: number, type: number, id = 0) => {
  const b = Buffer.alloc(9);
  b.writeUInt32BE(length, 0);
  b.writeUInt8(type, 4);
  b.writeUInt32BE(id, 5);
  return b;
};
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string; details: { bytes?: string } };
  }
  throw new Error('did not throw');
};

describe('encodeFrame', () => {
  it('writes length (type + id + payload), type and id big-endian, then the payload', () => {
    const frame = encodeFrame(FrameType.RESPONSE, 0x01020304, Buffer.from('hi'));
    expect(frame.toString('hex')).toBe('00000007' + '11' + '01020304' + '6869');
    expect(encodeFrame(FrameType.DRAIN, 0).toString('hex')).toBe('000000053000000000');
  });

  it('refuses a payload over 64 MiB with WRAPPER_PROTOCOL', () => {
    const big = Buffer.alloc(MAX_PAYLOAD_BYTES + 1);
    expect(codeOf(() => encodeFrame(FrameType.EVENT, 1, big)).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
    expect(codeOf(() => encodeMetaBodyFrame(FrameType.EVENT, 1, {}, big)).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
  });

  it('encodeMetaBodyFrame equals encodeFrame(encodeMetaBody())', () => {
    const body = Buffer.from([0, 255, 10]);
    expect(encodeMetaBodyFrame(FrameType.EVENT, 9, { a: 1 }, body)).toEqual(encodeFrame(FrameType.EVENT, 9, encodeMetaBody({ a: 1 }, body)));
  });
});

describe('FrameDecoder', () => {
  const frames = [
    encodeJsonFrame(FrameType.HELLO, 0, { versions: [1] }),
    encodeMetaBodyFrame(FrameType.RESPONSE, 7, { statusCode: 201 }, Buffer.from([0, 1, 2, 255])),
    encodeFrame(FrameType.DRAINED, 0),
    encodeJsonFrame(FrameType.LOG, 0xffff_ffff, { level: 'info', message: 'é ✓' }),
  ];
  const stream = Buffer.concat(frames);

  it('round-trips frames fed whole, merged into one chunk, or split at every byte', () => {
    const expected = frames.map((f) => ({ type: f[4], id: f.readUInt32BE(5), payload: f.subarray(9) }));
    expect(frames.flatMap((f) => new FrameDecoder().push(f))).toEqual(expected);
    expect(new FrameDecoder().push(stream)).toEqual(expected);
    const decoder = new FrameDecoder();
    expect([...stream].flatMap((byte) => decoder.push(Buffer.from([byte])))).toEqual(expected);
    expect(decoder.pendingBytes).toBe(0);
  });

  it('round-trips at every split point of two merged frames', () => {
    const two = Buffer.concat([frames[1]!, frames[3]!]);
    for (let at = 0; at <= two.length; at += 1) {
      const decoder = new FrameDecoder();
      const got = [...decoder.push(two.subarray(0, at)), ...decoder.push(two.subarray(at))];
      expect(got.map((f) => f.type)).toEqual([FrameType.RESPONSE, FrameType.LOG]);
      expect(decodeMetaBody(got[0]!.payload).body).toEqual(Buffer.from([0, 1, 2, 255]));
    }
  });

  it('returns nothing until a frame is complete', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(frames[1]!.subarray(0, 12))).toEqual([]);
    expect(decoder.pendingBytes).toBe(12);
    expect(decoder.push(frames[1]!.subarray(12))).toHaveLength(1);
  });

  it('reassembles a large frame from many chunks', () => {
    const body = Buffer.alloc(3 * 1024 * 1024 + 7, 0xab);
    const frame = encodeMetaBodyFrame(FrameType.EVENT, 1, { id: 'x' }, body);
    const decoder = new FrameDecoder();
    const got = [];
    for (let at = 0; at < frame.length; at += 65_536) got.push(...decoder.push(frame.subarray(at, at + 65_536)));
    expect(got).toHaveLength(1);
    expect(decodeMetaBody(got[0]!.payload).body.equals(body)).toBe(true);
  });

  it.each([
    ['a length under 5', header(4, FrameType.READY), 'frame length 4 is outside 5..67108869'],
    ['a length over 64 MiB + 5', header(MAX_FRAME_LENGTH + 1, FrameType.EVENT), `frame length ${MAX_FRAME_LENGTH + 1}`],
    ['text (garbage)', Buffer.from('Traceback (most recent call last):\n'), 'frame length 1416782179'],
    ['an unknown type', header(5, 99), 'unknown frame type 99'],
    ['a reserved type', header(5, 100), 'unknown frame type 100'],
  ])('rejects %s with WRAPPER_PROTOCOL as soon as the header shows it, bytes in details', (_what, bytes, message) => {
    const decoder = new FrameDecoder();
    const err = codeOf(() => decoder.push(bytes));
    expect(err.code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
    expect(err.message).toContain(message);
    expect(err.details.bytes).toBe(bytes.subarray(0, 64).toString('hex'));
    expect(codeOf(() => decoder.push(frames[2]!)).code).toBe(ErrorCodes.WRAPPER_PROTOCOL); // broken for good
  });

  it('accepts exactly 5 and the 64 MiB + 5 maximum as lengths', () => {
    expect(new FrameDecoder().push(header(5, FrameType.READY))).toHaveLength(1);
    expect(new FrameDecoder().push(header(MAX_FRAME_LENGTH, FrameType.EVENT))).toEqual([]); // waits for the payload
  });
});

describe('payload helpers', () => {
  it('decodeMetaBody rejects a short payload, a meta length past the end, and meta that is not an object', () => {
    expect(codeOf(() => decodeMetaBody(Buffer.from([0, 0]))).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
    expect(codeOf(() => decodeMetaBody(Buffer.from([0, 0, 0, 9, 0x7b, 0x7d]))).message).toContain('meta length 9 exceeds');
    expect(codeOf(() => decodeMetaBody(encodeMetaBody([1] as unknown as object, Buffer.alloc(0)))).message).toContain('not an object');
  });

  it('decodeJson reads an empty payload as {} and refuses bad JSON', () => {
    expect(decodeJson(Buffer.alloc(0))).toEqual({});
    expect(codeOf(() => decodeJson(Buffer.from('{nope'))).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
  });

  it('eventMeta carries the protocol fields; stream fields only when present; key as base64', () => {
    const event = createTestEvent({ body: 'x', headers: { a: 'b', gone: undefined }, timestamp: new Date(1500), path: '/p', url: '/p?q=1' });
    const meta = JSON.parse(JSON.stringify(eventMeta(event)));
    expect(meta).toEqual({
      id: event.id, method: 'POST', path: '/p', url: '/p?q=1', contentType: 'text/plain', headers: { a: 'b' }, fields: {},
      timestamp: 1.5, trigger: { kind: 'test', name: 'test' },
    });
    const stream = eventMeta(createTestEvent({ topic: 't', shardId: 0, offset: '5', key: Buffer.from([255]) }));
    expect(stream).toMatchObject({ topic: 't', shardId: 0, offset: '5', key: '/w==' });
  });

  it('encodeEventFrame sends the body raw after the meta', () => {
    const body = Buffer.from([0, 200, 13, 10]);
    const [frame] = new FrameDecoder().push(encodeEventFrame(3, createTestEvent({ body })));
    expect(frame).toMatchObject({ type: FrameType.EVENT, id: 3 });
    expect(decodeMetaBody(frame!.payload).body).toEqual(body);
  });

  it('decodeResponse builds a core Response; missing meta fields are left to the normaliser', () => {
    const response = decodeResponse(encodeMetaBody({ statusCode: 201, contentType: 'a/b', headers: { x: '1' } }, Buffer.from('ok')));
    expect(response).toMatchObject({ statusCode: 201, contentType: 'a/b', headers: { x: '1' }, body: Buffer.from('ok') });
    expect(decodeResponse(encodeMetaBody({}, Buffer.alloc(0)))).toMatchObject({ statusCode: 200, contentType: undefined, headers: {} });
    expect(codeOf(() => decodeResponse(encodeMetaBody({ statusCode: '200' }, Buffer.alloc(0)))).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
    expect(codeOf(() => decodeResponse(encodeMetaBody({ headers: [] }, Buffer.alloc(0)))).code).toBe(ErrorCodes.WRAPPER_PROTOCOL);
  });

  it('decodeError defaults a missing type to Error', () => {
    expect(decodeError(Buffer.from('{"message":"m"}'))).toEqual({ message: 'm', type: 'Error', stack: undefined });
  });
});
