import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, freePort, functionDir, functionYaml, startExpectingFailure, startProcessor, triggerYaml, until, type StartedProcessor } from '@nucleon/processor/testing';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BROKER = `127.0.0.1:${process.env.NUCLEON_KAFKA_PORT ?? '9092'}`;
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/**
 * Appends one line per attempt: `pid partition offset body start end`, with start/end in ms,
 * after sleeping HANDLER_MS; throws for bodies starting with "poison"; with ACK_BELOW set, acks
 * explicitly (event.ack) the records whose sequence number is below it.
 */
const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const body = event.body.toString();
  const start = performance.timeOrigin + performance.now();
  const ms = Number(process.env.HANDLER_MS || 0);
  if (ms) await new Promise((r) => setTimeout(r, ms));
  fs.appendFileSync(process.env.SEEN_FILE, [process.pid, event.shardId, event.offset, body, start, performance.timeOrigin + performance.now()].join(' ') + '\\n');
  if (process.env.ACK_BELOW && Number(body.split('-')[1]) < Number(process.env.ACK_BELOW)) await event.ack();
  if (body.startsWith('poison')) throw new Error('cannot handle ' + body);
  return 'ok';
};`;

interface Seen { pid: string; partition: number; offset: number; body: string; start: number; end: number }

const kafka = new Kafka({ clientId: 'nucleon-test', brokers: [BROKER], logLevel: logLevel.NOTHING });
let admin: Admin;
let producer: Producer;
const running: StartedProcessor[] = [];

beforeAll(async () => {
  execFileSync('bash', [join(ROOT, 'scripts/services/kafka.sh'), 'start'], { stdio: 'inherit', timeout: 300_000 });
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
}, 320_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await producer?.disconnect();
  await admin?.disconnect();
});

/** A topic with `partitions` partitions and `perPartition` records in each: bodies `p<partition>-<seq>`. */
async function topicWith(name: string, partitions: number, perPartition: number, poison: (p: number, i: number) => boolean = () => false): Promise<string> {
  const topic = `${name}-${RUN}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  for (let p = 0; p < partitions; p += 1) {
    for (let from = 0; from < perPartition; from += 1000) {
      const messages = [];
      for (let i = from; i < Math.min(perPartition, from + 1000); i += 1) {
        messages.push({ partition: p, key: `k${p}`, value: poison(p, i) ? `poison-p${p}-${i}` : `p${p}-${i}`, headers: { 'x-seq': String(i) } });
      }
      await producer.send({ topic, messages });
    }
  }
  return topic;
}

function fixture(topic: string, group: string, attributes: string[] = [], numWorkers = 4, kind = 'kafka-cluster'): { dir: string; seen: string } {
  const trigger = triggerYaml({
    name: 'orders', kind, extra: [`numWorkers: ${numWorkers}`],
    attributes: [`brokers: [${BROKER}]`, `topics: [${topic}]`, `consumerGroup: ${group}`,
      'sessionTimeout: 6s', 'heartbeatInterval: 500ms', 'rebalanceTimeout: 10s', ...attributes],
  });
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  return { dir, seen: join(dir, 'seen.txt') };
}

async function start(dir: string, seen: string, env: Record<string, string> = {}): Promise<StartedProcessor> {
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env }, readyTimeoutMs: 60_000 });
  running.push(p);
  return p;
}

function seenLines(file: string): Seen[] {
  return fileLines(file).map((line) => {
    const [pid, partition, offset, body, start, end] = line.split(' ');
    return { pid: pid!, partition: Number(partition), offset: Number(offset), body: body!, start: Number(start), end: Number(end) };
  });
}

const uniqueBodies = (file: string): Set<string> => new Set(seenLines(file).map((s) => s.body));


