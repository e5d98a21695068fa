import { connect, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, startProcessor, until, type StartedProcessor } from '@nucleon/processor/testing';
import { fixture, NATS_URL, natsService } from './test-support.js';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
let nc: NatsConnection;
let jsm: JetStreamManager;
const running: StartedProcessor[] = [];
const streams: string[] = [];

async function connectClient(): Promise<void> {
  nc = await connect({ servers: NATS_URL, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
  jsm = await nc.jetstreamManager();
}

beforeAll(async () => {
  natsService('start');
  await connectClient();
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  for (const s of streams) await jsm?.streams.delete(s).catch(() => undefined);
  await nc?.close();
});

async function start(dir: string, seen: string, env: Record<string, string> = {}): Promise<StartedProcessor> {
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env } });
  running.push(p);
  return p;
}

/** Creates a stream over `subject` and returns its name (deleted after the file). */
async function stream(name: string, subject: string): Promise<string> {
  await jsm.streams.add({ name, subjects: [subject], storage: StorageType.File });
  streams.push(name);
  return name;
}

async function publish(subject: string, bodies: string[]): Promise<void> {
  const js = nc.jetstream();
  for (let i = 0; i < bodies.length; i += 100) {
    await Promise.all(bodies.slice(i, i + 100).map((b) => js.publish(subject, Buffer.from(b))));
  }
}

/** Messages the durable consumer has not acknowledged yet (pending + in flight). */
async function unacked(streamName: string, durable: string): Promise<number> {
  const info = await jsm.consumers.info(streamName, durable);
  return info.num_pending + info.num_ack_pending;
}

describe('nats trigger, JetStream, against a real server', () => {
  it('consumes a stream through a durable consumer, with the stream sequence as offset, and acks everything', async () => {
    const [name, subject] = [`S-A-${RUN}`, `js.a.${RUN}`];
    await stream(name, subject);
    const { dir, seen } = fixture('orders', [`url: ${NATS_URL}`, `topic: ${subject}`, `jetStream: { stream: ${name}, durable: d-a }`], 4);
    const p = await start(dir, seen);
    const bodies = Array.from({ length: 300 }, (_, i) => `m-${i}`);
    await publish(subject, bodies);
    await until('300 handled', () => fileLines(seen).length >= 300);
    await until('all acked', async () => (await unacked(name, 'd-a')) === 0);
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(fileLines(seen)).toHaveLength(300);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
  });

  it('retries a failing message, dead-letters it to a stream subject with its error, and acks it', async () => {
    const [name, subject, dlqStream, dlq] = [`S-B-${RUN}`, `js.b.${RUN}`, `S-B-DLQ-${RUN}`, `js.dlq.b.${RUN}`];
    await stream(name, subject);
    await stream(dlqStream, dlq);
    const { dir, seen } = fixture('orders', [`url: ${NATS_URL}`, `topic: ${subject}`, `jetStream: { stream: ${name}, durable: d-b }`,
      'maxAttempts: 3', 'retryInitialDelayMs: 20', `deadLetter: ${dlq}`], 2);
    const p = await start(dir, seen);
    const bodies = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'poison-7' : `ok-${i}`));
    await publish(subject, bodies);
    await until('the dead letter', async () => (await jsm.streams.info(dlqStream)).state.messages === 1);
    await until('the good messages', () => fileLines(seen).filter((l) => l.startsWith('ok-')).length === 19);
    await until('all acked', async () => (await unacked(name, 'd-b')) === 0);
    const letter = await jsm.streams.getMessage(dlqStream, { seq: 1 });
    expect(Buffer.from(letter.data).toString()).toBe('poison-7');
    expect(letter.header.get('x-nucleon-attempts')).toBe('3');
    expect(letter.header.get('x-nucleon-error')).toContain('cannot handle poison-7');
    expect(letter.header.get('x-nucleon-source-trigger')).toBe('nats/orders');
    expect(letter.header.get('x-nucleon-source-topic')).toBe(subject);
    expect(letter.header.get('x-nucleon-source-offset')).toBe('8');
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(fileLines(seen).filter((l) => l === 'poison-7')).toHaveLength(3);
  });

  it('loses nothing when the processor is killed with SIGKILL mid-stream and restarted', async () => {
    const [name, subject] = [`S-C-${RUN}`, `js.c.${RUN}`];
    await stream(name, subject);
    const attrs = [`url: ${NATS_URL}`, `topic: ${subject}`, `jetStream: { stream: ${name}, durable: d-c, ackWait: 2s }`];
    const { dir, seen } = fixture('orders', attrs, 4);
    const first = await start(dir, seen, { HANDLER_MS: '5' });
    const bodies = Array.from({ length: 500 }, (_, i) => `n-${i}`);
    await publish(subject, bodies);
    await until('some handled', () => fileLines(seen).length >= 100);
    await first.stop('SIGKILL');
    expect(new Set(fileLines(seen)).size).toBeLessThan(500);
    const second = await start(dir, seen);
    await until('all handled after the restart', () => new Set(fileLines(seen)).size === 500);
    await until('all acked', async () => (await unacked(name, 'd-c')) === 0);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
  });
});
