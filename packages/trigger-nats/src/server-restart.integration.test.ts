import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, freePort, startProcessor, until, type StartedProcessor } from '@nucleon/processor/testing';
import { fixture, natsService } from './test-support.js';

/**
 * A server restart under a running trigger. It uses a server of its own (scripts/services/nats.sh
 * on a free port with its own store), so restarting it disturbs no other test file.
 */
let env: Record<string, string>;
let url: string;
let data: string;
let nc: NatsConnection | undefined;
let jsm: JetStreamManager;
const running: StartedProcessor[] = [];

async function connectClient(): Promise<void> {
  nc = await connect({ servers: url });
  jsm = await nc.jetstreamManager();
}

beforeAll(async () => {
  const port = await freePort();
  data = mkdtempSync(join(tmpdir(), 'nucleon-nats-restart-'));
  env = { NUCLEON_NATS_PORT: String(port), NUCLEON_NATS_DATA: data };
  url = `nats://127.0.0.1:${port}`;
  natsService('start', env);
  await connectClient();
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await nc?.close();
  natsService('stop', env);
  rmSync(data, { recursive: true, force: true });
}, 60_000);

describe('nats trigger, JetStream, server restart', () => {
  it('reconnects after a server restart mid-stream and finishes the stream without losing a message', async () => {
    const [name, subject] = ['S-RESTART', 'js.restart'];
    await jsm.streams.add({ name, subjects: [subject], storage: StorageType.File });
    const { dir, seen } = fixture('orders', [`url: ${url}`, `topic: ${subject}`, `jetStream: { stream: ${name}, durable: d-r, ackWait: 2s }`], 2);
    const p = await startProcessor(dir, { env: { SEEN_FILE: seen, HANDLER_MS: '20' } });
    running.push(p);
    const bodies = Array.from({ length: 300 }, (_, i) => `r-${i}`);
    const js = nc!.jetstream();
    await Promise.all(bodies.slice(0, 200).map((b) => js.publish(subject, Buffer.from(b))));
    await until('some handled', () => fileLines(seen).length >= 30);
    await nc!.close();
    const handledBeforeRestart = new Set(fileLines(seen)).size;
    natsService('restart', env);
    expect(handledBeforeRestart).toBeLessThan(200);
    await connectClient();
    const js2 = nc!.jetstream();
    await Promise.all(bodies.slice(200).map((b) => js2.publish(subject, Buffer.from(b))));
    await until('all 300 handled after the restart', () => new Set(fileLines(seen)).size === 300, 60_000);
    await until('all acked', async () => {
      const info = await jsm.consumers.info(name, 'd-r');
      return info.num_pending + info.num_ack_pending === 0;
    }, 30_000);
    expect(p.output()).toContain('reconnected');
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
  }, 120_000);
});
