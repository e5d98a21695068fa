import { randomBytes } from 'node:crypto';
import { Duration, type PubSub, type Message, type Subscription, type Topic } from '@google-cloud/pubsub';
import {
  createDeliveryPolicy, createError, dispatcherOf, encodeDeadLetter, ErrorCodes, readDeliveryAttributes,
  type DeadLetter, type DeliveryHooks, type DeliveryPolicy, type Event, type EventCallback,
  type EventSubmitter, type Logger, type Trigger, type TriggerCreateOptions, type TriggerInfo,
} from '@nucleon/core';
import { readPubSubSettings, type PubSubSettings, type SubscriptionSettings } from './config.js';
import { createPubSubClient } from './pubsub-client.js';

/** Bound on everything `start` asks of the service: an unreachable endpoint fails the start in time (the client would retry for minutes). */
export const START_TIMEOUT_MS = 10_000;
/** Bound on one start-time call; below START_TIMEOUT_MS so its own error (UNAVAILABLE, NOT_FOUND) is what the user sees. */
const CALL_TIMEOUT_MS = 8_000;
/** Delays between reopening a subscription whose stream closed (first, then doubling up to the cap). */
const REOPEN_INITIAL_MS = 500;
const REOPEN_MAX_MS = 30_000;
/** Pub/Sub attribute values are at most 1024 bytes. */
const ATTRIBUTE_VALUE_MAX_BYTES = 1024;
/** gRPC status codes the start distinguishes. */
const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;

/** One consumed subscription and its reopen state. */
interface Consumer {
  settings: SubscriptionSettings;
  subscription: Subscription;
  /** Aborted on stop: records in retry backoff are given back (nacked) instead of retried. */
  abort: AbortController;
  reopenAttempt: number;
  reopenTimer?: NodeJS.Timeout;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * How long acks wait to be sent in one batch. The client frees a flow-control slot only once
 * the ack batch holding it is sent, so the window of W messages turns over at most every
 * batch delay: W / delay records/s. The client's 100 ms caps maxNumWorkers 1 at 10 records/s;
 * W ms (at most 100) lifts every window to at least 1,000 records/s and keeps big windows'
 * batches big.
 */
function ackBatchMs(maxNumWorkers: number): number {
  return Math.min(100, Math.max(1, maxNumWorkers));
}

/** Pub/Sub attributes are strings of at most 1024 bytes: joins lists, cuts long values. */
function toAttributes(headers: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    let text = Array.isArray(value) ? value.join(',') : value;
    if (Buffer.byteLength(text) > ATTRIBUTE_VALUE_MAX_BYTES) {
      text = Buffer.from(text).subarray(0, ATTRIBUTE_VALUE_MAX_BYTES - 3).toString().replace(/\uFFFD$/, '') + '...';
    }
    out[name] = text;
  }
  return out;
}

/**
 * The Pub/Sub trigger: one StreamingPull subscriber per configured subscription (the
 * `@google-cloud/pubsub` client, which also extends each message's ack deadline while it is
 * held), at most `maxNumWorkers` messages outstanding per subscription, every message
 * delivered through the core delivery policy: ack after success, retries with backoff, dead
 * letter to a topic, then ack; a message the policy does not acknowledge is nacked
 * (modifyAckDeadline 0), so the service redelivers it at once.
 */
