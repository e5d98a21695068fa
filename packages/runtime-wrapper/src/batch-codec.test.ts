import { describe, expect, it } from 'vitest';
import { Response, type Event, type EventBatch } from '@nucleon/core';
import { noopLogger } from '@nucleon/core/testing';
import { decodeBatchResponse, deliverBatch, encodeBatchFrame } from './batch-codec.js';
import { decodeMetaBody, encodeMetaBody, FrameDecoder, FrameType } from './frame-codec.js';

function event(id: string, body: string): Event {
  return {
    id, body: Buffer.from(body), contentType: 'text/plain', headers: {}, fields: {}, method: 'POST', path: '/', url: '/',
    timestamp: new Date(1_795_830_000_250), trigger: { kind: 'http', name: 'web' },
  };
}

function carrier(events: Event[], answers: Map<string, Response> = new Map()): Event {
  const batch: EventBatch = {
    events,
    respond: (id, response) => {
      if (!events.some((e) => e.id === id) || answers.has(id)) return false;
      answers.set(id, response);
      return true;
    },
  };
  return { ...event('batch-1', ''), batch };
}

const responses = (entries: Array<Record<string, unknown>>, body: string | Buffer): Buffer =>
  encodeMetaBody({ responses: entries }, Buffer.from(body));

describe('batch codec', () => {
  it('encodes a batch as one EVENT_BATCH frame: every EVENT meta with its bodyLength, bodies back to back', () => {
    const frame = encodeBatchFrame(7, carrier([event('a', 'one'), event('b', ''), event('c', '\u0000three')]));
    const [decoded] = new FrameDecoder().push(frame);
    expect(decoded).toMatchObject({ type: FrameType.EVENT_BATCH, id: 7 });
    const { meta, body } = decodeMetaBody(decoded!.payload);
    const metas = meta.events as Array<{ id: string; bodyLength: number; timestamp: number; trigger: unknown }>;
    expect(metas.map((m) => [m.id, m.bodyLength])).toEqual([['a', 3], ['b', 0], ['c', 6]]);
    expect(metas[0]).toMatchObject({ timestamp: 1_795_830_000.25, trigger: { kind: 'http', name: 'web' } });
    expect(body.toString()).toBe('one\u0000three');
  });

  it('decodes RESPONSE_BATCH answers, each with its own slice of the body, status, type and headers', () => {
    const answers = decodeBatchResponse(responses([
      { eventId: 'a', bodyLength: 2, statusCode: 201, contentType: 'text/x', headers: { 'x-k': 'v' } },
      { eventId: 'c', bodyLength: 3 },
    ], 'hiyes'));
    expect(answers.map((a) => [a.eventId, a.response.statusCode, a.response.contentType, (a.response.body as Buffer).toString()]))
      .toEqual([['a', 201, 'text/x', 'hi'], ['c', 200, undefined, 'yes']]);
    expect(answers[0]?.response.headers).toEqual({ 'x-k': 'v' });
  });

  it.each([
    [{}, 'no "responses" list'],
    [{ responses: [{ bodyLength: 0 }] }, 'without a string "eventId"'],
    [{ responses: [{ eventId: 'a', bodyLength: 9 }] }, 'bodyLength 9 does not fit'],
    [{ responses: [{ eventId: 'a', bodyLength: 0, statusCode: '200' }] }, 'statusCode is not a number'],
    [{ responses: [{ eventId: 'a', bodyLength: 0, headers: [] }] }, 'headers is not an object'],
  ])('refuses the malformed RESPONSE_BATCH meta %j as a protocol error', (meta, message) => {
    expect(() => decodeBatchResponse(encodeMetaBody(meta, Buffer.from('ab')))).toThrow(message);
  });

  it('delivers each answer to its event and drops one for an id not in the batch', () => {
    const answers = new Map<string, Response>();
    const warned: unknown[] = [];
    const logger = { ...noopLogger, warnWith: (message: string, fields: unknown) => { warned.push([message, fields]); } };
    deliverBatch(carrier([event('a', ''), event('b', '')], answers),
      responses([{ eventId: 'b', bodyLength: 1 }, { eventId: 'zzz', bodyLength: 0 }], 'B'), logger);
    expect([...answers.keys()]).toEqual(['b']);
    expect((answers.get('b')?.body as Buffer).toString()).toBe('B');
    expect(warned).toEqual([[expect.stringContaining('not in its batch'), { eventId: 'zzz', batch: 'batch-1' }]]);
  });
});
