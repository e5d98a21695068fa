import { randomBytes } from 'node:crypto';
import {
  connect, Events,
  type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg, type Msg, type NatsConnection, type Subscription,
} from 'nats';
import {
  createDeliveryPolicy, createError, dispatcherOf, encodeDeadLetter, ErrorCodes, readDeliveryAttributes, sleep,
  type DeadLetter, type DeliveryHooks, type DeliveryOutcome, type DeliveryPolicy, type EventCallback, type Logger,
  type Response, type Trigger, type TriggerCreateOptions, type TriggerInfo,
} from '@nucleon/core';
import { readNatsSettings, type JetStreamSettings, type NatsSettings } from './config.js';
import { toNatsHeaders } from './headers.js';
import { ensureConsumer, ensureStream } from './jetstream-setup.js';
import { NatsEvent } from './nats-event.js';

/** Bound on the first connection: an unreachable server fails the start in time. */
const CONNECT_TIMEOUT_MS = 3_000;
const PLUGIN = '@nucleon/trigger-nats';

/**
 * The NATS trigger. Core NATS: a queue-group subscription, at most once by nature (the policy's
 * retries and dead letter run in this process; a crash loses what is in flight). JetStream: a
 * durable pull consumer with explicit acks, acked only after success or dead letter, nacked
 * for redelivery otherwise (never terminated), so a crash or a server restart loses nothing.
 */