export class PubSubTrigger implements Trigger {
  readonly settings: PubSubSettings;
  private readonly policy: DeliveryPolicy;
  private readonly submitter: EventSubmitter;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  /** `explicitAckMode: disable`: messages run once through `dispatch`; only failures go through the policy. */
  private readonly hotPath: boolean;
  private readonly dispatch: (event: Event, done: EventCallback) => void;
  private client: PubSub | undefined;
  private consumers: Consumer[] = [];
  private readonly deadLetterTopics = new Map<string, Topic>();
  private nextId = 0;
  private inFlight = 0;
  private onIdle: (() => void) | undefined;
  private stopping = false;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readPubSubSettings(options.name, options.config);
    this.policy = createDeliveryPolicy({
      ...readDeliveryAttributes(`spec.triggers.${options.name}`, options.config.attributes, options.config.explicitAckMode),
      logger: options.logger,
    });
    this.submitter = options.submitter;
    this.hotPath = this.policy.options.explicitAckMode === 'disable';
    this.dispatch = dispatcherOf(options.submitter);
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
  }

  /** Where the client connects, for messages. */
  get endpoint(): string {
    return this.settings.emulatorHost ? `${this.settings.emulatorHost} (emulator)` : 'pubsub.googleapis.com';
  }

  async start(): Promise<void> {
    const s = this.settings;
    const client = createPubSubClient(s);
    this.client = client;
    try {
      await withTimeout(this.prepare(client), START_TIMEOUT_MS, `Pub/Sub at ${this.endpoint}`);
    } catch (err) {
      await client.close().catch(() => undefined);
      this.client = undefined;
      const message = (err as Error).message;
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: cannot start consuming from Pub/Sub at ${this.endpoint}, project ${s.projectId}: ${message}`,
        { cause: err, details: { plugin: '@nucleon/trigger-pubsub', hook: 'start' } });
    }
    for (const settings of s.subscriptions) this.consumers.push(this.consume(client, settings));
    this.logger.infoWith('Pub/Sub trigger consuming', {
      endpoint: this.endpoint, project: s.projectId,
      subscriptions: s.subscriptions.map((x) => ({ topic: x.topic, subscription: x.id, shared: x.shared, maxNumWorkers: x.maxNumWorkers, ackDeadlineSeconds: x.ackDeadlineSeconds })),
    });
  }

  /** Creates (or checks) the subscriptions and the dead-letter topic. */
  private async prepare(client: PubSub): Promise<void> {
    const gaxOpts = { timeout: CALL_TIMEOUT_MS };
    for (const sub of this.settings.subscriptions) {
      if (sub.skipCreate) {
        const [exists] = await client.subscription(sub.id).exists();
        if (!exists) throw new Error(`subscription ${sub.id} does not exist (skipCreate is set, so it is not created)`);
        continue;
      }
      try {
        await client.topic(sub.topic).createSubscription(sub.id, { ackDeadlineSeconds: sub.ackDeadlineSeconds, gaxOpts });
        this.logger.infoWith('created Pub/Sub subscription', { subscription: sub.id, topic: sub.topic, ackDeadlineSeconds: sub.ackDeadlineSeconds });
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === GRPC_ALREADY_EXISTS) continue; // shared, or this replica's own from before a restart
        if (code === GRPC_NOT_FOUND) throw new Error(`topic ${sub.topic} does not exist (subscription ${sub.id}): ${(err as Error).message}`);
        throw err;
      }
    }
    const target = this.policy.options.deadLetter;
    if (target) {
      const topic = client.topic(target);
      try {
        await topic.create(gaxOpts);
        this.logger.infoWith('created the dead-letter topic', { topic: target });
      } catch (err) {
        if ((err as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw new Error(`dead-letter topic ${target}: ${(err as Error).message}`);
      }
      const [subs] = await topic.getSubscriptions({ gaxOpts });
      if (subs.length === 0) {
        this.logger.warnWith('the dead-letter topic has no subscription: Pub/Sub drops what is published to it', { topic: target });
      }
    }
  }

  private consume(client: PubSub, settings: SubscriptionSettings): Consumer {
    const deadline = Duration.from({ seconds: settings.ackDeadlineSeconds });
    const subscription = client.subscription(settings.id, {
      flowControl: { maxMessages: settings.maxNumWorkers, allowExcessMessages: false },
      // The client leases each message for this long and renews the lease while it is held.
      minAckDeadline: deadline,
      maxAckDeadline: deadline,
      streamingOptions: { maxStreams: Math.min(5, settings.maxNumWorkers) },
      batching: { maxMilliseconds: ackBatchMs(settings.maxNumWorkers) },
    });
    const consumer: Consumer = { settings, subscription, abort: new AbortController(), reopenAttempt: 0 };
    subscription.on('message', (message: Message) => this.onMessage(consumer, message));
    subscription.on('error', (err: Error) => {
      this.logger.warnWith('Pub/Sub subscription error', { subscription: settings.id, error: err.message });
    });
    subscription.on('close', () => this.onClosed(consumer));
    subscription.open();
    return consumer;
  }

  /** The client closed the subscriber (its stream failed for good): reopen it with backoff. */
  private onClosed(consumer: Consumer): void {
    if (this.stopping) return;
    const delay = Math.min(REOPEN_MAX_MS, REOPEN_INITIAL_MS * 2 ** consumer.reopenAttempt);
    consumer.reopenAttempt += 1;
    this.logger.warnWith('Pub/Sub subscriber closed; reopening', { subscription: consumer.settings.id, delayMs: delay });
    clearTimeout(consumer.reopenTimer);
    consumer.reopenTimer = setTimeout(() => {
      if (!this.stopping) consumer.subscription.open();
    }, delay);
    consumer.reopenTimer.unref?.();
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const client = this.client;
    if (!client) return;
    for (const c of this.consumers) {
      clearTimeout(c.reopenTimer);
      c.subscription.removeAllListeners('close');
    }
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Anything still running or in backoff is given back (nacked): Pub/Sub redelivers it.
    for (const c of this.consumers) c.abort.abort();
    // close() stops the stream, nacks what the client still holds and flushes pending acks.
    await Promise.all(this.consumers.map((c) => c.subscription.close().catch(() => undefined)));
    await Promise.all(this.consumers.filter((c) => c.settings.ephemeral).map((c) =>
      c.subscription.delete().catch((err: unknown) =>
        this.logger.warnWith('could not delete the per-replica subscription', { subscription: c.settings.id, error: (err as Error).message }))));
    await client.close().catch(() => undefined);
    this.client = undefined;
  }

  private toEvent(consumer: Consumer, message: Message): Event {
    const attributes = message.attributes;
    const orderingKey = message.orderingKey;
    const fields: Record<string, string> = { messageId: message.id, subscription: consumer.settings.id };
    if (message.deliveryAttempt) fields.deliveryAttempt = String(message.deliveryAttempt);
    const event: Event = {
      id: this.idPrefix + (this.nextId += 1),
      body: message.data,
      contentType: attributes['content-type'] ?? attributes['Content-Type'] ?? '',
      headers: attributes,
      fields,
      method: 'POST',
      path: '/',
      url: '/',
      timestamp: message.publishTime,
      trigger: this.info,
      topic: consumer.settings.topic,
      offset: message.id,
    };
    if (orderingKey) event.key = Buffer.from(orderingKey);
    return event;
  }

  private onMessage(consumer: Consumer, message: Message): void {
    if (this.stopping) {
      message.nack();
      return;
    }
    const event = this.toEvent(consumer, message);
    this.inFlight += 1;
    if (!this.hotPath) {
      this.deliver(consumer, message, event, undefined);
      return;
    }
    this.dispatch(event, (error) => {
      if (error !== undefined) {
        this.deliver(consumer, message, event, error);
        return;
      }
      message.ack();
      this.settled();
    });
  }

  /** Delivers through the policy: the whole delivery, or what follows a failed hot-path attempt. */
  private deliver(consumer: Consumer, message: Message, event: Event, failure: Error | undefined): void {
    const hooks: DeliveryHooks = {
      submit: (attempt) => this.submitter.submit(attempt.event),
      ack: async () => {
        await message.ackWithResponse();
      },
      deadLetter: (letter) => this.publishDeadLetter(letter),
      signal: consumer.abort.signal,
    };
    const delivery = failure ? this.policy.deliverAfterFailure(event, hooks, failure) : this.policy.deliver(event, hooks);
    delivery.then((outcome) => {
      if ((outcome.status === 'failed' || outcome.status === 'not-acked') && !outcome.acked) message.nack();
    }).finally(() => this.settled());
  }

  private settled(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.onIdle) this.onIdle();
  }

  /** Publishes the dead letter (payload as data, the x-nucleon-* data as attributes); resolves once the service has it. */
  private async publishDeadLetter(letter: DeadLetter): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('the Pub/Sub client is closed');
    let topic = this.deadLetterTopics.get(letter.target);
    if (!topic) {
      topic = client.topic(letter.target, { batching: { maxMessages: 100, maxMilliseconds: 5 } });
      this.deadLetterTopics.set(letter.target, topic);
    }
    const encoded = encodeDeadLetter(letter);
    await topic.publishMessage({ data: encoded.body, attributes: toAttributes(encoded.headers) });
  }
}

export function createPubSubTrigger(options: TriggerCreateOptions): PubSubTrigger {
  return new PubSubTrigger(options);
}
