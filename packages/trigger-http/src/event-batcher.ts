import {
  createError, ErrorCodes, normalizeResult, type Event, type EventBatch, type EventCallback, type EventHeaders, type Response,
  type TriggerInfo,
} from '@nucleon/core';

/** One request of a batch being gathered: its event and where its answer goes. */
interface Entry {
  event: Event;
  reply: EventCallback;
  answered: boolean;
}

const EMPTY = Buffer.alloc(0);
const NO_HEADERS: EventHeaders = Object.freeze({}) as EventHeaders;
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/**
 * The one Event a batch travels as through the worker pool: the pool's wait, eventTimeout and
 * metrics apply to the batch as a whole; the runtime reads `batch` and answers each event.
 */
class BatchCarrier implements Event, EventBatch {
  readonly body = EMPTY;
  readonly contentType = '';
  readonly headers = NO_HEADERS;
  readonly fields = NO_FIELDS;
  readonly method = '';
  readonly path = '';
  readonly url = '';
  readonly timestamp = new Date();
  readonly events: Event[];
  private readonly byId = new Map<string, Entry>();

  constructor(readonly id: string, readonly trigger: TriggerInfo, readonly entries: readonly Entry[]) {
    this.events = entries.map((entry) => entry.event);
    for (const entry of entries) this.byId.set(entry.event.id, entry);
  }

  get batch(): EventBatch {
    return this;
  }

  respond(eventId: string, response: Response): boolean {
    const entry = this.byId.get(eventId);
    if (!entry || entry.answered) return false;
    entry.answered = true;
    let normalized: Response;
    try {
      normalized = normalizeResult(response);
    } catch (error) {
      entry.reply(error as Error);
      return true;
    }
    entry.reply(undefined, normalized);
    return true;
  }

  /** The batch's handling ended: every event not answered yet gets `error`, or "no response" after a success. */
  settle(error: Error | undefined): void {
    for (const entry of this.entries) {
      if (entry.answered) continue;
      entry.answered = true;
      entry.reply(error ?? createError(ErrorCodes.BATCH_RESPONSE_MISSING,
        `the batch handler returned no response for event ${entry.event.id} (batch ${this.id}); give each response the event's id as event_id`));
    }
  }
}

/** What a batcher needs from its trigger. */
export interface EventBatcherOptions {
  batchSize: number;
  timeoutMs: number;
  trigger: TriggerInfo;
  idPrefix: string;
  /** Hands the carrier to the worker pool. */
  dispatch(event: Event, done: EventCallback): void;
}

/**
 * Nuclio's HTTP batching: requests are gathered until `batchSize` are in or `timeoutMs`
 * has passed since the first, then go to the pool as one carrier event. Each request is
 * answered with the response the handler gave its event id; a missing one gets a coded
 * 500, and a batch that fails (the handler raised, eventTimeout) fails every request in it.
 */
export class EventBatcher {
  private gathering: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextBatch = 0;

  constructor(private readonly options: EventBatcherOptions) {}

  add(event: Event, reply: EventCallback): void {
    this.gathering.push({ event, reply, answered: false });
    if (this.gathering.length >= this.options.batchSize) this.flush();
    else if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.options.timeoutMs);
  }

  /** Sends what has been gathered now (also on stop, so no request waits out the timeout). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.gathering.length === 0) return;
    const entries = this.gathering;
    this.gathering = [];
    const carrier = new BatchCarrier(`${this.options.idPrefix}batch-${(this.nextBatch += 1)}`, this.options.trigger, entries);
    this.options.dispatch(carrier, (error) => carrier.settle(error));
  }
}
