import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  fileLines, freePort, functionDir, functionYaml, startProcessor, triggerYaml, type StartedProcessor,
} from '@nucleon/processor/testing';

/**
 * A broker restart while consuming, on a broker of this file's own (other ports, other data
 * dir), so the tests sharing the main broker are not disturbed.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const KAFKA_SH = join(ROOT, 'scripts/services/kafka.sh');
let env: NodeJS.ProcessEnv;
let broker: string;
let processor: StartedProcessor | undefined;

const kafkaSh = (verb: string): void => {
  execFileSync('bash', [KAFKA_SH, verb], { env, stdio: 'inherit', timeout: 180_000 });
};

beforeAll(async () => {
  const port = await freePort();
  const controller = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'nucleon-kafka-restart-'));
  env = { ...process.env, NUCLEON_KAFKA_PORT: String(port), NUCLEON_KAFKA_CONTROLLER_PORT: String(controller), NUCLEON_KAFKA_DATA: data };
  broker = `127.0.0.1:${port}`;
  kafkaSh('start');
}, 200_000);

afterAll(async () => {
  await processor?.stop('SIGKILL');
  kafkaSh('stop');
  rmSync(env.NUCLEON_KAFKA_DATA as string, { recursive: true, force: true });
}, 60_000);

const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  await new Promise((r) => setTimeout(r, 2));
  fs.appendFileSync(process.env.SEEN_FILE, event.body.toString() + '\\n');
  return 'ok';
};`;

it('reconnects after the broker restarts mid-stream and handles every record, losing none', async () => {
  const kafka = new Kafka({ clientId: 'restart-test', brokers: [broker], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await admin.connect();
  await producer.connect();
  await admin.createTopics({ topics: [{ topic: 'restart', numPartitions: 2 }], waitForLeaders: true });
  const bodies = Array.from({ length: 3000 }, (_, i) => `r-${i}`);
  await producer.send({ topic: 'restart', messages: bodies.map((value, i) => ({ partition: i % 2, value })) });
  await producer.disconnect();
  await admin.disconnect();

  const trigger = triggerYaml({
    name: 'orders', kind: 'kafka-cluster', extra: ['numWorkers: 2'],
    attributes: [`brokers: [${broker}]`, 'topics: [restart]', 'consumerGroup: restart', 'sessionTimeout: 6s', 'heartbeatInterval: 500ms'],
  });
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  const seen = join(dir, 'seen.txt');
  const lines = (): string[] => fileLines(seen);
  processor = await startProcessor(dir, { env: { SEEN_FILE: seen }, readyTimeoutMs: 60_000 });

  const deadline = (ms: number): number => Date.now() + ms;
  for (const until = deadline(60_000); lines().length < 500;) {
    if (Date.now() > until) throw new Error('no progress before the restart');
    await new Promise((r) => setTimeout(r, 50));
  }
  kafkaSh('restart');
  for (const until = deadline(120_000); new Set(lines()).size < bodies.length;) {
    if (Date.now() > until) throw new Error(`only ${new Set(lines()).size} of ${bodies.length} records handled after the restart`);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(new Set(lines())).toEqual(new Set(bodies));
  expect(processor.child.exitCode).toBeNull();
  expect(processor.output()).toMatch(/kafka: /);
  console.log(`kafka broker restart: ${lines().length - bodies.length} records handled twice, 0 lost`);
}, 240_000);
