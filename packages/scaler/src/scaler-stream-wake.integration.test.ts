import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPlugin, triggerPackage } from '@nucleon/processor';
import { LocalHarness, zeroable } from './test-support/local-harness.js';

// Stream wake on the real local platform with real sources: Kafka and RabbitMQ functions at
// zero wake on their backlog and handle each message exactly once; a cron function at zero
// wakes and fires at its tick. The trigger plugins resolve from the CLI's dependencies, as `nucleon scaler` does.
const harness = new LocalHarness();
beforeEach(() => harness.setUp());
afterEach(() => harness.tearDown());

const CLI_DIR = fileURLToPath(new URL('../../cli', import.meta.url));
const resolveTrigger = (kind: string) => loadPlugin({
  kind: 'trigger', packageName: triggerPackage(kind), configuredAs: kind, configPath: 'spec.triggers', searchPaths: [CLI_DIR],
});
const BROKER = `127.0.0.1:${process.env.NUCLEON_KAFKA_PORT ?? '9092'}`;
const RABBIT = 'amqp://guest:guest@127.0.0.1:5672';
// Each event's body (or the tick's time) on a line of its own, so a second delivery shows.
const RECORDER = { 'main.js': `const fs = require('node:fs');
exports.handler = async (context, event) => {
  fs.appendFileSync(process.env.OUT_FILE, (event.trigger.kind === 'cron' ? String(Date.now()) : event.body.toString()) + '\\n');
  return 'ok';
};
` };
const lines = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').filter(Boolean);

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('stream wake on the local platform', () => {
  it('a Kafka function at zero wakes on produced records and handles every one exactly once', async () => {
    const id = randomBytes(4).toString('hex');
    const topic = `s2z-${id}`;
    const kafka = new Kafka({ clientId: 'scaler-test', brokers: [BROKER], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const out = join(harness.home, 'kafka.out');
    const dir = await harness.code('orders', RECORDER);
    await harness.deploy(zeroable('orders', '2s', {
      env: [{ name: 'OUT_FILE', value: out }],
      triggers: { orders: { kind: 'kafka-cluster', attributes: { brokers: [BROKER], topics: [topic], consumerGroup: `g-${id}`, initialOffset: 'earliest', sessionTimeout: '6s', heartbeatInterval: '500ms' } } },
    }), dir);
    const scaler = harness.scaler({ resolveTrigger });
    scaler.start();
    await harness.waitFor('orders', 'scaledToZero', 30_000);

    const producer = kafka.producer();
    await producer.connect();
    const sent = Array.from({ length: 20 }, (_, i) => `order-${i}`);
    await producer.send({ topic, messages: sent.map((value, i) => ({ key: String(i % 4), value })) });
    await producer.disconnect();
    await harness.waitFor('orders', 'ready', 30_000);
    const got = await until('all 20 records handled', async () => ((await lines(out)).length >= 20 ? lines(out) : undefined), 45_000);
    // Let it idle to zero again: nothing is handled twice on the way down, nor on a later wake.
    await harness.waitFor('orders', 'scaledToZero', 30_000);
    expect([...(await lines(out))].sort()).toEqual([...sent].sort());
    expect(got.length).toBe(20);
    expect(await scaler.metrics.registry.metrics()).toMatch(/nucleon_scaler_wakes_total\{function="orders",reason="stream",result="ready"\} 1/);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }, 180_000);

  it('a RabbitMQ function at zero wakes on queued messages and handles every one exactly once', async () => {
    const queue = `s2z-${randomBytes(4).toString('hex')}`;
    const out = join(harness.home, 'rabbit.out');
    const dir = await harness.code('jobs', RECORDER);
    await harness.deploy(zeroable('jobs', '2s', {
      env: [{ name: 'OUT_FILE', value: out }],
      triggers: { jobs: { kind: 'rabbit-mq', attributes: { url: RABBIT, queueName: queue } } },
    }), dir);
    const scaler = harness.scaler({ resolveTrigger });
    scaler.start();
    await harness.waitFor('jobs', 'scaledToZero', 30_000);
    const connection = await connect(RABBIT);
    const channel = await connection.createChannel();
    const sent = Array.from({ length: 20 }, (_, i) => `job-${i}`);
    for (const body of sent) channel.sendToQueue(queue, Buffer.from(body), { persistent: true });
    await channel.close();
    await until('all 20 messages handled', async () => ((await lines(out)).length >= 20 ? true : undefined), 45_000);
    await harness.waitFor('jobs', 'scaledToZero', 30_000);
    expect([...(await lines(out))].sort()).toEqual([...sent].sort());
    expect(await scaler.metrics.registry.metrics()).toMatch(/nucleon_scaler_wakes_total\{function="jobs",reason="stream",result="ready"\} 1/);
    // Nothing left behind in the queue: every message was acked once.
    const check = await connection.createChannel();
    expect((await check.checkQueue(queue)).messageCount).toBe(0);
    await check.deleteQueue(queue);
    await connection.close();
  }, 120_000);

  it('a cron function at zero wakes before its tick and fires at it', async () => {
    const out = join(harness.home, 'cron.out');
    const dir = await harness.code('ticker', RECORDER);
    await harness.deploy(zeroable('ticker', '4s', {
      env: [{ name: 'OUT_FILE', value: out }],
      triggers: { tick: { kind: 'cron', attributes: { interval: '15s' } } },
    }), dir);
    const scaler = harness.scaler({ resolveTrigger, cronLeadMs: 3000 });
    scaler.start();
    await harness.waitFor('ticker', 'scaledToZero', 30_000);
    const before = (await lines(out)).length;
    // At zero: the next tick still fires, within a second of its 15 s mark (ticks count from the epoch).
    const fired = await until('a tick fired while the function had been at zero', async () => {
      const all = await lines(out);
      return all.length > before ? Number(all.at(-1)) : undefined;
    }, 40_000);
    const offset = fired % 15_000;
    expect(Math.min(offset, 15_000 - offset)).toBeLessThan(1500);
    expect(await scaler.metrics.registry.metrics()).toMatch(/nucleon_scaler_wakes_total\{function="ticker",reason="cron",result="ready"\} 1/);
    await harness.waitFor('ticker', 'scaledToZero', 30_000);
  }, 120_000);
});