/** The group's committed offset per partition. */
async function committed(group: string, topic: string): Promise<number[]> {
  const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return (entry?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

/** Every `p<partition>-<seq>` body, for checking none was lost. */
const expected = (partitions: number, perPartition: number): string[] =>
  Array.from({ length: partitions * perPartition }, (_, n) => `p${n % partitions}-${Math.floor(n / partitions)}`);

describe('Kafka trigger against a real broker', () => {
  it('handles 10,000 records over 4 partitions with 4 workers: each once, in order within each partition, partitions in parallel', async () => {
    const topic = await topicWith('ordered', 4, 2500);
    const group = `g-ordered-${RUN}`;
    const { dir, seen } = fixture(topic, group);
    const p = await start(dir, seen, { HANDLER_MS: '1' });
    await until('10,000 records handled', () => seenLines(seen).length >= 10_000, 90_000);
    await until('offsets committed to the end', async () => (await committed(group, topic)).every((o) => o === 2500), 15_000);
    await p.stop('SIGTERM');

    const lines = seenLines(seen);
    expect(lines).toHaveLength(10_000);
    expect(new Set(lines.map((l) => l.body))).toEqual(new Set(expected(4, 2500)));
    for (let partition = 0; partition < 4; partition += 1) {
      const order = lines.filter((l) => l.partition === partition).map((l) => Number(l.body.split('-')[1]));
      expect(order).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    }
    // Parallel: some record of one partition ran while a record of another partition was running.
    const byStart = [...lines].sort((a, b) => a.start - b.start);
    const overlaps = byStart.filter((l, i) => i > 0 && byStart[i - 1]!.partition !== l.partition && l.start < byStart[i - 1]!.end).length;
    expect(overlaps).toBeGreaterThan(100);
  }, 150_000);

  it('loses nothing when the processor is killed with SIGKILL mid-stream and restarted', async () => {
    const topic = await topicWith('crash', 4, 1000);
    const group = `g-crash-${RUN}`;
    const { dir, seen } = fixture(topic, group);
    const first = await start(dir, seen, { HANDLER_MS: '2' });
    // Killed once some progress is committed: the restart must resume there, not replay everything.
    await until('1,000 records handled and some committed before the kill',
      async () => seenLines(seen).length >= 1000 && (await committed(group, topic)).some((o) => o > 0), 60_000);
    await first.stop('SIGKILL');
    const handledBeforeKill = seenLines(seen).length;
    expect(handledBeforeKill).toBeLessThan(4000);

    const second = await start(dir, seen);
    await until('every record handled after the restart', () => uniqueBodies(seen).size === 4000, 90_000);
    await until('offsets committed to the end', async () => (await committed(group, topic)).every((o) => o === 1000), 15_000);
    await second.stop('SIGTERM');
    const lines = seenLines(seen);
    expect(new Set(lines.map((l) => l.body))).toEqual(new Set(expected(4, 1000)));
    // Redelivered after the kill: only records whose offset was not committed yet.
    const duplicates = lines.length - 4000;
    console.log(`kafka kill -9: ${handledBeforeKill} handled before the kill, ${duplicates} handled twice, 0 lost`);
    expect(duplicates).toBeLessThan(handledBeforeKill);
  }, 150_000);

  it('dead-letters a poison record after maxAttempts with its error, and the rest flow on', async () => {
    const topic = await topicWith('poison', 2, 50, (p, i) => p === 1 && (i === 10 || i === 30));
    const dlq = `${topic}-dlq`;
    const group = `g-poison-${RUN}`;
    const { dir, seen } = fixture(topic, group, ['maxAttempts: 3', 'retryInitialDelayMs: 20', `deadLetter: ${dlq}`], 2);
    const p = await start(dir, seen);
    await until('offsets committed to the end', async () => (await committed(group, topic)).every((o) => o === 50), 60_000);
    await p.stop('SIGTERM');

    const lines = seenLines(seen);
    const attempts = (body: string): number => lines.filter((l) => l.body === body).length;
    expect(attempts('poison-p1-10')).toBe(3);
    expect(attempts('poison-p1-30')).toBe(3);
    expect(lines.filter((l) => !l.body.startsWith('poison'))).toHaveLength(98);
    // Order held across the retries: record 11 of partition 1 ran only after record 10 was done with.
    const p1 = lines.filter((l) => l.partition === 1).map((l) => l.body);
    expect(p1.lastIndexOf('poison-p1-10')).toBeLessThan(p1.indexOf('p1-11'));

    const letters = await readTopic(dlq, 2);
    expect(letters.map((m) => m.value)).toEqual(['poison-p1-10', 'poison-p1-30']);
    const [first] = letters;
    expect(first!.key).toBe('k1');
    expect(first!.headers).toMatchObject({
      'x-seq': '10', 'x-nucleon-error': expect.stringContaining('cannot handle poison-p1-10'), 'x-nucleon-attempts': '3',
      'x-nucleon-source-topic': topic, 'x-nucleon-source-partition': '1', 'x-nucleon-source-offset': '10',
      'x-nucleon-source-trigger': 'kafka-cluster/orders', 'x-nucleon-error-code': 'NUCLEON_ERR_HANDLER_FAILED',
    });
  }, 90_000);

  it('loses nothing when a second processor joins the group (rebalance)', async () => {
    const topic = await topicWith('rebalance', 4, 1000);
    const group = `g-rebalance-${RUN}`;
    const a = fixture(topic, group);
    const first = await start(a.dir, a.seen, { HANDLER_MS: '3' });
    await until('500 records handled by the first processor', () => seenLines(a.seen).length >= 500, 60_000);
    const second = await start(a.dir, a.seen, { HANDLER_MS: '3' });
    await until('every record handled', () => uniqueBodies(a.seen).size === 4000, 90_000);
    await until('offsets committed to the end', async () => (await committed(group, topic)).every((o) => o === 1000), 20_000);
    await Promise.all([first.stop('SIGTERM'), second.stop('SIGTERM')]);

    const lines = seenLines(a.seen);
    expect(new Set(lines.map((l) => l.body))).toEqual(new Set(expected(4, 1000)));
    const pids = new Set(lines.map((l) => l.pid));
    expect(pids.size).toBe(2);
    console.log(`kafka rebalance: ${lines.length - 4000} records handled twice, 0 lost`);
    // Each partition's records stay in order within each processor's share of it.
    for (const pid of pids) {
      for (let partition = 0; partition < 4; partition += 1) {
        const seqs = lines.filter((l) => l.pid === pid && l.partition === partition).map((l) => Number(l.body.split('-')[1]));
        expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      }
    }
  }, 150_000);

  it("publishes each response to responseTopic, keyed as the record (Nuclio's kind name kafka)", async () => {
    const topic = await topicWith('respond', 1, 5);
    const responses = `${topic}-responses`;
    // Made up front: reading a topic that is being auto-created races its leader election.
    await admin.createTopics({ topics: [{ topic: responses, numPartitions: 1 }], waitForLeaders: true });
    const group = `g-respond-${RUN}`;
    const { dir, seen } = fixture(topic, group, [`responseTopic: ${responses}`], 1, 'kafka');
    const p = await start(dir, seen);
    const out = await readTopic(responses, 5);
    await p.stop('SIGTERM');
    expect(out.map((m) => [m.key, m.value])).toEqual(Array.from({ length: 5 }, () => ['k0', 'ok']));
  }, 60_000);

  it('explicitAckMode explicitOnly: only what the handler acks is committed; the rest comes back after a restart', async () => {
    const topic = await topicWith('explicit', 1, 20);
    const group = `g-explicit-${RUN}`;
    const { dir, seen } = fixture(topic, group, [], 1);
    const yaml = join(dir, 'function.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('      numWorkers: 1\n', '      numWorkers: 1\n      explicitAckMode: explicitOnly\n'));
    const first = await start(dir, seen, { ACK_BELOW: '10' });
    await until('20 records handled', () => seenLines(seen).length === 20);
    await until('the acked records committed', async () => (await committed(group, topic))[0] === 10, 15_000);
    await first.stop('SIGTERM');
    expect(await committed(group, topic)).toEqual([10]);

    const second = await start(dir, seen, { ACK_BELOW: '100' });
    await until('the unacked records delivered again and acked', async () => (await committed(group, topic))[0] === 20, 30_000);
    await second.stop('SIGTERM');
    const again = seenLines(seen).slice(20).map((l) => l.body);
    expect(again).toEqual(Array.from({ length: 10 }, (_, i) => `p0-${i + 10}`));
  }, 90_000);

  it.each([
    ['no brokers', ['topics: [t]', 'consumerGroup: g'], /spec\.triggers\.broken\.attributes\.brokers[^\n]*is required/],
    ['an unknown attribute', ['brokers: [127.0.0.1:9092]', 'topics: [t]', 'consumerGroup: g', 'consumerGoup: x'],
      /spec\.triggers\.broken\.attributes\.consumerGoup/],
    ['a bad initialOffset', ['brokers: [127.0.0.1:9092]', 'topics: [t]', 'consumerGroup: g', 'initialOffset: oldest'],
      /spec\.triggers\.broken\.attributes\.initialOffset/],
  ])('refuses %s at start, naming the trigger and the attribute', async (_label, attrs, message) => {
    const code = await failedStart(attrs as string[]);
    expect(code.code).toBe(1);
    expect(code.output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(code.output).toMatch(message as RegExp);
  });

  it('fails the start in bounded time, naming the trigger and brokers, when no broker answers', async () => {
    const port = await freePort();
    const started = Date.now();
    const { code, output } = await failedStart([`brokers: [127.0.0.1:${port}]`, 'topics: [t]', 'consumerGroup: g']);
    expect(code).not.toBe(0);
    expect(output).toMatch(new RegExp(`trigger broken: cannot consume t from 127\\.0\\.0\\.1:${port}`));
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 40_000);
});

async function failedStart(attributes: string[]): Promise<{ code: number | null; output: string }> {
  return startExpectingFailure(triggerYaml({ name: 'broken', kind: 'kafka-cluster', attributes }),
    { limitMs: 35_000, handler: HANDLER, onStart: (p) => running.push(p) });
}

/** Reads `count` records of a topic from the start, as text. */
async function readTopic(topic: string, count: number): Promise<Array<{ key: string; value: string; headers: Record<string, string> }>> {
  const consumer = kafka.consumer({ groupId: `reader-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const out: Array<{ key: string; value: string; headers: Record<string, string> }> = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${out.length} of ${count} records from ${topic}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        out.push({ key: String(message.key), value: String(message.value), headers });
        if (out.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}
