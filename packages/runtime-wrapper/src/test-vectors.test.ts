import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestEvent } from '@nucleon/core/testing';
import { eventMeta } from './event-codec.js';
import {
  decodeJson, decodeMetaBody, encodeFrame, encodeJsonFrame, encodeMetaBodyFrame, FrameDecoder, FrameType, frameTypeName,
} from './frame-codec.js';

// The frames in test-vectors/*.hex, made by this package's encoder. Wrapper authors check
// their codecs against the files (see test-vectors/README.md); this test keeps the files
// and the encoder in step. Regenerate after a deliberate change with
// NUCLEON_WRITE_TEST_VECTORS=1 pnpm --filter @nucleon/runtime-wrapper test.

const dir = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'test-vectors');
const write = process.env.NUCLEON_WRITE_TEST_VECTORS === '1';

type Vector =
  | { file: string; type: FrameType; id: number; json: Record<string, unknown> }
  | { file: string; type: FrameType; id: number; meta: Record<string, unknown>; body: Buffer }
  | { file: string; type: FrameType; id: number; empty: true };

const binaryBody = Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff, 0x0a, 0x0d, 0x6e, 0x75, 0x63]);
const httpEvent = createTestEvent({
  id: 'a1b2-7', body: binaryBody, contentType: 'application/octet-stream', method: 'POST', path: '/upload', url: '/upload?x=1&tag=a&tag=b',
  headers: { 'content-type': 'application/octet-stream', 'x-request-id': 'abc', 'x-multi': ['1', '2'] },
  fields: { x: '1', tag: ['a', 'b'] }, timestamp: new Date(1795830000123), trigger: { kind: 'http', name: 'web' },
});
const streamEvent = createTestEvent({
  id: 'k-9', body: '{"order":1}', contentType: 'application/json', method: '', path: '', url: '', headers: {}, fields: {},
  timestamp: new Date(1795830000500), trigger: { kind: 'kafka-cluster', name: 'orders' },
  topic: 'orders', shardId: 3, offset: '1042', key: Buffer.from('order-1'), ack: async () => undefined,
});

const vectors: Vector[] = [
  { file: 'hello.hex', type: FrameType.HELLO, id: 0, json: { versions: [1], runtime: 'python', runtimeVersion: '3.11.7', pid: 1234, maxInFlight: 1 } },
  { file: 'welcome.hex', type: FrameType.WELCOME, id: 0, json: { version: 1, functionName: 'echo', handler: 'main:handler', workerId: 0, eventTimeoutMs: 60000 } },
  { file: 'ready.hex', type: FrameType.READY, id: 0, json: {} },
  { file: 'fatal.hex', type: FrameType.FATAL, id: 0, json: { message: 'main.py line 3: SyntaxError: invalid syntax', kind: 'handler-load', stack: 'Traceback (most recent call last):\n  File "main.py", line 3' } },
  { file: 'event-binary-body.hex', type: FrameType.EVENT, id: 7, meta: { ...eventMeta(httpEvent) }, body: binaryBody },
  { file: 'event-stream.hex', type: FrameType.EVENT, id: 8, meta: { ...eventMeta(streamEvent) }, body: streamEvent.body },
  { file: 'response.hex', type: FrameType.RESPONSE, id: 7, meta: { statusCode: 201, contentType: 'application/json', headers: { 'x-id': '7' } }, body: Buffer.from('{"ok":true}') },
  { file: 'response-binary.hex', type: FrameType.RESPONSE, id: 7, meta: { statusCode: 200, contentType: 'application/octet-stream', headers: {} }, body: binaryBody },
  { file: 'error.hex', type: FrameType.ERROR, id: 7, json: { message: 'bad input', type: 'ValueError', stack: 'Traceback (most recent call last):\n  File "main.py", line 7, in handler\nValueError: bad input' } },
  { file: 'log.hex', type: FrameType.LOG, id: 7, json: { level: 'info', message: 'handling', with: { answer: 42, user: 'ann' } } },
  { file: 'metric.hex', type: FrameType.METRIC, id: 7, json: { name: 'items', value: 1.5, labels: { kind: 'a' } } },
  { file: 'ack.hex', type: FrameType.ACK, id: 8, json: {} },
  { file: 'drain.hex', type: FrameType.DRAIN, id: 0, empty: true },
  { file: 'drained.hex', type: FrameType.DRAINED, id: 0, empty: true },
  { file: 'terminate.hex', type: FrameType.TERMINATE, id: 0, json: { reason: 'the processor is stopping' } },
];

