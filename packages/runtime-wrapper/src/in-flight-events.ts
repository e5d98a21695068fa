import { createError, ErrorCodes, Response, type Event, type Logger } from '@nucleon/core';
import { deliverBatch } from './batch-codec.js';
import { decodeError, decodeResponse, remoteError } from './event-codec.js';
import { FrameType, frameTypeName, protocolError, type Frame } from './frame-codec.js';
import type { AckListener } from './explicit-ack.js';
import { relayLog, relayMetric } from './log-relay.js';

/** What a batch carrier resolves with once its answers went to their events (the trigger reads those, not this). */
const BATCH_DONE = new Response('', {}, 'text/plain; charset=utf-8', 200);

interface PendingEvent {
  event: Event;
  logger: Logger;
  resolve(response: Response): void;
  reject(error: Error): void;
}

/**
 * The events sent to one wrapper and not yet answered, by frame id: where RESPONSE and
 * ERROR find their caller, and LOG/METRIC/ACK the event's logger and the event itself.
 */
export class InFlightEvents {
  private nextId = 0;
  private readonly pending = new Map<number, PendingEvent>();

  /** `logger` takes lines not tied to an event in flight; `onAck` receives ACKed events with their logger. */
  constructor(private readonly logger: Logger, private readonly onAck: AckListener | undefined) {}

  get size(): number {
    return this.pending.size;
  }

  /** A fresh frame id (never 0, never one in flight) and the promise its answer settles. */
  add(event: Event, logger: Logger): { id: number; answer: Promise<Response> } {
    do this.nextId = this.nextId >= 0xffff_ffff ? 1 : this.nextId + 1; while (this.pending.has(this.nextId));
    const id = this.nextId;
    const answer = new Promise<Response>((resolve, reject) => this.pending.set(id, { event, logger, resolve, reject }));
    return { id, answer };
  }

  /**
   * Handles a RESPONSE, RESPONSE_BATCH, ERROR, LOG, METRIC or ACK frame; false for any other type. An answer
   * for an id not in flight, or a payload its type cannot have, throws WRAPPER_PROTOCOL.
   */
  handle(frame: Frame): boolean {
    const { type, payload } = frame;
    if (type === FrameType.RESPONSE) {
      const response = decodeResponse(payload);
      this.take(frame).resolve(response);
    } else if (type === FrameType.RESPONSE_BATCH) {
      const pending = this.take(frame);
      deliverBatch(pending.event, payload, pending.logger);
      pending.resolve(BATCH_DONE);
    } else if (type === FrameType.ERROR) {
      const { type: name, message, stack } = decodeError(payload);
      this.take(frame).reject(createError(ErrorCodes.HANDLER_FAILED, `handler raised ${name}: ${message}`,
        { cause: remoteError(name, message, stack), details: { type: name } }));
    } else if (type === FrameType.LOG || type === FrameType.METRIC || type === FrameType.ACK) {
      // Lines for an event already answered (a handler's background task) are kept, without the event.
      const pending = frame.id === 0 ? undefined : this.pending.get(frame.id);
      const logger = pending?.logger ?? this.logger;
      if (type === FrameType.LOG) relayLog(logger, payload, pending?.event);
      else if (type === FrameType.METRIC) relayMetric(logger, payload, pending?.event);
      else if (pending) this.onAck?.(pending.event, pending.logger);
    } else {
      return false;
    }
    return true;
  }

  /** Fails every event in flight with `error`, at once. */
  rejectAll(error: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const pending of all) pending.reject(error);
  }

  private take(frame: Frame): PendingEvent {
    const pending = this.pending.get(frame.id);
    if (!pending) throw protocolError(`${frameTypeName(frame.type)} for event id ${frame.id}, which is not in flight`, frame.payload);
    this.pending.delete(frame.id);
    return pending;
  }
}
