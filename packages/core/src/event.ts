import type { Response } from './response.js';

/** Which trigger produced an event. */
export interface TriggerInfo {
  /** The trigger's kind as configured (`http`, `kafka-cluster`, a package name, ...). */
  kind: string;
  /** The trigger's name, the key under `spec.triggers`. */
  name: string;
}

/**
 * Events a trigger grouped into one handler call (Nuclio's batching). The trigger submits
 * one carrier Event whose `batch` is this; a runtime that batches runs the handler once with
 * every event of `events` and calls `respond` with each answer, matched by event id. Events
 * still unanswered when the carrier's handling ends are answered by the trigger with an error.
 */
export interface EventBatch {
  readonly events: readonly Event[];
  /** Delivers the handler's response for the event with id `eventId`; false for an id not in the batch or answered already. */
  respond(eventId: string, response: Response): boolean;
}

export type EventHeaders = Record<string, string | string[] | undefined>;

/**
 * The one neutral event shape: every trigger converts its source's input into it.
 * Stream triggers fill the optional stream fields.
 */
export interface Event {
  /** Unique per event within a processor. */
  id: string;
  /** Raw body bytes, exactly as received. */
  body: Buffer;
  contentType: string;
  headers: EventHeaders;
  /** Query parameters (HTTP) or source-specific fields. */
  fields: Record<string, string | string[]>;
  method: string;
  path: string;
  url: string;
  timestamp: Date;
  trigger: TriggerInfo;
  /** Event type, for sources that carry one (CloudEvents `type`); Nuclio's `event.type`. */
  type?: string;
  /** Version of the event type (Nuclio's `event.type_version`). */
  typeVersion?: string;
  /** Version of the event format (CloudEvents `specversion`; Nuclio's `event.version`). */
  version?: string;
  /** Stream sources: topic / queue / subject the record came from. */
  topic?: string;
  /** Stream sources: partition or shard id. */
  shardId?: number | string;
  /** Stream sources: offset or sequence number. */
  offset?: string;
  /** Stream sources: record key. */
  key?: Buffer;
  /**
   * Stream sources in `explicitAckMode` `enable` / `explicitOnly`: acknowledges this record at
   * the source (idempotent; the source sees at most one ack). Absent otherwise.
   */
  ack?: () => Promise<void>;
  /** Set only on a batch carrier: the events it stands for (see EventBatch). */
  batch?: EventBatch;
}