function encode(v: Vector): Buffer {
  if ('json' in v) return encodeJsonFrame(v.type, v.id, v.json);
  if ('meta' in v) return encodeMetaBodyFrame(v.type, v.id, v.meta, v.body);
  return encodeFrame(v.type, v.id);
}

/** What index.json says about each vector, for codecs in other languages. */
function summary(v: Vector): Record<string, unknown> {
  const payload = 'json' in v ? { json: v.json } : 'meta' in v ? { meta: v.meta, bodyHex: v.body.toString('hex') } : { empty: true };
  return { file: v.file, type: v.type, typeName: frameTypeName(v.type), id: v.id, ...payload };
}

if (write) {
  for (const v of vectors) writeFileSync(join(dir, v.file), `${encode(v).toString('hex')}\n`);
  writeFileSync(join(dir, 'all-in-order.hex'), `${Buffer.concat(vectors.map(encode)).toString('hex')}\n`);
  writeFileSync(join(dir, 'index.json'), `${JSON.stringify(vectors.map(summary), null, 2)}\n`);
}

const read = (file: string) => Buffer.from(readFileSync(join(dir, file), 'utf8').trim(), 'hex');

describe('test vectors', () => {
  it.each(vectors.map((v) => [v.file, v] as const))('%s is what the encoder makes and decodes back', (_file, v) => {
    const bytes = read(v.file);
    expect(bytes.toString('hex')).toBe(encode(v).toString('hex'));
    const [frame, ...rest] = new FrameDecoder().push(bytes);
    expect(rest).toEqual([]);
    expect(frame).toMatchObject({ type: v.type, id: v.id });
    if ('json' in v) expect(decodeJson(frame!.payload)).toEqual(v.json);
    else if ('meta' in v) expect(decodeMetaBody(frame!.payload)).toEqual({ meta: v.meta, body: v.body });
    else expect(frame!.payload.length).toBe(0);
  });

  it('all-in-order.hex holds every vector back to back, and decodes one byte at a time', () => {
    const bytes = read('all-in-order.hex');
    expect(bytes).toEqual(Buffer.concat(vectors.map(encode)));
    const decoder = new FrameDecoder();
    const frames = [...bytes].flatMap((byte) => decoder.push(Buffer.from([byte])));
    expect(frames.map((f) => [f.type, f.id])).toEqual(vectors.map((v) => [v.type, v.id]));
  });

  it('index.json describes every vector', () => {
    expect(JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(vectors.map(summary))));
  });

  it('the event vectors carry the protocol\'s meta fields (timestamp in seconds, key in base64)', () => {
    const [http] = new FrameDecoder().push(read('event-binary-body.hex'));
    expect(decodeMetaBody(http!.payload).meta).toMatchObject({ id: 'a1b2-7', timestamp: 1795830000.123, fields: { tag: ['a', 'b'] } });
    const [stream] = new FrameDecoder().push(read('event-stream.hex'));
    expect(decodeMetaBody(stream!.payload).meta).toMatchObject({ topic: 'orders', shardId: 3, offset: '1042', key: 'b3JkZXItMQ==', explicitAck: true });
    expect(decodeMetaBody(http!.payload).meta).not.toHaveProperty('explicitAck');
  });
});
