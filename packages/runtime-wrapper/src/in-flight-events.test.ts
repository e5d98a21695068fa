import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@nucleon/core';
import { createTestEvent, InMemoryLogger } from '@nucleon/core/testing';
import { encodeMetaBody, FrameType, type Frame } from './frame-codec.js';
import { InFlightEvents } from './in-flight-events.js';

const frame = (type: FrameType, id: number, payload: Buffer | object): Frame =>
  ({ type, id, payload: Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload)) });

describe('InFlightEvents', () => {
  it('hands out ids from 1, wraps past 2^32-1 to 1 and skips ids still in flight', () => {
    const table = new InFlightEvents(new InMemoryLogger(), undefined);
    expect(table.add(createTestEvent(), new InMemoryLogger()).id).toBe(1);
    (table as unknown as { nextId: number }).nextId = 0xffff_fffe;
    expect(table.add(createTestEvent(), new InMemoryLogger()).id).toBe(0xffff_ffff);
    expect(table.add(createTestEvent(), new InMemoryLogger()).id).toBe(2); // 1 is still in flight
    expect(table.size).toBe(3);
  });

  it('settles the right event when answers come out of order', async () => {
    const table = new InFlightEvents(new InMemoryLogger(), undefined);
    const a = table.add(createTestEvent(), new InMemoryLogger());
    const b = table.add(createTestEvent(), new InMemoryLogger());
    table.handle(frame(FrameType.ERROR, b.id, { type: 'KeyError', message: 'k' }));
    table.handle(frame(FrameType.RESPONSE, a.id, encodeMetaBody({ statusCode: 202 }, Buffer.from('a'))));
    await expect(a.answer).resolves.toMatchObject({ statusCode: 202, body: Buffer.from('a') });
    await expect(b.answer).rejects.toMatchObject({ code: ErrorCodes.HANDLER_FAILED, message: 'handler raised KeyError: k' });
    expect(table.size).toBe(0);
  });

  it('refuses an answer for an id not in flight with WRAPPER_PROTOCOL, but keeps late LOG lines', () => {
    const fallback = new InMemoryLogger();
    const table = new InFlightEvents(fallback, undefined);
    expect(() => table.handle(frame(FrameType.RESPONSE, 9, encodeMetaBody({}, Buffer.alloc(0)))))
      .toThrow(expect.objectContaining({ code: ErrorCodes.WRAPPER_PROTOCOL, message: 'RESPONSE for event id 9, which is not in flight' }));
    expect(table.handle(frame(FrameType.LOG, 9, { level: 'debug', message: 'late' }))).toBe(true);
    expect(fallback.records).toEqual([{ level: 'debug', message: 'late', fields: {} }]);
    expect(table.handle(frame(FrameType.DRAINED, 0, Buffer.alloc(0)))).toBe(false);
  });

  it('rejectAll fails every event in flight', async () => {
    const table = new InFlightEvents(new InMemoryLogger(), undefined);
    const answers = [table.add(createTestEvent(), new InMemoryLogger()).answer, table.add(createTestEvent(), new InMemoryLogger()).answer];
    const crash = new Error('gone');
    table.rejectAll(crash);
    for (const answer of answers) await expect(answer).rejects.toBe(crash);
    expect(table.size).toBe(0);
  });

  it('hands an ACK for an event in flight to onAck with that event and its logger, and drops a late ACK', async () => {
    const acked: Array<[string, unknown]> = [];
    const table = new InFlightEvents(new InMemoryLogger(), (event, logger) => acked.push([event.id, logger]));
    const eventLogger = new InMemoryLogger();
    const event = createTestEvent();
    const { id, answer } = table.add(event, eventLogger);
    expect(table.handle(frame(FrameType.ACK, id, {}))).toBe(true);
    expect(acked).toEqual([[event.id, eventLogger]]);
    table.handle(frame(FrameType.RESPONSE, id, encodeMetaBody({}, Buffer.alloc(0))));
    await answer;
    expect(table.handle(frame(FrameType.ACK, id, {}))).toBe(true); // answered already: accepted, not acked
    expect(acked).toHaveLength(1);
  });
});
