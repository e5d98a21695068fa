import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BROKER = `127.0.0.1:${process.env.NUCLEON_KAFKA_PORT ?? '9092'}`;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const kafka = new Kafka({ clientId: 'nucleon-backlog-test', brokers: [BROKER], logLevel: logLevel.NOTHING });
let admin: Admin;

beforeAll(async () => {
  execFileSync('bash', [join(ROOT, 'scripts/services/kafka.sh'), 'start'], { stdio: 'inherit', timeout: 300_000 });
  admin = kafka.admin();
  await admin.connect();
}, 320_000);

afterAll(async () => { await admin?.disconnect(); });

/** A fresh topic with `perPartition` records in each of `partitions` partitions. */
async function topicWith(name: string, partitions: number, perPartition: number): Promise<string> {
  const topic = `${name}-${RUN}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let p = 0; p < partitions; p += 1) {
    await producer.send({ topic, messages: Array.from({ length: perPartition }, (_, i) => ({ partition: p, value: `p${p}-${i}` })) });
  }
  await producer.disconnect();
  return topic;
}

function probe(topics: string[], group: string, extra: Record<string, unknown> = {}) {
  return plugin.backlog!(backlogProbeOptions(plugin, { kind: 'kafka-cluster', attributes: { brokers: [BROKER], topics, consumerGroup: group, ...extra } }));
}

/** Consumes partition 0 of `topic` as a member of `group` until it saw `count` records, commits exactly those, and leaves. */
async function consumeAndCommit(topic: string, group: string, count: number): Promise<void> {
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 6_000, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (partition !== 0 || Number(message.offset) !== count - 1) return;
        await consumer.commitOffsets([{ topic, partition: 0, offset: String(count) }]);
        resolve();
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

describe('kafka backlog probe (real broker)', () => {
  it('counts every record for a fresh group reading from the earliest offset, and the rest once the group committed some', async () => {
    const topic = await topicWith('backlog', 3, 20);
    const group = `backlog-${RUN}`;
    const first = await probe([topic], group);
    expect(first.pending).toBe(60);
    expect(first.detail).toContain(`${topic}:60`);
    // Probing took nothing: the group still has no committed offset and no member.
    expect((await probe([topic], group)).pending).toBe(60);
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    expect(offsets[0]?.partitions.map((p) => p.offset)).toEqual(['-1', '-1', '-1']);

    await consumeAndCommit(topic, group, 15);
    expect((await probe([topic], group)).pending).toBe(45);
  }, 60_000);

  it('sees no backlog for a fresh group reading from the latest offset, and counts records produced after it committed', async () => {
    const topic = await topicWith('backlog-latest', 1, 10);
    expect((await probe([topic], `latest-${RUN}`, { initialOffset: 'latest' })).pending).toBe(0);
    const group = `latest2-${RUN}`;
    await consumeAndCommit(topic, group, 10);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await producer.disconnect();
    expect((await probe([topic], group, { initialOffset: 'latest' })).pending).toBe(3);
  }, 60_000);

  it('counts a topic that does not exist yet as empty and says so, without creating it', async () => {
    const topic = `never-${RUN}`;
    const backlog = await probe([topic], `g-${RUN}`);
    expect(backlog).toMatchObject({ pending: 0, detail: expect.stringContaining(`missing topics ${topic}`) });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('rejects with a coded error naming the group and brokers when no broker answers', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'kafka-cluster', attributes: { brokers: ['127.0.0.1:1'], topics: ['t'], consumerGroup: 'g' } });
    await expect(plugin.backlog!(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_PLUGIN_FAILED', message: expect.stringContaining('group g from 127.0.0.1:1') });
  }, 30_000);
});
