import { randomBytes } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import {
  createDeliveryPolicy, createError, encodeDeadLetter, ErrorCodes, readDeliveryAttributes,
  type DeadLetter, type DeliveryHooks, type DeliveryOutcome, type DeliveryPolicy, type Event, type EventCallback,
  type EventSubmitter, type Logger, type Response,
  type Trigger, type TriggerCreateOptions, type TriggerInfo, AttemptRunner, dispatcherOf,
} from '@nucleon/core';
import { CommitTracker } from './commit-tracker.js';
import { readKafkaSettings, type KafkaSettings } from './config.js';
import { createKafkaClient } from './kafka-client.js';
import { KafkaEvent } from './records.js';

/**
 * How often a partition commits what it handled while working through a long batch (besides
 * at the end of each batch, on rebalance and on stop): bounds what a crash makes run again.
 */
const COMMIT_INTERVAL_MS = 1_000;

/**
 * How often a partition asks kafkajs to heartbeat between records (kafkajs sends one only
 * every heartbeatInterval): this is also when it learns that a rebalance began.
 */
const HEARTBEAT_CHECK_MS = 100;

/** What to do with the rest of a batch after one record's outcome. */
type Next = 'continue' | 'redeliver' | 'pause' | 'leave';

/**
 * The Kafka trigger: one consumer in `consumerGroup`; each assigned partition is handled in
 * offset order, up to `numWorkers` partitions at once. Every record follows the core delivery
 * contract (docs/delivery.md), and a partition's offset is committed only up to records that
 * were handled (or dead-lettered) and acknowledged, so a crash or a rebalance redelivers and
 * never skips.
 */
