import { randomBytes } from 'node:crypto';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import {
  createDeliveryPolicy, createError, dispatcherOf, encodeDeadLetter, ErrorCodes, readDeliveryAttributes,
  type DeadLetter, type DeliveryHooks, type DeliveryOutcome, type DeliveryPolicy, type Event, type EventCallback,
  type EventSubmitter, type Logger, type Trigger, type TriggerCreateOptions, type TriggerInfo,
} from '@nucleon/core';
import { readMqttSettings, type MqttSettings } from './config.js';
import { deadLetterEnvelope } from './dead-letter.js';
import { MqttEvent } from './events.js';

/** Bound on TCP connect + CONNACK at start, so an unreachable or silent broker fails the start in time. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Delay between mqtt.js's reconnection attempts after a lost connection. */
const RECONNECT_PERIOD_MS = 1_000;
/**
 * Passed to mqtt.js's `handleMessage` callback for a QoS 1 message whose PUBACK the trigger
 * sends itself later: mqtt.js then moves on to the next packet without acknowledging this one.
 */
const DEFER_ACK = new Error('nucleon: PUBACK deferred until the handler settles');
/** The ack of a QoS 0 message: there is nothing to acknowledge. */
const NO_ACK = (): void => undefined;

/**
 * One broker connection. Acks are only ever sent on the connection the message came in on:
 * after a reconnect the broker redelivers what was not acknowledged, and an ack with an old
 * packet id on the new connection could acknowledge a different message.
 */
interface Connection {
  client: MqttClient;
  closed: boolean;
  /** Aborted when the connection is gone: records in backoff are given back (the broker redelivers them). */
  abort: AbortController;
  /** Deferred QoS 1 acks (numWorkers > 1), in arrival order: MQTT wants PUBACKs in PUBLISH order. */
  pending: Array<{ messageId: number; acked: boolean }>;
  head: number;
}

/** A message waiting for a free worker, with the connection it came on (the MQTT client reads nothing meanwhile). */
interface SlotWaiter {
  conn: Connection;
  run: () => void;
}

/**
 * The MQTT trigger: one client per trigger with a persistent session (cleanSession false by
 * default), messages delivered through the core delivery policy. QoS 1 and 2 messages are
 * acknowledged (PUBACK, PUBREC) only after the handler succeeded or the dead letter was
 * published; what is not acknowledged is redelivered by the broker after a reconnect. QoS 0 is
 * at most once by nature: such a message is handled (with retries and dead letter) but a
 * crash loses it.
 */
