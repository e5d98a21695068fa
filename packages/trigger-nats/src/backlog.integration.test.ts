import { AckPolicy, connect, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';
import { NATS_URL, natsService } from './test-support.js';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
let nc: NatsConnection;
let jsm: JetStreamManager;
const streams: string[] = [];

beforeAll(async () => {
  natsService('start');
  nc = await connect({ servers: NATS_URL });
  jsm = await nc.jetstreamManager();
}, 180_000);

afterAll(async () => {
  for (const s of streams) await jsm?.streams.delete(s).catch(() => undefined);
  await nc?.close();
});

function probe(topic: string, jetStream?: Record<string, unknown>) {
  return plugin.backlog!(backlogProbeOptions(plugin, { kind: 'nats', attributes: { url: NATS_URL, topic, ...(jetStream ? { jetStream } : {}) } }));
}

/** A stream over `<prefix>.>` holding `orders` messages on `<prefix>.orders` and 3 on `<prefix>.other`. */
async function streamWith(prefix: string, orders: number): Promise<string> {
  const name = `BK-${prefix}-${RUN}`;
  await jsm.streams.add({ name, subjects: [`${prefix}.${RUN}.>`], storage: StorageType.File });
  streams.push(name);
  const js = nc.jetstream();
  for (let i = 0; i < orders; i += 1) await js.publish(`${prefix}.${RUN}.orders`, Buffer.from(`m-${i}`));
  for (let i = 0; i < 3; i += 1) await js.publish(`${prefix}.${RUN}.other`, Buffer.from(`o-${i}`));
  return name;
}

describe('nats backlog probe (real server)', () => {
  it('counts what a durable consumer has not delivered plus what it delivered and was not acked, fetching nothing', async () => {
    const stream = await streamWith('bk1', 6);
    const topic = `bk1.${RUN}.orders`;
    await jsm.consumers.add(stream, { durable_name: 'd1', ack_policy: AckPolicy.Explicit, filter_subject: topic, ack_wait: 60_000_000_000 });
    expect(await probe(topic, { stream, durable: 'd1' })).toMatchObject({ pending: 6, detail: expect.stringContaining('6 undelivered, 0 unacked') });

    const consumer = await nc.jetstream().consumers.get(stream, 'd1');
    const batch = await consumer.fetch({ max_messages: 2, expires: 2_000 });
    let taken = 0;
    for await (const m of batch) {
      taken += 1;
      if (taken === 1) await m.ackAck();
      if (taken === 2) break;
    }
    const after = await probe(topic, { stream, durable: 'd1' });
    expect(after).toMatchObject({ pending: 5, detail: expect.stringContaining('4 undelivered, 1 unacked') });
    // Probing delivered nothing: the consumer's delivered count is what the test fetched.
    expect((await jsm.consumers.info(stream, 'd1')).delivered.consumer_seq).toBe(2);
  });

  it('before the consumer exists, counts the stream\'s messages on the topic the deliver policy would give, and creates no consumer', async () => {
    const stream = await streamWith('bk2', 4);
    const topic = `bk2.${RUN}.orders`;
    expect(await probe(topic, { stream, durable: 'd2' })).toMatchObject({ pending: 4, detail: expect.stringContaining('not created yet') });
    expect((await probe(topic, { stream, durable: 'd2', deliverPolicy: 'new' })).pending).toBe(0);
    expect((await probe(`bk2.${RUN}.*`, { stream, durable: 'd2', deliverPolicy: 'last_per_subject' })).pending).toBe(2);
    await expect(jsm.consumers.info(stream, 'd2')).rejects.toThrow(/not found/i);
  });

  it('counts a stream that does not exist yet as empty and does not create it', async () => {
    const stream = `BK-none-${RUN}`;
    expect(await probe(`none.${RUN}`, { stream })).toMatchObject({ pending: 0, detail: expect.stringContaining('does not exist yet') });
    await expect(jsm.streams.info(stream)).rejects.toThrow(/not found/i);
  });

  it('rejects with a coded error when the server cannot be reached', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'nats', attributes: { url: 'nats://127.0.0.1:1', topic: 't', jetStream: { stream: 'S' } } });
    await expect(plugin.backlog!(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_PLUGIN_FAILED', message: expect.stringContaining('stream S at nats://127.0.0.1:1') });
  });
});
