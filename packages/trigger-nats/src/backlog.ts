import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { createError, ErrorCodes, isNucleonError, type Backlog, type BacklogProbeOptions } from '@nucleon/core';
import { readNatsSettings, type JetStreamSettings } from './config.js';

/** Bound on connecting, as for the trigger itself. */
const CONNECT_TIMEOUT_MS = 3_000;

/** What a core NATS trigger reports: the server keeps no message for a subscriber that is not there. */
export const CORE_NATS_BACKLOG: Backlog = Object.freeze({ pending: 0, detail: 'core NATS keeps nothing for an absent subscriber' });

/**
 * Stream wake. JetStream: what the trigger's durable consumer has not had acknowledged
 * (`num_pending` + `num_ack_pending`), read from the consumer's info; no message is fetched.
 * Before the consumer exists: what it would be given once the trigger creates it, from the
 * stream's per-subject counts and the configured deliver policy. Core NATS: nothing to see.
 */
export async function natsBacklog(options: BacklogProbeOptions): Promise<Backlog> {
  const settings = readNatsSettings(options.name, options.config, options.function);
  const js = settings.jetStream;
  if (!js) return CORE_NATS_BACKLOG;
  let nc: NatsConnection | undefined;
  try {
    options.signal?.throwIfAborted();
    nc = await connect({
      servers: settings.servers,
      name: `nucleon-probe-${options.function.metadata.name}-${options.name}`,
      timeout: CONNECT_TIMEOUT_MS,
      reconnect: false,
    });
    const jsm = await nc.jetstreamManager();
    options.signal?.throwIfAborted();
    return await consumerBacklog(jsm, js, settings.topic);
  } catch (err) {
    if (isNucleonError(err)) throw err;
    throw createError(ErrorCodes.PLUGIN_FAILED,
      `nats trigger ${options.name}: cannot read consumer ${js.durable} of stream ${js.stream} at ${settings.safeUrl}: ${(err as Error).message}`,
      { cause: err, details: { trigger: options.name } });
  } finally {
    await nc?.close().catch(() => undefined);
  }
}

async function consumerBacklog(jsm: JetStreamManager, js: JetStreamSettings, topic: string): Promise<Backlog> {
  try {
    const info = await jsm.consumers.info(js.stream, js.durable);
    const pending = info.num_pending + info.num_ack_pending;
    return { pending, detail: `consumer ${js.durable} of ${js.stream}: ${info.num_pending} undelivered, ${info.num_ack_pending} unacked` };
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  let subjects: Record<string, number>;
  try {
    subjects = (await jsm.streams.info(js.stream, { subjects_filter: topic })).state.subjects ?? {};
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return { pending: 0, detail: `stream ${js.stream} does not exist yet: nothing was kept for ${topic}` };
  }
  const pending = firstDelivery(js.deliverPolicy, Object.values(subjects));
  return { pending, detail: `consumer ${js.durable} not created yet: ${pending} messages on ${topic} in ${js.stream} for deliver policy ${js.deliverPolicy}` };
}

/**
 * How many of the stream's messages on the topic a consumer created now would be given, from
 * the message count of each matching subject: all of them, none (`new` starts after the last),
 * the last one, or the last one of each subject.
 */
export function firstDelivery(policy: JetStreamSettings['deliverPolicy'], perSubject: number[]): number {
  const present = perSubject.filter((n) => n > 0);
  switch (policy) {
    case 'all': return present.reduce((sum, n) => sum + n, 0);
    case 'new': return 0;
    case 'last': return present.length > 0 ? 1 : 0;
    case 'last_per_subject': return present.length;
  }
}

function isNotFound(err: unknown): boolean {
  return /not found/i.test((err as Error).message);
}
