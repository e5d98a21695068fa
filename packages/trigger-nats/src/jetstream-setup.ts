import { AckPolicy, DeliverPolicy, nanos, StorageType, type ConsumerConfig, type JetStreamManager } from 'nats';
import type { Logger } from '@nucleon/core';
import type { JetStreamSettings } from './config.js';
import { subjectCovers } from './subjects.js';

/** Builds the start error naming the trigger and `spec.triggers.<name>.attributes.<attribute>`. */
export type StartFailure = (message: string, cause: unknown, attribute: string) => Error;

/**
 * Makes sure the stream exists and captures `topic`: created over `topic` (file storage) when
 * missing, refused when it exists without capturing it.
 */
export async function ensureStream(jsm: JetStreamManager, js: JetStreamSettings, topic: string, logger: Logger, fail: StartFailure): Promise<void> {
  let subjects: string[];
  try {
    subjects = (await jsm.streams.info(js.stream)).config.subjects ?? [];
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) {
      throw fail(`cannot read stream ${js.stream}: ${(err as Error).message}`, err, 'jetStream.stream');
    }
    try {
      await jsm.streams.add({ name: js.stream, subjects: [topic], storage: StorageType.File });
    } catch (addErr) {
      throw fail(`stream ${js.stream} does not exist and cannot be created over ${topic}: ${(addErr as Error).message}`,
        addErr, 'jetStream.stream');
    }
    logger.infoWith('JetStream stream created', { stream: js.stream, subjects: [topic] });
    return;
  }
  if (!subjects.some((subject) => subjectCovers(subject, topic))) {
    throw fail(`stream ${js.stream} does not capture topic ${topic} (its subjects: ${subjects.join(', ') || 'none'})`,
      undefined, 'topic');
  }
}

/**
 * Makes sure the durable pull consumer exists with explicit acks and `filter_subject: topic`;
 * creates it, or updates its ackWait and maxAckPending, and refuses an incompatible one.
 */
export async function ensureConsumer(jsm: JetStreamManager, js: JetStreamSettings, topic: string, logger: Logger, fail: StartFailure): Promise<void> {
  const wanted: Partial<ConsumerConfig> = {
    durable_name: js.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(js.ackWaitMs),
    max_ack_pending: js.maxAckPending,
    deliver_policy: js.deliverPolicy as DeliverPolicy,
    filter_subject: topic,
    // The policy runs the retries: the server redelivers only what it was not told about.
    max_deliver: -1,
  };
  let existing: ConsumerConfig | undefined;
  try {
    existing = (await jsm.consumers.info(js.stream, js.durable)).config;
  } catch (err) {
    if (!/not found/i.test((err as Error).message)) {
      throw fail(`cannot read consumer ${js.durable} of stream ${js.stream}: ${(err as Error).message}`, err, 'jetStream.durable');
    }
  }
  try {
    if (!existing) {
      await jsm.consumers.add(js.stream, wanted);
      logger.infoWith('JetStream durable consumer created', { stream: js.stream, durable: js.durable, deliverPolicy: js.deliverPolicy });
      return;
    }
    if (existing.filter_subject !== topic) {
      throw new Error(`it exists with filter subject ${existing.filter_subject ?? '(none)'}, not ${topic}`);
    }
    if (existing.ack_policy !== AckPolicy.Explicit || existing.deliver_subject) {
      throw new Error('it exists but is not a pull consumer with explicit acks');
    }
    if (existing.ack_wait !== wanted.ack_wait || existing.max_ack_pending !== wanted.max_ack_pending) {
      await jsm.consumers.update(js.stream, js.durable, { ack_wait: wanted.ack_wait, max_ack_pending: wanted.max_ack_pending });
    }
  } catch (err) {
    throw fail(`cannot use durable consumer ${js.durable} on stream ${js.stream}: ${(err as Error).message}`, err, 'jetStream.durable');
  }
}
