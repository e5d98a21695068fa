import {
  GetRecordsCommand, GetShardIteratorCommand, type _Record as KinesisRecord, type GetRecordsCommandOutput,
  type KinesisClient, type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import {
  AttemptRunner, sleep,
  type DeadLetter, type DeliveryHooks, type DeliveryOutcome, type DeliveryPolicy, type Event, type EventCallback,
  type EventSubmitter, type Logger, type TriggerInfo,
} from '@nucleon/core';
import type { FileCheckpointStore } from './checkpoint-store.js';
import { errorText, isRetryable } from './kinesis-client.js';
import { KinesisEvent } from './records.js';

/** Where a shard's reading begins. */
export type StartPosition =
  | { type: 'AFTER_SEQUENCE_NUMBER' | 'AT_SEQUENCE_NUMBER'; sequenceNumber: string }
  | { type: 'LATEST' | 'TRIM_HORIZON' };

/** What a shard reader needs from its trigger. */
export interface ShardReaderHost {
  readonly client: KinesisClient;
  readonly streamName: string;
  readonly batchSize: number;
  readonly pollingPeriodMs: number;
  readonly store: FileCheckpointStore;
  readonly policy: DeliveryPolicy;
  readonly submitter: EventSubmitter;
  readonly dispatch: (event: Event, done: EventCallback) => void;
  /** Records run once through `dispatch` first (explicitAckMode disable). */
  readonly hotPath: boolean;
  readonly logger: Logger;
  readonly info: TriggerInfo;
  readonly idPrefix: string;
  /** Aborted when the trigger stops: no new poll, sleeps end. */
  readonly stopSignal: AbortSignal;
  /** Aborted at the stop deadline: a record waiting between attempts is given back. */
  readonly deliverySignal: AbortSignal;
  nextEventId(): number;
  publishDeadLetter(letter: DeadLetter): Promise<void>;
  /** Called once the shard is closed and every record of it handled (and checkpointed). */
  onShardEnd(shardId: string): void;
}

type Next = 'continue' | 'redeliver' | 'pause' | 'leave';

const MAX_BACKOFF_MS = 10_000;
const EXPIRED = Symbol('expired');

/**
 * One shard, one sequential loop: GetRecords, run each record in sequence-number order
 * (the next starts only when the previous one is settled), note it in the checkpoint store,
 * follow NextShardIterator (the next page is fetched while the current one runs); an empty
 * page waits `pollingPeriod`. A closed shard ends when
 * NextShardIterator is null: its end is checkpointed and the trigger starts its children.
 */
export class ShardReader {
  readonly done: Promise<void>;
  /** Resolves once the reader holds its first shard iterator (or gave up): LATEST counts from then. */
  readonly positioned: Promise<void>;
  private onPositioned: () => void = () => undefined;
  private lastHandled: string | undefined;

  constructor(private readonly host: ShardReaderHost, readonly shardId: string, private readonly start: StartPosition) {
    this.positioned = new Promise((resolve) => { this.onPositioned = resolve; });
    this.done = this.run().finally(() => this.onPositioned()).catch((err: unknown) => {
      host.logger.errorWith('Kinesis shard reader failed; the shard is not read until the processor restarts',
        { shard: shardId, error: errorText(err) });
    });
  }

  private get stopped(): boolean {
    return this.host.stopSignal.aborted;
  }

  private async run(): Promise<void> {
    const host = this.host;
    let iterator = await this.iteratorFor(this.start).finally(() => this.onPositioned());
    const runner = new AttemptRunner(host.dispatch);
    // The next page, asked for while this one's records run: a poll's round trip then overlaps
    // the handler instead of adding to it (records still run strictly in order).
    let prefetched: ReturnType<ShardReader['getRecords']> | undefined;
    while (iterator !== undefined && !this.stopped) {
      const page = await (prefetched ?? this.getRecords(iterator));
      prefetched = undefined;
      if (page === undefined) return;
      if (page === EXPIRED) {
        iterator = await this.iteratorFor(this.resumePosition());
        continue;
      }
      const records = page.Records ?? [];
      if (records.length > 0 && page.NextShardIterator) prefetched = this.getRecords(page.NextShardIterator);
      let redeliverAt: string | undefined;
      for (let i = 0; i < records.length; i += 1) {
        if (this.stopped) return;
        const record = records[i]!;
        const sequenceNumber = record.SequenceNumber!;
        const event = new KinesisEvent(host.idPrefix, host.nextEventId(), host.info, host.streamName, this.shardId, record);
        let failure: Error | undefined;
        if (host.hotPath) {
          const answer = runner.run(event);
          if (answer) await answer;
          if (runner.error === undefined) {
            this.lastHandled = sequenceNumber;
            host.store.handled(this.shardId, sequenceNumber);
            continue;
          }
          failure = runner.error;
        }
        const outcome = await this.deliver(event, record, failure);
        const next = this.next(outcome);
        if (next === 'continue') {
          this.lastHandled = sequenceNumber;
          continue;
        }
        const where = { shard: this.shardId, sequenceNumber, status: outcome.status, error: errorText(outcome.error) };
        if (next === 'leave') return;
        if (next === 'pause') {
          host.logger.errorWith('shard paused: a record failed every attempt and onExhausted is stop; restart the processor to retry it', where);
          return;
        }
        host.logger.warnWith('record not acknowledged; reading it again', where);
        redeliverAt = sequenceNumber;
        break;
      }
      if (redeliverAt !== undefined) {
        prefetched = undefined; // read again from the record given back instead
        await this.sleep(Math.max(host.pollingPeriodMs, 1_000));
        iterator = await this.iteratorFor({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: redeliverAt });
        continue;
      }
      if (!page.NextShardIterator) {
        await this.checkpointEnd();
        host.onShardEnd(this.shardId);
        return;
      }
      iterator = page.NextShardIterator;
      if (records.length === 0) await this.sleep(host.pollingPeriodMs);
    }
  }

  /** Runs a record through the policy: all of it (explicit-ack modes) or what follows a failed first attempt. */
  private async deliver(event: Event, record: KinesisRecord, failure: Error | undefined): Promise<DeliveryOutcome> {
    const host = this.host;
    const sequenceNumber = record.SequenceNumber!;
    const hooks: DeliveryHooks = {
      submit: (attempt) => host.submitter.submit(attempt.event),
      // A Kinesis checkpoint covers every earlier record of the shard; records are settled in order.
      ack: async () => host.store.handled(this.shardId, sequenceNumber),
      deadLetter: (letter) => host.publishDeadLetter(letter),
      signal: host.deliverySignal,
    };
    return failure ? host.policy.deliverAfterFailure(event, hooks, failure) : host.policy.deliver(event, hooks);
  }

  private next(outcome: DeliveryOutcome): Next {
    switch (outcome.status) {
      case 'acked': case 'dead-lettered': case 'dropped': case 'handled':
        return 'continue';
      case 'not-acked':
        return this.stopped || this.host.deliverySignal.aborted ? 'leave' : 'redeliver';
      case 'failed':
        return this.host.policy.options.onExhausted === 'stop' ? 'pause' : 'redeliver';
    }
  }

  private resumePosition(): StartPosition {
    return this.lastHandled !== undefined ? { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: this.lastHandled } : this.start;
  }

  private async checkpointEnd(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        await this.host.store.ended(this.shardId);
        this.host.logger.infoWith('Kinesis shard read to its end', { shard: this.shardId });
        return;
      } catch (err) {
        this.host.logger.warnWith('cannot write the shard-end checkpoint; retrying', { shard: this.shardId, error: errorText(err) });
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  /** A shard iterator, retried with backoff; undefined once the trigger stops. */
  private async iteratorFor(position: StartPosition): Promise<string | undefined> {
    const command = new GetShardIteratorCommand({
      StreamName: this.host.streamName,
      ShardId: this.shardId,
      ShardIteratorType: position.type as ShardIteratorType,
      ...('sequenceNumber' in position ? { StartingSequenceNumber: position.sequenceNumber } : {}),
    });
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        const out = await this.host.client.send(command, { abortSignal: this.host.stopSignal });
        return out.ShardIterator;
      } catch (err) {
        if (this.stopped) return undefined;
        this.logRetry('GetShardIterator', err, attempt);
        await this.sleep(this.backoff(attempt));
      }
    }
    return undefined;
  }

  /** One page, retried with backoff on throttling and transient errors; EXPIRED when the iterator must be renewed. */
  private async getRecords(iterator: string): Promise<GetRecordsCommandOutput | typeof EXPIRED | undefined> {
    const command = new GetRecordsCommand({ ShardIterator: iterator, Limit: this.host.batchSize });
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        return await this.host.client.send(command, { abortSignal: this.host.stopSignal });
      } catch (err) {
        if (this.stopped) return undefined;
        if ((err as Error).name === 'ExpiredIteratorException') return EXPIRED;
        this.logRetry('GetRecords', err, attempt);
        await this.sleep(this.backoff(attempt));
      }
    }
    return undefined;
  }

  private logRetry(call: string, err: unknown, attempt: number): void {
    // The first failure and then every tenth: a long outage should not flood the log.
    if (attempt !== 1 && attempt % 10 !== 0) return;
    const fields = { shard: this.shardId, call, attempt, error: errorText(err) };
    if (isRetryable(err)) this.host.logger.warnWith('Kinesis call failed; retrying with backoff', fields);
    else this.host.logger.errorWith('Kinesis call failed (not a transient error); retrying with backoff', fields);
  }

  private backoff(attempt: number): number {
    const base = Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(attempt - 1, 10));
    return base / 2 + Math.random() * (base / 2);
  }

  /** Waits `ms`, or less when the trigger stops. */
  private sleep(ms: number): Promise<void> {
    return sleep(ms, this.host.stopSignal);
  }
}
