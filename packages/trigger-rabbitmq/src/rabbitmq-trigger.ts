import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Message } from 'amqplib';
import {
  createDeliveryPolicy, createError, dispatcherOf, encodeDeadLetter, ErrorCodes, readDeliveryAttributes,
  type DeadLetter, type DeliveryHooks, type DeliveryPolicy, type Event, type EventCallback, type EventHeaders,
  type EventSubmitter, type Logger,
  type Trigger, type TriggerCreateOptions, type TriggerInfo,
} from '@nucleon/core';
import { AckBatcher } from './ack-batcher.js';
import { readRabbitSettings, type RabbitSettings } from './config.js';

/** Delay of the first reconnection attempt; later ones double up to `reconnectInterval`. */
const RECONNECT_INITIAL_MS = 200;

/** Bound on connecting and the AMQP handshake: a port that accepts TCP but never speaks AMQP fails in time. */
const CONNECT_TIMEOUT_MS = 3_000;

/** Shared by every event: a message has no path fields (frozen, so no per-message object). */
const NO_FIELDS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** One live connection with its consuming channel and the confirm channel dead letters go through. */
interface Session {
  model: ChannelModel;
  channel: Channel;
  publisher: ConfirmChannel;
  /** Batches the acks of `explicitAckMode: disable` (explicit modes ack each message themselves). */
  acks: AckBatcher;
  consumerTag?: string;
  /** Aborted when this connection is gone: records in backoff are given back (the broker redelivers them). */
  abort: AbortController;
  closed: boolean;
}

/** Converts AMQP header values (numbers, buffers, tables) to the Event's string headers. */
export function toEventHeaders(headers: Record<string, unknown> | undefined): EventHeaders {
  const out: EventHeaders = {};
  if (!headers) return out;
  const text = (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (Buffer.isBuffer(value)) return value.toString();
    if (value !== null && typeof value === 'object') return JSON.stringify(value);
    return String(value);
  };
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || value === null) continue;
    out[name] = Array.isArray(value) ? value.map(text) : text(value);
  }
  return out;
}

/**
 * The RabbitMQ trigger: consumes one queue with manual acks and delivers every message through
 * the core delivery policy (ack after success, bounded retries, dead-letter exchange, then ack).
 * A message the policy does not acknowledge is nacked with requeue, so nothing is lost.
 */
export class RabbitMqTrigger implements Trigger {
  private readonly settings: RabbitSettings;
  private readonly policy: DeliveryPolicy;
  private readonly submitter: EventSubmitter;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  private readonly declaredDeadLetterExchanges = new WeakMap<ConfirmChannel, Set<string>>();
  /** `explicitAckMode: disable`: messages run once through `dispatch`; only failures go through the policy. */
  private readonly hotPath: boolean;
  private readonly dispatch: (event: Event, done: EventCallback) => void;
  private nextId = 0;
  private session: Session | undefined;
  private inFlight = 0;
  private onIdle: (() => void) | undefined;
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempt = 0;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readRabbitSettings(options.name, options.config);
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

