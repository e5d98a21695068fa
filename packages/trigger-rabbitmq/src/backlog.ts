import amqp from 'amqplib';
import { createError, ErrorCodes, isNucleonError, type Backlog, type BacklogProbeOptions } from '@nucleon/core';
import { readRabbitSettings } from './config.js';

/** Bound on connecting and the AMQP handshake, as for the trigger itself. */
const CONNECT_TIMEOUT_MS = 3_000;

/** The AMQP reply code of a passive declare of a queue that does not exist. */
const NOT_FOUND = 404;

/**
 * Stream wake: the ready messages of the trigger's queue, from a passive declare (`checkQueue`)
 * on a connection of its own, closed before it returns. Takes nothing and creates nothing.
 * Messages a consumer had unacked when it died are ready again, so the ready count is the
 * whole backlog.
 */
export async function rabbitmqBacklog(options: BacklogProbeOptions): Promise<Backlog> {
  const settings = readRabbitSettings(options.name, options.config);
  if (!settings.queueName) {
    // Without queueName the trigger consumes a server-named exclusive queue that dies with its connection.
    return { pending: 0, detail: 'no queueName: the trigger\'s queue is exclusive and gone while it is down, so nothing waits (messages published meanwhile are dropped)' };
  }
  const queue = settings.queueName;
  let model: amqp.ChannelModel | undefined;
  try {
    options.signal?.throwIfAborted();
    model = await amqp.connect(settings.url, {
      timeout: CONNECT_TIMEOUT_MS,
      clientProperties: { connection_name: `nucleon-probe-${options.function.metadata.name}-${options.name}` },
    });
    model.on('error', () => undefined);
    const channel = await model.createChannel();
    // The broker closes the channel when the queue does not exist: that is an answer, not a failure.
    channel.on('error', () => undefined);
    options.signal?.throwIfAborted();
    const { messageCount, consumerCount } = await channel.checkQueue(queue);
    return { pending: messageCount, detail: `queue ${queue}: ${messageCount} ready, ${consumerCount} consumers` };
  } catch (err) {
    if ((err as { code?: unknown }).code === NOT_FOUND) {
      return { pending: 0, detail: `queue ${queue} does not exist yet (it is declared when the trigger first starts)` };
    }
    if (isNucleonError(err)) throw err;
    throw createError(ErrorCodes.PLUGIN_FAILED,
      `rabbit-mq trigger ${options.name}: cannot read the depth of queue ${queue} at ${settings.safeUrl}: ${(err as Error).message}`,
      { cause: err, details: { trigger: options.name } });
  } finally {
    await model?.close().catch(() => undefined);
  }
}
