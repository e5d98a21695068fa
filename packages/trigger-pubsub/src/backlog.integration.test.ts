import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';
import { client, EMULATOR, PROJECT, publish, readMessages, startFake } from './test-support.js';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
let ps: PubSub;

beforeAll(async () => {
  startFake();
  ps = client();
}, 240_000);

afterAll(async () => { await ps?.close(); });

function probe(subscriptions: Record<string, unknown>[], emulatorHost = EMULATOR) {
  return plugin.backlog!(backlogProbeOptions(plugin, { kind: 'pubsub', attributes: { projectID: PROJECT, emulatorHost, subscriptions } }));
}

/** A topic and its shared subscription (as the trigger names it: the topic name), with a long ack deadline. */
async function subscribed(name: string, options: object = {}): Promise<string> {
  const topic = `${name}-${RUN}`;
  await ps.createTopic(topic);
  await ps.topic(topic).createSubscription(topic, { ackDeadlineSeconds: 120, ...options });
  return topic;
}

describe('pubsub backlog probe (pstest)', () => {
  it('sees an undelivered message and gives it back at once, so every message is still delivered, without waiting for a deadline', async () => {
    const topic = await subscribed('backlog');
    expect(await probe([{ topic, shared: true }])).toMatchObject({ pending: 0, detail: expect.stringContaining('no undelivered message') });
    await publish(ps, topic, ['a', 'b', 'c']);
    for (let i = 0; i < 3; i += 1) {
      expect(await probe([{ topic, shared: true }])).toMatchObject({ pending: 1, detail: expect.stringContaining('at least 1 undelivered') });
    }
    // The ack deadline is 120 s: had the probe kept its lease, this read would time out.
    const got = await readMessages(ps, topic, 3, 5_000);
    expect(got.map((m) => m.data.toString()).sort()).toEqual(['a', 'b', 'c']);
    // Without a dead-letter policy the service counts no delivery attempts (0), so the probes left no trace.
    expect(got.map((m) => m.deliveryAttempt)).toEqual([0, 0, 0]);
    expect((await probe([{ topic, shared: true }])).pending).toBe(0);
  });

  it('does not pull from a subscription with a dead-letter policy, where a pull would count as a delivery attempt', async () => {
    const dead = `dead-${RUN}`;
    await ps.createTopic(dead);
    const topic = await subscribed('backlog-dlq', { deadLetterPolicy: { deadLetterTopic: ps.topic(dead).name, maxDeliveryAttempts: 5 } });
    await publish(ps, topic, ['x']);
    for (let i = 0; i < 6; i += 1) {
      expect(await probe([{ topic, shared: true }])).toMatchObject({ pending: 0, detail: expect.stringContaining('dead-letter policy') });
    }
    const [message] = await readMessages(ps, topic, 1, 5_000);
    expect(message?.deliveryAttempt).toBe(1);
  });

  it('counts a subscription that does not exist yet, or one deleted at every stop, as empty', async () => {
    const detail = (await probe([{ topic: `never-${RUN}`, shared: true }, { topic: `per-start-${RUN}` }])).detail;
    expect(detail).toContain('does not exist yet');
    expect(detail).toContain('per-start subscription');
  });

  it('rejects with a coded error when the emulator does not answer', async () => {
    await expect(probe([{ topic: 'topic', shared: true }], '127.0.0.1:1'))
      .rejects.toMatchObject({ code: 'NUCLEON_ERR_PLUGIN_FAILED', message: expect.stringContaining('at 127.0.0.1:1 (emulator)') });
  }, 20_000);
});