export class MqttTrigger implements Trigger {
  private readonly settings: MqttSettings;
  private readonly policy: DeliveryPolicy;
  private readonly submitter: EventSubmitter;
  private readonly logger: Logger;
  private readonly info: TriggerInfo;
  private readonly workers: number;
  private readonly hotPath: boolean;
  private readonly dispatch: (event: Event, done: EventCallback) => void;
  private readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  /** QoS 1 packets whose PUBACK the trigger sends itself (see DEFER_ACK). */
  private readonly deferred = new WeakSet<IPublishPacket>();
  private nextId = 0;
  private client: MqttClient | undefined;
  private deadLetterClient: MqttClient | undefined;
  private conn: Connection | undefined;
  private inFlight = 0;
  private readonly waiters: SlotWaiter[] = [];
  private onIdle: (() => void) | undefined;
  private stopping = false;
  /** `onExhausted: stop` hit: nothing more is handled or acknowledged until a restart. */
  private halted = false;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readMqttSettings(options.name, options.config, options.function.metadata.name);
    this.policy = createDeliveryPolicy({
      ...readDeliveryAttributes(`spec.triggers.${options.name}`, options.config.attributes, options.config.explicitAckMode),
      logger: options.logger,
    });
    this.submitter = options.submitter;
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
    this.workers = Math.max(1, options.config.numWorkers ?? 1);
    this.hotPath = this.policy.options.explicitAckMode === 'disable';
    this.dispatch = dispatcherOf(options.submitter);
  }

  async start(): Promise<void> {
    const s = this.settings;
    try {
      this.client = await this.connect(s.clientId, !s.cleanSession ? s.sessionExpiryInterval : 0, s.cleanSession, true);
      if (this.policy.options.deadLetter !== undefined) {
        this.deadLetterClient = await this.connect(`${s.clientId}-dead-letter`, 0, true, false);
      }
    } catch (err) {
      await this.closeClients(true);
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: cannot connect to ${s.safeUrl}: ${(err as Error).message}`,
        { cause: err, details: { plugin: '@nucleon/trigger-mqtt', hook: 'start' } });
    }
    try {
      const granted = await this.client.subscribeAsync(Object.fromEntries(s.subscriptions.map((sub) => [sub.topic, { qos: sub.qos }])));
      const refused = granted.filter((g) => g.qos >= 0x80);
      if (refused.length > 0) throw new Error(`the broker refused ${refused.map((g) => `${g.topic} (reason ${g.qos})`).join(', ')}`);
    } catch (err) {
      await this.closeClients(true);
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: cannot subscribe at ${s.safeUrl} (spec.triggers.${this.options.name}.attributes.subscriptions): ${(err as Error).message}`,
        { cause: err, details: { plugin: '@nucleon/trigger-mqtt', hook: 'start' } });
    }
    this.logger.infoWith('MQTT trigger subscribed', {
      url: s.safeUrl, clientID: s.clientId, subscriptions: s.subscriptions, cleanSession: s.cleanSession, protocolVersion: s.protocolVersion,
    });
  }

  async stop(deadlineMs: number): Promise<void> {
    this.stopping = true;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadlineMs);
        this.onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Anything still running past the deadline is given back: no ack, the broker redelivers it.
    if (this.conn) this.conn.abort.abort();
    this.waiters.length = 0;
    await this.closeClients(false);
  }

  /** Connects one client; resolves on CONNACK, rejects on the first error or after CONNECT_TIMEOUT_MS. */
  private async connect(clientId: string, sessionExpiryInterval: number, clean: boolean, consumer: boolean): Promise<MqttClient> {
    const s = this.settings;
    const options: IClientOptions = {
      clientId,
      clean,
      protocolVersion: s.protocolVersion,
      keepalive: s.keepAlive,
      reconnectPeriod: RECONNECT_PERIOD_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      manualConnect: true,
      ...(s.username !== undefined ? { username: s.username } : {}),
      ...(s.password !== undefined ? { password: s.password } : {}),
      ...(s.protocolVersion === 5 && !clean ? { properties: { sessionExpiryInterval } } : {}),
    };
    const client = mqtt.connect(s.url, options);
    if (consumer) {
      // Set on the client, not in the options: mqtt.js honours the option with MQTT 5 only,
      // and the trigger needs the same hold-the-ack behaviour with MQTT 3.1.1.
      client.options.customHandleAcks = (_topic, _payload, packet, done) => this.onReliable(packet, done);
      client.handleMessage = (packet, callback) => this.onPacket(packet, callback);
      client.on('connect', (connack) => {
        this.conn = { client, closed: false, abort: new AbortController(), pending: [], head: 0 };
        if (this.client) this.logger.infoWith('MQTT trigger reconnected', { url: s.safeUrl, sessionPresent: connack.sessionPresent });
      });
      client.on('close', () => {
        const conn = this.conn;
        if (!conn || conn.closed) return;
        conn.closed = true;
        conn.abort.abort();
        if (!this.stopping && this.client) this.logger.warnWith('MQTT connection lost; reconnecting', { url: s.safeUrl });
      });
    }
    client.on('error', (err: Error) => {
      if (this.client || !consumer) this.logger.warnWith('MQTT client error', { url: s.safeUrl, clientID: clientId, error: err.message });
    });
    await new Promise<void>((resolve, reject) => {
      const fail = (err: Error): void => {
        clearTimeout(timer);
        client.removeListener('connect', ok);
        client.end(true);
        reject(err);
      };
      const ok = (): void => {
        clearTimeout(timer);
        client.removeListener('error', fail);
        client.removeListener('close', closed);
        resolve();
      };
      const closed = (): void => fail(new Error('the connection closed before the broker accepted it (CONNACK)'));
      const timer = setTimeout(() => fail(new Error(`no CONNACK within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS + 500);
      client.once('connect', ok);
      client.once('error', fail);
      client.once('close', closed);
      client.connect();
    });
    return client;
  }

  private async closeClients(force: boolean): Promise<void> {
    const ends = [this.client, this.deadLetterClient].filter((c): c is MqttClient => c !== undefined).map(async (c) => {
      const ended = c.endAsync(force);
      const timer = setTimeout(() => c.end(true), 2_000);
      await ended.catch(() => undefined);
      clearTimeout(timer);
    });
    await Promise.all(ends);
  }

  private live(conn: Connection): boolean {
    return conn === this.conn && !conn.closed;
  }

  /** mqtt.js's `handleMessage`: QoS 0 messages are handled here; QoS 1/2 only pass (see onReliable). */
  private onPacket(packet: IPublishPacket, callback: (error?: Error) => void): void {
    if (packet.qos !== 0) {
      if (this.deferred.has(packet)) {
        this.deferred.delete(packet);
        callback(DEFER_ACK);
      } else {
        callback();
      }
      return;
    }
    const conn = this.conn;
    if (!conn || this.stopping || this.halted) {
      callback(); // at most once: a QoS 0 message arriving while stopping is dropped
      return;
    }
    if (this.slotFree()) this.startUnreliable(conn, packet, callback);
    else this.waiters.push({ conn, run: () => this.startUnreliable(conn, packet, callback) });
  }

  private startUnreliable(conn: Connection, packet: IPublishPacket, callback: (error?: Error) => void): void {
    this.inFlight += 1;
    callback();
    this.run(conn, this.toEvent(packet), NO_ACK);
  }

  /**
   * mqtt.js's `customHandleAcks`, called for QoS 1 and 2 before it acknowledges: `done(0)` sends
   * PUBACK (QoS 1, via handleMessage) or PUBREC (QoS 2). Until `done` is called mqtt.js reads
   * no further packet, so one message is handled at a time, in order. With numWorkers > 1,
   * QoS 1 messages are released at once and their PUBACKs sent later, in arrival order.
   */
  private onReliable(packet: IPublishPacket, done: (error: Error | number, code?: number) => void): void {
    const conn = this.conn;
    // Never acked: the broker delivers it again on the next connection (restart, reconnect).
    if (!conn || this.stopping || this.halted) return;
    if (this.slotFree()) this.startReliable(conn, packet, done);
    else this.waiters.push({ conn, run: () => this.startReliable(conn, packet, done) });
  }

  private startReliable(conn: Connection, packet: IPublishPacket, done: (error: Error | number, code?: number) => void): void {
    this.inFlight += 1;
    if (packet.qos === 1 && this.workers > 1 && packet.messageId !== undefined) {
      const entry = { messageId: packet.messageId, acked: false };
      conn.pending.push(entry);
      this.deferred.add(packet);
      done(0);
      this.run(conn, this.toEvent(packet), () => {
        entry.acked = true;
        this.flushAcks(conn);
      });
      return;
    }
    this.run(conn, this.toEvent(packet), () => done(0));
  }

  /** True when a worker is free and nothing waits for one (else a message waits, and the client reads nothing meanwhile). */
  private slotFree(): boolean {
    return this.inFlight < this.workers && this.waiters.length === 0;
  }

  /** Sends the deferred PUBACKs at the front of the queue whose messages are settled. */
  private flushAcks(conn: Connection): void {
    // mqtt.js has no public call for a late PUBACK; _sendPacket is what its own handlers use.
    const client = conn.client as unknown as { _sendPacket(packet: { cmd: 'puback'; messageId: number }, cb?: () => void): void };
    while (conn.head < conn.pending.length) {
      const entry = conn.pending[conn.head] as { messageId: number; acked: boolean };
      if (!entry.acked) break;
      conn.head += 1;
      client._sendPacket({ cmd: 'puback', messageId: entry.messageId });
    }
    if (conn.head > 1024 && conn.head * 2 > conn.pending.length) {
      conn.pending = conn.pending.slice(conn.head);
      conn.head = 0;
    }
  }

  private toEvent(packet: IPublishPacket): Event {
    return new MqttEvent(this.idPrefix, (this.nextId += 1), this.info, this.settings.safeUrl, packet);
  }

  /** Runs one message: the first attempt through `dispatch` (hot path), failures through the policy. */
  private run(conn: Connection, event: Event, ack: () => void): void {
    if (!this.hotPath) {
      this.deliver(conn, event, ack, undefined);
      return;
    }
    this.dispatch(event, (error) => {
      if (error !== undefined) {
        this.deliver(conn, event, ack, error);
        return;
      }
      // A lost connection cannot take the ack: the broker redelivers the message.
      if (this.live(conn)) ack();
      this.settled();
    });
  }

  private deliver(conn: Connection, event: Event, ack: () => void, failure: Error | undefined): void {
    const hooks: DeliveryHooks = {
      submit: (attempt) => this.submitter.submit(attempt.event),
      ack: async () => {
        if (!this.live(conn)) throw new Error('the MQTT connection was lost before the ack; the broker redelivers the message');
        ack();
      },
      deadLetter: (letter) => this.publishDeadLetter(letter),
      signal: conn.abort.signal,
    };
    const delivery = failure ? this.policy.deliverAfterFailure(event, hooks, failure) : this.policy.deliver(event, hooks);
    delivery.then((outcome) => this.afterDelivery(conn, event, outcome)).finally(() => this.settled());
  }

  private afterDelivery(conn: Connection, event: Event, outcome: DeliveryOutcome): void {
    if (outcome.status !== 'failed' && outcome.status !== 'not-acked') return;
    if (outcome.acked || event.offset === undefined) return; // QoS 0 has nothing to give back
    if (outcome.status === 'failed' && this.policy.options.onExhausted === 'stop' && !this.halted) {
      this.halted = true;
      this.logger.errorWith('MQTT trigger stopped handling messages (onExhausted: stop); restart the processor to resume', {
        eventId: event.id, topic: event.topic, error: outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
      });
      return;
    }
    if (this.stopping || !this.live(conn)) return;
    // Not acknowledged: only a new connection makes the broker deliver it again.
    this.logger.warnWith('MQTT message not acknowledged; reconnecting so the broker redelivers it', {
      eventId: event.id, topic: event.topic, status: outcome.status,
    });
    conn.client.stream.destroy();
  }

  private settled(): void {
    this.inFlight -= 1;
    while (this.waiters.length > 0 && this.inFlight < this.workers) {
      const waiter = this.waiters.shift() as SlotWaiter;
      if (this.live(waiter.conn) && !this.stopping && !this.halted) waiter.run();
    }
    if (this.inFlight === 0 && this.onIdle) this.onIdle();
  }

  /**
   * Publishes the dead letter at QoS 1 through the trigger's second client and resolves on the
   * broker's PUBACK. MQTT 5: the body unchanged, the headers as user properties; MQTT 3.1.1: a
   * JSON envelope (see dead-letter.ts).
   */
  private async publishDeadLetter(letter: DeadLetter): Promise<void> {
    const client = this.deadLetterClient;
    if (!client) throw new Error('no dead-letter client');
    const encoded = encodeDeadLetter(letter);
    if (this.settings.protocolVersion === 5) {
      await client.publishAsync(letter.target, encoded.body, {
        qos: 1,
        properties: { userProperties: encoded.headers, ...(letter.contentType ? { contentType: letter.contentType } : {}) },
      });
    } else {
      await client.publishAsync(letter.target, deadLetterEnvelope(encoded), { qos: 1 });
    }
  }
}

export function createMqttTrigger(options: TriggerCreateOptions): MqttTrigger {
  return new MqttTrigger(options);
}