export class NatsTrigger implements Trigger {
  private readonly settings: NatsSettings;
  private readonly policy: DeliveryPolicy;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  private readonly hotPath: boolean;
  private readonly dispatch: (event: NatsEvent, done: EventCallback) => void;
  private readonly abort = new AbortController();
  private nextId = 0;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private subscription: Subscription | undefined;
  private messages: ConsumerMessages | undefined;
  private inFlight = 0;
  private onIdle: (() => void) | undefined;
  private stopping = false;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readNatsSettings(options.name, options.config, options.function);
    this.policy = createDeliveryPolicy({
      ...readDeliveryAttributes(`spec.triggers.${options.name}`, options.config.attributes, options.config.explicitAckMode),
      logger: options.logger,
    });
    this.hotPath = this.policy.options.explicitAckMode === 'disable';
    this.dispatch = dispatcherOf(options.submitter);
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
  }

  async start(): Promise<void> {
    const s = this.settings;
    try {
      this.nc = await connect({
        servers: s.servers,
        name: `nucleon-${this.options.function.metadata.name}-${this.options.name}`,
        timeout: CONNECT_TIMEOUT_MS,
        reconnect: true,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        waitOnFirstConnect: false,
      });
    } catch (err) {
      throw this.startError(`cannot connect to ${s.safeUrl}: ${(err as Error).message}`, err);
    }
    void this.watchStatus(this.nc);
    try {
      if (s.jetStream) await this.startJetStream(this.nc, s.jetStream);
      else this.startCore(this.nc);
    } catch (err) {
      await this.nc.close().catch(() => undefined);
      throw err;
    }
    this.logger.infoWith('NATS trigger consuming', {
      url: s.safeUrl, topic: s.topic, queue: s.jetStream ? undefined : s.queueName,
      stream: s.jetStream?.stream, durable: s.jetStream?.durable, maxAckPending: s.jetStream?.maxAckPending,
    });
    const eventTimeoutMs = this.options.function.spec.eventTimeoutMs;
    if (s.jetStream && eventTimeoutMs > 0 && s.jetStream.ackWaitMs <= eventTimeoutMs) {
      this.logger.warnWith('jetStream.ackWait is not above eventTimeout: a handler running that long gets its message redelivered meanwhile', {
        trigger: this.options.name, ackWaitMs: s.jetStream.ackWaitMs, eventTimeoutMs,
      });
    }
    if (!s.jetStream) {
      this.logger.infoWith('core NATS is at most once: retries and dead letters run in this process, and messages in flight are lost if it dies; ' +
        'configure jetStream for at-least-once delivery', { trigger: this.options.name });
    }
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const nc = this.nc;
    if (!nc) return;
    this.subscription?.unsubscribe();
    this.messages?.stop();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Records still in backoff are given back (JetStream: nacked, redelivered after the restart).
    this.abort.abort();
    await new Promise((resolve) => setImmediate(resolve));
    await nc.drain().catch(() => nc.close().catch(() => undefined));
  }

  private startError(message: string, cause?: unknown, attribute?: string): Error {
    const where = attribute ? ` (spec.triggers.${this.options.name}.attributes.${attribute})` : '';
    return createError(ErrorCodes.PLUGIN_FAILED, `trigger ${this.options.name}${where}: ${message}`,
      { cause, details: { plugin: PLUGIN, hook: 'start' } });
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Disconnect) {
        if (!this.stopping) this.logger.warnWith('NATS connection lost; reconnecting', { url: this.settings.safeUrl });
      } else if (status.type === Events.Reconnect) {
        this.logger.infoWith('NATS trigger reconnected', { url: this.settings.safeUrl, server: String(status.data) });
      } else if (status.type === Events.Error) {
        this.logger.warnWith('NATS error', { error: String(status.data) });
      }
    }
  }

  // -------------------------------------------------------------------------------------
  // Core NATS

  private startCore(nc: NatsConnection): void {
    this.subscription = nc.subscribe(this.settings.topic, {
      queue: this.settings.queueName,
      callback: (err, msg) => {
        if (err) {
          this.logger.warnWith('NATS subscription error', { error: err.message });
          return;
        }
        this.onCoreMessage(msg);
      },
    });
  }

  private onCoreMessage(msg: Msg): void {
    const event = new NatsEvent(this.idPrefix, (this.nextId += 1), this.info, msg, false);
    this.inFlight += 1;
    if (!this.hotPath) {
      this.deliverCore(msg, event, undefined);
      return;
    }
    this.dispatch(event, (error, response) => {
      if (error !== undefined) {
        this.deliverCore(msg, event, error);
        return;
      }
      if (this.settings.reply) this.reply(msg, response);
      this.settled();
    });
  }

  private deliverCore(msg: Msg, event: NatsEvent, failure: Error | undefined): void {
    const hooks: DeliveryHooks = {
      submit: (attempt) => this.options.submitter.submit(attempt.event),
      // Core NATS has nothing to acknowledge: the server forgot the message once it sent it.
      ack: () => Promise.resolve(),
      deadLetter: (letter) => this.publishCoreDeadLetter(letter),
      sleep: (ms) => sleep(ms, this.abort.signal),
      signal: this.abort.signal,
    };
    const delivery = failure ? this.policy.deliverAfterFailure(event, hooks, failure) : this.policy.deliver(event, hooks);
    delivery.then((outcome) => {
      if (outcome.response && this.settings.reply) this.reply(msg, outcome.response);
      if (outcome.status === 'failed' || outcome.status === 'not-acked') {
        this.logger.errorWith('core NATS message not handled and lost (core NATS does not redeliver; use jetStream)', {
          eventId: event.id, topic: event.topic, status: outcome.status, attempts: outcome.attempts, error: errorText(outcome.error),
        });
      }
    }).finally(() => this.settled());
  }

  private reply(msg: Msg, response: Response | undefined): void {
    if (!msg.reply || !response) return;
    try {
      const body = response.body;
      msg.respond(typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : Buffer.alloc(0));
    } catch (err) {
      this.logger.warnWith('reply not published', { subject: msg.reply, error: errorText(err) });
    }
  }

  /** Core NATS dead letter: published, then a flush round trip so the server has it. */
  private async publishCoreDeadLetter(letter: DeadLetter): Promise<void> {
    const nc = this.nc as NatsConnection;
    const encoded = encodeDeadLetter(letter);
    nc.publish(letter.target, encoded.body, { headers: toNatsHeaders(encoded.headers) });
    await nc.flush();
  }

  // -------------------------------------------------------------------------------------
  // JetStream

  private async startJetStream(nc: NatsConnection, js: JetStreamSettings): Promise<void> {
    const s = this.settings;
    let jsm: JetStreamManager;
    try {
      jsm = await nc.jetstreamManager();
    } catch (err) {
      throw this.startError(`JetStream is not available on ${s.safeUrl} (start nats-server with -js): ${(err as Error).message}`, err, 'jetStream');
    }
    const deadLetter = this.policy.options.deadLetter;
    if (deadLetter) {
      try {
        await jsm.streams.find(deadLetter);
      } catch (err) {
        throw this.startError(`no JetStream stream captures the dead-letter subject ${deadLetter}; dead letters are published ` +
          `with JetStream and wait for the stream's confirmation: add the subject to a stream (${(err as Error).message})`, err, 'deadLetter');
      }
    }
    const fail = (message: string, cause: unknown, attribute: string): Error => this.startError(message, cause, attribute);
    await ensureStream(jsm, js, s.topic, this.logger, fail);
    await ensureConsumer(jsm, js, s.topic, this.logger, fail);
    this.js = nc.jetstream();
    const consumer = await this.js.consumers.get(js.stream, js.durable);
    this.messages = await consumer.consume({
      max_messages: js.maxAckPending,
      callback: (msg) => this.onJetStreamMessage(msg),
    });
  }

  private onJetStreamMessage(msg: JsMsg): void {
    const event = new NatsEvent(this.idPrefix, (this.nextId += 1), this.info, msg, true);
    this.inFlight += 1;
    if (this.stopping) {
      // Pulled after stop began: given back at once for another consumer (or the restart).
      msg.nak();
      this.settled();
      return;
    }
    if (!this.hotPath) {
      this.deliverJetStream(msg, event, undefined);
      return;
    }
    this.dispatch(event, (error) => {
      if (error !== undefined) {
        this.deliverJetStream(msg, event, error);
        return;
      }
      try {
        msg.ack();
      } catch (err) {
        // The connection is closed (stop past its deadline): the server redelivers after ackWait.
        this.logger.warnWith('ack not sent; the server redelivers the message after ackWait', { eventId: event.id, error: errorText(err) });
      }
      this.settled();
    });
  }

  private deliverJetStream(msg: JsMsg, event: NatsEvent, failure: Error | undefined): void {
    const hooks: DeliveryHooks = {
      submit: (attempt) => {
        working(msg);
        return this.options.submitter.submit(attempt.event);
      },
      ack: () => this.ackJetStream(msg),
      deadLetter: (letter) => this.publishJetStreamDeadLetter(letter),
      // Backoff between attempts keeps the message ours: tell the server we are working on it.
      sleep: (ms) => this.workingSleep(msg, ms),
      signal: this.abort.signal,
    };
    const delivery = failure ? this.policy.deliverAfterFailure(event, hooks, failure) : this.policy.deliver(event, hooks);
    delivery.then((outcome) => this.afterJetStreamDelivery(msg, outcome)).finally(() => this.settled());
  }

  private afterJetStreamDelivery(msg: JsMsg, outcome: DeliveryOutcome): void {
    if (outcome.acked || (outcome.status !== 'failed' && outcome.status !== 'not-acked')) return;
    // Not acknowledged: hand it back for redelivery (never term: it was not handled).
    // A failed record (dead letter or ack failed, onExhausted: stop) waits retryMaxDelayMs first.
    const delay = outcome.status === 'failed' ? this.policy.options.retryMaxDelayMs : 0;
    try {
      msg.nak(delay);
    } catch (err) {
      this.logger.warnWith('nak failed; the server redelivers the message after ackWait', { error: errorText(err) });
    }
  }

  /** Acks and waits for the server's confirmation: the policy's ack means the record is done. */
  private async ackJetStream(msg: JsMsg): Promise<void> {
    const ok = await msg.ackAck();
    if (!ok) throw new Error('the server did not confirm the ack (message already acked or redelivered elsewhere)');
  }

  private async publishJetStreamDeadLetter(letter: DeadLetter): Promise<void> {
    const encoded = encodeDeadLetter(letter);
    await (this.js as JetStreamClient).publish(letter.target, encoded.body, { headers: toNatsHeaders(encoded.headers) });
  }

  /** Backoff that keeps a JetStream message ours (`working()` every ackWait / 2) and ends at once on stop. */
  private workingSleep(msg: JsMsg, ms: number): Promise<void> {
    const every = Math.max(500, Math.floor((this.settings.jetStream as JetStreamSettings).ackWaitMs / 2));
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      if (signal.aborted || ms <= 0) {
        resolve();
        return;
      }
      const end = Date.now() + ms;
      let timer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const tick = (): void => {
        const left = end - Date.now();
        if (left <= 0) {
          finish();
          return;
        }
        working(msg);
        timer = setTimeout(tick, Math.min(left, every));
      };
      signal.addEventListener('abort', finish, { once: true });
      timer = setTimeout(tick, Math.min(ms, every));
    });
  }

  private settled(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0 && this.onIdle) this.onIdle();
  }
}

/** Tells the server the message is still being worked on; a closed connection is not an error here. */
function working(msg: JsMsg): void {
  try {
    msg.working();
  } catch {
    // Closed: the server redelivers after ackWait, which is what an unacknowledged message needs.
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function createNatsTrigger(options: TriggerCreateOptions): NatsTrigger {
  return new NatsTrigger(options);
}
