import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const URL_ = 'amqp://guest:guest@127.0.0.1:5672';
const RUN = `${process.pid}-${Date.now().toString(36)}`;
let model: ChannelModel;
let ch: Channel;

beforeAll(async () => {
  execFileSync('bash', [join(ROOT, 'scripts/services/rabbitmq.sh'), 'start'], { stdio: 'inherit', timeout: 120_000 });
  model = await amqp.connect(URL_);
  ch = await model.createChannel();
}, 180_000);

afterAll(async () => { await model?.close(); });

function probe(attributes: Record<string, unknown>) {
  return plugin.backlog!(backlogProbeOptions(plugin, { kind: 'rabbit-mq', attributes: { url: URL_, ...attributes } }));
}

async function queueWith(name: string, count: number): Promise<string> {
  const queue = `${name}-${RUN}`;
  await ch.assertQueue(queue, { durable: true });
  for (let i = 0; i < count; i += 1) ch.sendToQueue(queue, Buffer.from(`m-${i}`));
  // Publishing is asynchronous: a passive declare answers only after the publishes before it.
  await ch.checkQueue(queue);
  return queue;
}

describe('rabbit-mq backlog probe (real broker)', () => {
  it('counts the ready messages and takes none of them', async () => {
    const queue = await queueWith('backlog', 12);
    expect(await probe({ queueName: queue })).toMatchObject({ pending: 12, detail: expect.stringContaining(`queue ${queue}: 12 ready`) });
    expect((await probe({ queueName: queue })).pending).toBe(12);
    // The first message is still first in line.
    const first = await ch.get(queue, { noAck: true });
    expect(first && first.content.toString()).toBe('m-0');
    expect((await probe({ queueName: queue })).pending).toBe(11);
  });

  it('counts messages a dead consumer had unacked once the broker gives them back', async () => {
    const queue = await queueWith('backlog-unacked', 5);
    const consumer = await amqp.connect(URL_);
    const cch = await consumer.createChannel();
    await cch.prefetch(3);
    let got = 0;
    await cch.consume(queue, () => { got += 1; }, { noAck: false });
    while (got < 3) await new Promise((r) => setTimeout(r, 20));
    expect((await probe({ queueName: queue })).pending).toBe(2);
    await consumer.close();
    expect((await probe({ queueName: queue })).pending).toBe(5);
  });

  it('counts a queue that does not exist as empty, without declaring it', async () => {
    const queue = `never-${RUN}`;
    expect(await probe({ queueName: queue })).toMatchObject({ pending: 0, detail: expect.stringContaining('does not exist yet') });
    const check = await model.createChannel();
    check.on('error', () => undefined);
    await expect(check.checkQueue(queue)).rejects.toMatchObject({ code: 404 });
  });

  it('says why nothing waits for a trigger without a queueName', async () => {
    const backlog = await probe({ exchangeName: `x-${RUN}`, topics: ['a.#'] });
    expect(backlog).toMatchObject({ pending: 0, detail: expect.stringContaining('exclusive') });
  });

  it('rejects with a coded error, the password hidden, when the broker cannot be reached', async () => {
    const rejected = probe({ url: 'amqp://guest:secret@127.0.0.1:1', queueName: 'q' });
    await expect(rejected).rejects.toMatchObject({ code: 'NUCLEON_ERR_PLUGIN_FAILED', message: expect.stringContaining('queue q at amqp://guest:***@127.0.0.1:1') });
    await expect(rejected).rejects.not.toMatchObject({ message: expect.stringContaining('secret') });
  });
});