  async start(): Promise<void> {
    try {
      this.session = await this.connect();
    } catch (err) {
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: cannot connect to ${this.settings.safeUrl}: ${(err as Error).message}`,
        { cause: err, details: { plugin: '@nucleon/trigger-rabbitmq', hook: 'start' } });
    }
    this.logger.infoWith('RabbitMQ trigger consuming', {
      url: this.settings.safeUrl, queue: this.settings.queueName, exchange: this.settings.exchangeName,
      topics: this.settings.topics, prefetch: this.settings.prefetchCount,
    });
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    if (!session) return;
    if (session.consumerTag !== undefined && !session.closed) {
      await session.channel.cancel(session.consumerTag).catch(() => undefined);
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
    if (!session.closed) session.acks.flush();
    // Anything still running past the deadline is given back: no ack, the broker redelivers it.
    session.abort.abort();
    session.closed = true;
    await session.model.close().catch(() => undefined);
  }

  /** Connects, declares the topology, and starts consuming. */
  private async connect(): Promise<Session> {
    const s = this.settings;
    const model = await amqp.connect(s.url, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: `nucleon-${this.options.function.metadata.name}-${this.options.name}` },
    });
    const session: Session = {
      model, channel: undefined as unknown as Channel, publisher: undefined as unknown as ConfirmChannel,
      acks: undefined as unknown as AckBatcher, abort: new AbortController(), closed: false,
    };
    model.on('error', (err: Error) => this.logger.warnWith('RabbitMQ connection error', { error: err.message }));
    model.on('close', () => this.onConnectionLost(session));
    try {
      const channel = await model.createChannel();
      channel.on('error', (err: Error) => this.logger.warnWith('RabbitMQ channel error', { error: err.message }));
      channel.on('close', () => {
        // A channel closed by the broker (e.g. a bad ack) takes the session down: reconnect.
        if (!session.closed) void model.close().catch(() => undefined);
      });
      const publisher = await model.createConfirmChannel();
      publisher.on('error', (err: Error) => this.logger.warnWith('RabbitMQ dead-letter channel error', { error: err.message }));
      session.channel = channel;
      session.publisher = publisher;
      session.acks = new AckBatcher((tag) => {
        if (!session.closed) channel.ack({ fields: { deliveryTag: tag } } as Message, true);
      });
      if (s.exchangeName) await channel.assertExchange(s.exchangeName, s.exchangeType, { durable: s.durableExchange });
      let queue: string;
      if (s.queueName) {
        queue = (await channel.assertQueue(s.queueName, { durable: s.durableQueue })).queue;
      } else {
        queue = (await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })).queue;
      }
      for (const topic of s.topics) await channel.bindQueue(queue, s.exchangeName as string, topic);
      await channel.prefetch(s.prefetchCount);
      const { consumerTag } = await channel.consume(queue, (msg) => {
        if (msg === null) {
          this.logger.warnWith('RabbitMQ cancelled the consumer (queue deleted?)', { queue });
          return;
        }
        this.onMessage(session, queue, msg);
      }, { noAck: false });
      session.consumerTag = consumerTag;
      return session;
    } catch (err) {
      session.closed = true;
      await model.close().catch(() => undefined);
      throw err;
    }
  }

  private onConnectionLost(session: Session): void {
    if (session.closed && this.stopping) return;
    const wasCurrent = this.session === session;
    session.closed = true;
    session.abort.abort();
    if (this.stopping || !wasCurrent) return;
    this.logger.warnWith('RabbitMQ connection lost; reconnecting', { url: this.settings.safeUrl });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    const delay = Math.min(this.settings.reconnectIntervalMs, RECONNECT_INITIAL_MS * 2 ** this.reconnectAttempt);
    this.reconnectAttempt += 1;
    this.reconnectTimer = setTimeout(() => {
      this.connect().then((session) => {
        if (this.stopping) {
          session.closed = true;
          void session.model.close().catch(() => undefined);
          return;
        }
        this.session = session;
        this.logger.infoWith('RabbitMQ trigger reconnected', { url: this.settings.safeUrl, attempts: this.reconnectAttempt });
        this.reconnectAttempt = 0;
      }, (err: unknown) => {
        this.logger.warnWith('RabbitMQ reconnection failed', { url: this.settings.safeUrl, error: (err as Error).message, attempt: this.reconnectAttempt });
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref?.();
  }

  private toEvent(queue: string, msg: ConsumeMessage): Event {
    const props = msg.properties;
    const ts = typeof props.timestamp === 'number' ? new Date(props.timestamp * 1000) : new Date();
    return {
      id: this.idPrefix + (this.nextId += 1),
      body: msg.content,
      contentType: typeof props.contentType === 'string' ? props.contentType : '',
      headers: toEventHeaders(props.headers as Record<string, unknown> | undefined),
      fields: NO_FIELDS,
      method: 'POST',
      path: '/',
      url: '/',
      timestamp: ts,
      trigger: this.info,
      topic: msg.fields.routingKey || queue,
      offset: String(msg.fields.deliveryTag),
    };
  }

  private onMessage(session: Session, queue: string, msg: ConsumeMessage): void {
    const event = this.toEvent(queue, msg);
    this.inFlight += 1;
    if (!this.hotPath) {
      this.deliver(session, msg, event, undefined);
      return;
    }
    const tag = msg.fields.deliveryTag;
    session.acks.received(tag);
    this.dispatch(event, (error) => {
      if (error !== undefined) {
        this.deliver(session, msg, event, error);
        return;
      }
      // A lost connection cannot take the ack: the broker redelivers the message.
      if (!session.closed) session.acks.ack(tag);
      this.settled();
    });
  }

  /** Delivers through the policy: the whole delivery, or what follows a failed hot-path attempt. */
  private deliver(session: Session, msg: ConsumeMessage, event: Event, failure: Error | undefined): void {
    const hooks: DeliveryHooks = {
      submit: (attempt) => this.submitter.submit(attempt.event),
      ack: async () => {
        if (session.closed) throw new Error('connection to RabbitMQ lost before the ack; the broker redelivers the message');
        if (this.hotPath) session.acks.ack(msg.fields.deliveryTag);
        else session.channel.ack(msg);
      },
      deadLetter: (letter) => this.publishDeadLetter(session, msg, letter),
      signal: session.abort.signal,
    };
    const delivery = failure ? this.policy.deliverAfterFailure(event, hooks, failure) : this.policy.deliver(event, hooks);
    delivery.then((outcome) => {
      if ((outcome.status === 'failed' || outcome.status === 'not-acked') && !outcome.acked && !session.closed) {
        try {
          session.channel.nack(msg, false, true);
          if (this.hotPath) session.acks.nacked(msg.fields.deliveryTag);
        } catch (err) {
          this.logger.warnWith('nack failed; the broker redelivers the message when the channel closes', { error: (err as Error).message });
        }
      }
    }).finally(() => this.settled());
  }

  private settled(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.onIdle) this.onIdle();
  }

  /** Publishes to the dead-letter exchange (declared durable, type topic) and waits for the broker's confirm. */
  private async publishDeadLetter(session: Session, msg: ConsumeMessage, letter: DeadLetter): Promise<void> {
    if (session.closed) throw new Error('connection to RabbitMQ lost');
    const publisher = session.publisher;
    let declared = this.declaredDeadLetterExchanges.get(publisher);
    if (!declared) this.declaredDeadLetterExchanges.set(publisher, (declared = new Set()));
    if (!declared.has(letter.target)) {
      await publisher.assertExchange(letter.target, 'topic', { durable: true });
      declared.add(letter.target);
    }
    const encoded = encodeDeadLetter(letter);
    const props = msg.properties;
    await new Promise<void>((resolve, reject) => {
      publisher.publish(letter.target, msg.fields.routingKey, encoded.body, {
        headers: encoded.headers,
        persistent: true,
        ...(letter.contentType ? { contentType: letter.contentType } : {}),
        ...(props.messageId ? { messageId: props.messageId as string } : {}),
        ...(props.correlationId ? { correlationId: props.correlationId as string } : {}),
      }, (err: unknown) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
    });
  }
}

export function createRabbitMqTrigger(options: TriggerCreateOptions): RabbitMqTrigger {
  return new RabbitMqTrigger(options);
}
