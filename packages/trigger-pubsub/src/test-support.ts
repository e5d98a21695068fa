import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PubSub, type Message } from '@google-cloud/pubsub';
import { triggerYaml } from '@nucleon/processor/testing';

/** Helpers shared by the integration tests: the fake, a client, and function.yaml fragments. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const EMULATOR = `127.0.0.1:${process.env.NUCLEON_PUBSUB_PORT ?? '8085'}`;
export const PROJECT = 'nucleon-test';

/** Starts the fake through the repository's script (a no-op when it runs). */
export function startFake(): void {
  execFileSync('bash', [join(ROOT, 'scripts/services/pubsub.sh'), 'start'], { stdio: 'inherit', timeout: 180_000 });
}

export function client(): PubSub {
  return new PubSub({ projectId: PROJECT, apiEndpoint: EMULATOR, clientOptions: { universeDomain: 'googleapis.com' } });
}

/** A `pubsub` trigger block for `functionYaml({ trigger })`. */
export function pubsubTrigger(name: string, options: {
  numWorkers?: number; attributes?: string[]; subscriptions: Record<string, string | number | boolean>[]; extra?: string[];
}): string {
  const attributes = [...(options.attributes ?? []), 'subscriptions:'];
  for (const sub of options.subscriptions) {
    Object.entries(sub).forEach(([key, value], i) => attributes.push(`${i === 0 ? '  - ' : '    '}${key}: ${JSON.stringify(value)}`));
  }
  return triggerYaml({ name, kind: 'pubsub', attributes, extra: [`numWorkers: ${options.numWorkers ?? 1}`, ...(options.extra ?? [])] });
}

/** Publishes bodies with attributes; resolves with the message ids once the service has them all. */
export async function publish(ps: PubSub, topic: string, bodies: string[], attributes: Record<string, string> = {}): Promise<string[]> {
  const t = ps.topic(topic, { batching: { maxMessages: 500, maxMilliseconds: 10 } });
  return Promise.all(bodies.map((body) => t.publishMessage({ data: Buffer.from(body), attributes })));
}

/** Reads `count` messages from a subscription (acking them), or fails after `timeoutMs`. */
export async function readMessages(ps: PubSub, subscription: string, count: number, timeoutMs = 20_000): Promise<Message[]> {
  const sub = ps.subscription(subscription);
  const got: Message[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${got.length} of ${count} messages from ${subscription}`)), timeoutMs);
      sub.on('message', (m: Message) => {
        m.ack();
        got.push(m);
        if (got.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      });
      sub.on('error', (err: Error) => reject(err));
    });
  } finally {
    await sub.close();
  }
  return got;
}

/** Messages a subscription still holds (pulled with a short lease, so they come back soon). */
export async function backlog(ps: PubSub, subscription: string): Promise<number> {
  const api = ps as unknown as { request: (config: object, cb: (err: Error | null, res?: { receivedMessages?: unknown[] }) => void) => void };
  const res = await new Promise<{ receivedMessages?: unknown[] }>((resolve, reject) => api.request({
    client: 'SubscriberClient', method: 'pull',
    reqOpts: { subscription: ps.subscription(subscription).name, maxMessages: 1000, returnImmediately: true }, gaxOpts: {},
  }, (err, r) => (err ? reject(err) : resolve(r ?? {}))));
  return res.receivedMessages?.length ?? 0;
}