export class KafkaTrigger implements Trigger {
  private readonly settings: KafkaSettings;
  private readonly policy: DeliveryPolicy;
  private readonly submitter: EventSubmitter;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  private readonly commits = new CommitTracker();
  /** Aborted on stop: a record waiting between attempts is given back instead of retried. */
  private readonly abort = new AbortController();
  private readonly needsProducer: boolean;
  /** Records run once through `dispatch`, without the policy, until one fails (see onBatch). */
  private readonly hotPath: boolean;
  private readonly dispatch: (event: Event, done: EventCallback) => void;
  private nextId = 0;
  private kafka: Kafka | undefined;
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private stopping = false;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readKafkaSettings(options.name, options.config, options.function.metadata.name);
    const delivery = readDeliveryAttributes(`spec.triggers.${options.name}`, options.config.attributes, options.config.explicitAckMode);
    this.policy = createDeliveryPolicy({ ...delivery, logger: options.logger });
    this.needsProducer = delivery.deadLetter !== undefined || this.settings.responseTopic !== undefined;
    this.submitter = options.submitter;
    this.hotPath = delivery.explicitAckMode === 'disable';
    this.dispatch = dispatcherOf(options.submitter);
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
  }

  async start(): Promise<void> {
    const s = this.settings;
    if (s.workerAllocationMode === 'static') {
      this.logger.warnWith('workerAllocationMode static pins no worker to a partition yet; records of a partition stay in order as with pool',
        { trigger: this.options.name });
    }
    this.kafka = createKafkaClient(s, this.logger);
    const consumer = this.kafka.consumer({
      groupId: s.consumerGroup,
      sessionTimeout: s.sessionTimeoutMs,
      heartbeatInterval: s.heartbeatIntervalMs,
      rebalanceTimeout: s.rebalanceTimeoutMs,
      maxWaitTimeInMs: s.maxWaitTimeMs,
      minBytes: s.fetchMin,
      maxBytesPerPartition: s.fetchDefault,
      ...(s.fetchMax > 0 ? { maxBytes: s.fetchMax } : {}),
      // Once running, a lost broker is retried for as long as the processor lives.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000, restartOnFailure: async () => !this.stopping },
    });
    this.consumer = consumer;
    const joined = this.waitForJoin(consumer);
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // A new assignment: what the broker has committed is the truth now (see CommitTracker.reset).
      this.commits.reset();
      this.logger.infoWith('Kafka trigger joined its group', { group: s.consumerGroup, assignment: payload.memberAssignment });
    });
    try {
      if (this.needsProducer) {
        this.producer = this.kafka.producer({ allowAutoTopicCreation: true });
        await this.producer.connect();
      }
      await consumer.connect();
      await consumer.subscribe({ topics: s.topics, fromBeginning: s.fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: s.concurrency,
        eachBatch: (payload) => this.onBatch(payload),
      });
      await joined.promise;
    } catch (err) {
      joined.cancel();
      await this.disconnect();
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: cannot consume ${s.topics.join(', ')} from ${s.brokers.join(', ')}: ${(err as Error).message}`,
        { cause: err, details: { plugin: '@nucleon/trigger-kafka', hook: 'start' } });
    }
    this.logger.infoWith('Kafka trigger consuming', {
      brokers: s.brokers, topics: s.topics, group: s.consumerGroup, partitionsAtOnce: s.concurrency,
    });
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    // Past the deadline, a record waiting for its next attempt is given back, not retried.
    const timer = setTimeout(() => this.abort.abort(), deadlineMs);
    try {
      await this.consumer?.stop();
      await this.commitPending();
    } finally {
      clearTimeout(timer);
      this.abort.abort();
      await this.disconnect();
    }
  }

  /** Resolves on the first group join; rejects if the consumer crashes first or never joins in time. */
  private waitForJoin(consumer: Consumer): { promise: Promise<void>; cancel: () => void } {
    const limitMs = this.settings.rebalanceTimeoutMs + this.settings.sessionTimeoutMs + 10_000;
    let cancel = (): void => undefined;
    const promise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`did not join consumer group ${this.settings.consumerGroup} within ${limitMs} ms`)), limitMs);
      const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => done());
      const offCrash = consumer.on(consumer.events.CRASH, ({ payload }) => done(payload.error));
      const done = (error?: Error): void => {
        clearTimeout(timer);
        offJoin();
        offCrash();
        if (error) reject(error);
        else resolve();
      };
      cancel = () => done();
    });
    return { promise, cancel };
  }

  /**
   * Handles one partition's batch in offset order; kafkajs runs up to `concurrency` of these
   * at once. The hot path (`explicitAckMode: disable`) runs each record once through
   * `dispatch` and, on success, only notes its offset; failures and explicit-ack modes go
   * through the delivery policy.
   */
  private async onBatch({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    let lastBeat = Date.now();
    let lastCommit = lastBeat;
    // Offset of the last record handled on the hot path and not yet given to the commit tracker.
    let handled: string | undefined;
    const noteHandled = (): void => {
      if (handled !== undefined) this.commits.ack(topic, partition, handled);
      handled = undefined;
    };
    const runner = new AttemptRunner(this.dispatch);
    for (const message of batch.messages) {
      if (this.stopping || !isRunning() || isStale()) break;
      const event = new KafkaEvent(this.idPrefix, (this.nextId += 1), this.info, topic, partition, message);
      let failed = false;
      if (this.hotPath) {
        const answer = runner.run(event);
        if (answer) await answer;
        if (runner.error === undefined) {
          handled = message.offset;
          if (this.settings.responseTopic && runner.response) await this.publishResponse(message, runner.response);
        } else {
          failed = true;
        }
      }
      if (!this.hotPath || failed) {
        noteHandled();
        const outcome = await this.deliver(topic, partition, message, event, failed ? runner.error : undefined);
        const next = this.next(outcome);
        if (next !== 'continue') {
          this.onStopped(next, topic, partition, message, outcome);
          break;
        }
      }
      const now = Date.now();
      if (now - lastBeat >= HEARTBEAT_CHECK_MS) {
        lastBeat = now;
        try {
          await heartbeat();
        } catch (err) {
          // A rebalance began: commit what this partition handled while the generation still
          // accepts it, so the partition's next owner starts after it.
          noteHandled();
          await this.commitPending(topic, partition);
          throw err;
        }
      }
      if (now - lastCommit >= COMMIT_INTERVAL_MS) {
        noteHandled();
        await this.commitPending(topic, partition);
        lastCommit = now;
      }
    }
    noteHandled();
    await this.commitPending(topic, partition);
  }

  /** Delivers a record through the policy: all of it, or what follows a failed hot-path attempt. */
  private async deliver(topic: string, partition: number, message: KafkaMessage, event: Event,
    failure: Error | undefined): Promise<DeliveryOutcome> {
    const hooks: DeliveryHooks = {
      submit: (attempt) => this.submitter.submit(attempt.event),
      ack: async () => this.commits.ack(topic, partition, message.offset),
      deadLetter: (letter) => this.publishDeadLetter(letter),
      signal: this.abort.signal,
    };
    const outcome = failure
      ? await this.policy.deliverAfterFailure(event, hooks, failure)
      : await this.policy.deliver(event, hooks);
    if (outcome.response && this.settings.responseTopic) await this.publishResponse(message, outcome.response);
    return outcome;
  }

  /** Maps a delivery outcome to what the partition does next (docs/delivery.md, "Writing a stream trigger"). */
  private next(outcome: DeliveryOutcome): Next {
    switch (outcome.status) {
      case 'acked': case 'dead-lettered': case 'dropped': case 'handled':
        return 'continue';
      case 'not-acked':
        return this.stopping || this.abort.signal.aborted ? 'leave' : 'redeliver';
      case 'failed':
        return this.policy.options.onExhausted === 'stop' ? 'pause' : 'redeliver';
    }
  }

  /** A record was not acknowledged: read it again (seek back), or hold the partition for an operator. */
  private onStopped(next: Next, topic: string, partition: number, message: KafkaMessage, outcome: DeliveryOutcome): void {
    if (next === 'leave' || !this.consumer) return;
    const where = { topic, partition, offset: message.offset, status: outcome.status, error: errorText(outcome.error) };
    if (next === 'pause') {
      this.logger.errorWith('partition paused: a record failed every attempt and onExhausted is stop; restart the processor to retry it', where);
      this.consumer.pause([{ topic, partitions: [partition] }]);
      return;
    }
    this.logger.warnWith('record not acknowledged; reading it again', where);
    this.consumer.seek({ topic, partition, offset: message.offset });
  }

  /** Commits the acknowledged offsets (of one partition, or all); a refused commit only means a redelivery later. */
  private async commitPending(topic?: string, partition?: number): Promise<void> {
    const offsets = this.commits.pending(topic, partition);
    if (offsets.length === 0 || !this.consumer) return;
    try {
      await this.consumer.commitOffsets(offsets);
      this.commits.committedNow(offsets);
    } catch (err) {
      this.logger.warnWith('offset commit refused; those records may be delivered again', { offsets, error: errorText(err) });
    }
  }

  /** Publishes to the dead-letter topic; resolves once every in-sync replica has it (acks -1). */
  private async publishDeadLetter(letter: DeadLetter): Promise<void> {
    if (!this.producer) throw new Error('no producer for the dead-letter topic');
    const encoded = encodeDeadLetter(letter);
    await this.producer.send({
      topic: letter.target,
      acks: -1,
      messages: [{ key: encoded.key ?? null, value: encoded.body, headers: encoded.headers }],
    });
  }

  private async publishResponse(message: KafkaMessage, response: Response): Promise<void> {
    const body = response.body;
    const value = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
    try {
      await this.producer?.send({ topic: this.settings.responseTopic as string, messages: [{ key: message.key ?? null, value }] });
    } catch (err) {
      this.logger.warnWith('response not published', { topic: this.settings.responseTopic, error: errorText(err) });
    }
  }

  private async disconnect(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }
}

function errorText(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  return err instanceof Error ? err.message : String(err);
}

export function createKafkaTrigger(options: TriggerCreateOptions): KafkaTrigger {
  return new KafkaTrigger(options);
}
