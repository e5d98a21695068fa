import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, startProcessor, until, type StartedProcessor } from '@nucleon/processor/testing';
import { fixture, NATS_URL, natsService } from './test-support.js';

// Nuclio's explicitAckMode with JetStream: handlers that ack their own messages (event.ack()).

/** Records every run; acks bodies starting with "ack", then throws for bodies containing "throw". */
const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const body = event.body.toString();
  fs.appendFileSync(process.env.SEEN_FILE, body + '\\n');
  if (body.startsWith('ack')) await event.ack();
  if (body.includes('throw')) throw new Error('failed after the ack: ' + body);
  return 'ok';
};`;

const RUN = `${process.pid}-${Date.now().toString(36)}`;
let nc: NatsConnection;
let jsm: JetStreamManager;
const running: StartedProcessor[] = [];
const streams: string[] = [];

beforeAll(async () => {
  natsService('start');
  nc = await connect({ servers: NATS_URL });
  jsm = await nc.jetstreamManager();
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  for (const s of streams) await jsm?.streams.delete(s).catch(() => undefined);
  await nc?.close();
});

async function setup(tag: string, mode: string): Promise<{ seen: string; stream: string; subject: string; p: StartedProcessor }> {
  const [stream, subject] = [`S-X${tag}-${RUN}`, `js.x${tag}.${RUN}`];
  await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File });
  streams.push(stream);
  const { dir, seen } = fixture('orders', [`url: ${NATS_URL}`, `topic: ${subject}`, `jetStream: { stream: ${stream}, durable: d, ackWait: 60s }`,
    'maxAttempts: 2', 'retryInitialDelayMs: 10'], 2, [`explicitAckMode: ${mode}`]);
  writeFileSync(join(dir, 'main.js'), HANDLER);
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen } });
  running.push(p);
  return { seen, stream, subject, p };
}

async function counts(stream: string): Promise<{ pending: number; ackPending: number }> {
  const info = await jsm.consumers.info(stream, 'd');
  return { pending: info.num_pending, ackPending: info.num_ack_pending };
}

describe('nats trigger, JetStream, explicitAckMode', () => {
  it('explicitOnly: only what the handler acked is acked; an ack then a throw is neither retried nor redelivered', async () => {
    const { seen, stream, subject, p } = await setup('a', 'explicitOnly');
    const js = nc.jetstream();
    for (const body of ['ack-1', 'keep-1', 'ack-throw-1', 'ack-2']) await js.publish(subject, Buffer.from(body));
    await until('all four handled', () => fileLines(seen).length >= 4);
    await until('three acked, one held', async () => {
      const c = await counts(stream);
      return c.pending === 0 && c.ackPending === 1;
    });
    expect(fileLines(seen).sort()).toEqual(['ack-1', 'ack-2', 'ack-throw-1', 'keep-1']);
    expect(await p.stop('SIGTERM')).toBe(0);
  });

  it('enable: the handler may ack early; the trigger acks the rest after success, once each', async () => {
    const { seen, stream, subject, p } = await setup('b', 'enable');
    const js = nc.jetstream();
    const bodies = Array.from({ length: 40 }, (_, i) => (i % 2 ? `ack-${i}` : `plain-${i}`));
    for (const body of bodies) await js.publish(subject, Buffer.from(body));
    await until('all handled', () => fileLines(seen).length >= 40);
    await until('all acked', async () => {
      const c = await counts(stream);
      return c.pending === 0 && c.ackPending === 0;
    });
    expect(fileLines(seen).sort()).toEqual([...bodies].sort());
    expect(await p.stop('SIGTERM')).toBe(0);
  });
});
