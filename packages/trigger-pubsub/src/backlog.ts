import type { PubSub } from '@google-cloud/pubsub';
import { createError, ErrorCodes, isNucleonError, type Backlog, type BacklogProbeOptions, type FunctionConfig } from '@nucleon/core';
import { readPubSubSettings, type SubscriptionSettings } from './config.js';
import { createPubSubClient } from './pubsub-client.js';

/** Bound on each call of a probe: it runs every second, a slow answer is as good as none. */
const CALL_TIMEOUT_MS = 5_000;
const GRPC_NOT_FOUND = 5;

interface PullResponse { receivedMessages?: { ackId?: string }[] }

/**
 * Stream wake: whether the trigger's subscriptions hold an undelivered message. Neither
 * pstest nor the emulator has the monitoring API (`num_undelivered_messages`), so for each
 * subscription it pulls at most one message and at once gives it back with modifyAckDeadline
 * 0 (a nack): the message is handed out again right away, to the woken function. That pull is
 * a delivery: on a subscription with a dead-letter policy it would count toward
 * `maxDeliveryAttempts`, so such a subscription is not pulled (see docs/trigger-pubsub.md).
 * `pending` is 1 per subscription that has work, a lower bound.
 */
export async function pubsubBacklog(options: BacklogProbeOptions): Promise<Backlog> {
  const settings = readPubSubSettings(options.name, options.config, processorEnv(options.function));
  const client = createPubSubClient(settings);
  try {
    let pending = 0;
    const parts: string[] = [];
    for (const sub of settings.subscriptions) {
      options.signal?.throwIfAborted();
      const look = await lookAt(client, sub);
      pending += look.pending;
      parts.push(`${sub.id}: ${look.detail}`);
    }
    return { pending, detail: parts.join('; ') };
  } catch (err) {
    if (isNucleonError(err)) throw err;
    throw createError(ErrorCodes.PLUGIN_FAILED,
      `pubsub trigger ${options.name}: cannot look at the subscriptions of project ${settings.projectId}` +
        `${settings.emulatorHost ? ` at ${settings.emulatorHost} (emulator)` : ''}: ${(err as Error).message}`,
      { cause: err, details: { trigger: options.name } });
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The processor has the function's env on top of its own: NUCLEON_REPLICA_ID there names per-replica subscriptions. */
function processorEnv(fn: FunctionConfig): NodeJS.ProcessEnv {
  return { ...process.env, ...Object.fromEntries((fn.spec.env ?? []).map((e) => [e.name, e.value])) };
}

async function lookAt(client: PubSub, sub: SubscriptionSettings): Promise<{ pending: number; detail: string }> {
  if (sub.ephemeral) return { pending: 0, detail: 'per-start subscription, deleted when the trigger stops: nothing is kept for it' };
  const subscription = client.subscription(sub.id);
  let metadata: { deadLetterPolicy?: { deadLetterTopic?: string | null } | null };
  try {
    [metadata] = await subscription.getMetadata({ timeout: CALL_TIMEOUT_MS });
  } catch (err) {
    if ((err as { code?: unknown }).code !== GRPC_NOT_FOUND) throw err;
    return { pending: 0, detail: 'does not exist yet (created when the trigger first starts)' };
  }
  if (metadata.deadLetterPolicy?.deadLetterTopic) {
    return { pending: 0, detail: 'not probed: it has a dead-letter policy, and a probing pull would count as a delivery attempt' };
  }
  const pulled = await call<PullResponse>(client, 'pull', { subscription: subscription.name, maxMessages: 1, returnImmediately: true });
  const ackIds = (pulled.receivedMessages ?? []).map((m) => m.ackId).filter((id): id is string => typeof id === 'string');
  if (ackIds.length === 0) return { pending: 0, detail: 'no undelivered message' };
  await call(client, 'modifyAckDeadline', { subscription: subscription.name, ackIds, ackDeadlineSeconds: 0 });
  return { pending: ackIds.length, detail: 'at least 1 undelivered message (pulled and given back at once)' };
}

/** One unary call of the subscriber API, through the client's own connection (emulator and credentials set up). */
function call<T>(client: PubSub, method: string, reqOpts: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client.request<T>({ client: 'SubscriberClient', method, reqOpts, gaxOpts: { timeout: CALL_TIMEOUT_MS, retry: null } as object },
      (err, res) => (err ? reject(err) : resolve(res as T)));
  });
}
