import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileLines, functionDir, functionYaml, startProcessor, triggerYaml, until, type StartedProcessor,
} from '@nucleon/processor/testing';

// Nuclio's explicitAckMode end to end: a real broker, the real processor, and handlers that
// ack their own records, in process (Node: event.ack()) and through the wrapper protocol
// (Python: context.platform.explicit_ack, an ACK frame).

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const URL_ = 'amqp://guest:guest@127.0.0.1:5672';
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/** Records every run; acks bodies starting with "ack", then throws for bodies containing "throw". */
const NODE_HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const body = event.body.toString();
  fs.appendFileSync(process.env.SEEN_FILE, body + '\\n');
  if (body.startsWith('ack')) await event.ack();
  if (body.includes('throw')) throw new Error('failed after the ack: ' + body);
  return 'ok';
};`;

/** The same choice in Python, acked as Nuclio's Python SDK documents it. */
const PYTHON_HANDLER = `import os
import nuclio_sdk

async def handler(context, event):
    body = event.body.decode() if isinstance(event.body, bytes) else str(event.body)
    with open(os.environ['SEEN_FILE'], 'a') as seen:
        seen.write(body + '\\n')
    if body.startswith('ack'):
        await context.platform.explicit_ack(nuclio_sdk.QualifiedOffset.from_event(event))
    return 'ok'
`;

let model: ChannelModel;
let ch: Channel;
const running: StartedProcessor[] = [];
const made: Fixture[] = [];

beforeAll(async () => {
  execFileSync('bash', [join(ROOT, 'scripts/services/rabbitmq.sh'), 'start'], { stdio: 'inherit', timeout: 120_000 });
  model = await amqp.connect(URL_);
  ch = await model.createChannel();
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  // Even after a failed test, leave no queue or exchange behind on the shared broker.
  for (const f of made) {
    await ch?.deleteQueue(f.q).catch(() => undefined);
    await ch?.deleteExchange(f.ex).catch(() => undefined);
  }
  await model?.close();
});

interface Fixture { dir: string; seen: string; ex: string; q: string }

/** A function with one rabbit-mq trigger in `mode`, on a fresh exchange and queue. */
function fixture(label: string, mode: string, runtime: 'nodejs' | 'python:3.11', attributes: string[] = []): Fixture {
  const [ex, q] = [`nucleon-ack-ex-${label}-${RUN}`, `nucleon-ack-q-${label}-${RUN}`];
  const trigger = triggerYaml({
    name: 'orders', kind: 'rabbit-mq', extra: [`explicitAckMode: ${mode}`],
    attributes: [`url: ${URL_}`, `exchangeName: ${ex}`, `queueName: ${q}`, 'topics: [k]', ...attributes],
  });
  const code: Record<string, string> = runtime === 'nodejs' ? { 'main.js': NODE_HANDLER } : { 'main.py': PYTHON_HANDLER };
  const dir = functionDir({ 'function.yaml': functionYaml({ runtime, trigger }), ...code });
  const f = { dir, seen: join(dir, 'seen.txt'), ex, q };
  made.push(f);
  return f;
}

async function start(f: Fixture): Promise<StartedProcessor> {
  const p = await startProcessor(f.dir, { env: { SEEN_FILE: f.seen }, readyTimeoutMs: 30_000 });
  running.push(p);
  return p;
}

async function publish(exchange: string, bodies: string[]): Promise<void> {
  const confirm = await model.createConfirmChannel();
  for (const body of bodies) confirm.publish(exchange, 'k', Buffer.from(body), { persistent: true, contentType: 'text/plain' });
  await confirm.waitForConfirms();
  await confirm.close();
}

/** Takes every ready message off the queue (acking it), as [body, redelivered]. */
async function drainQueue(q: string): Promise<Array<[string, boolean]>> {
  const got: Array<[string, boolean]> = [];
  for (let msg = await ch.get(q); msg !== false; msg = await ch.get(q)) {
    got.push([msg.content.toString(), msg.fields.redelivered]);
    ch.ack(msg);
  }
  return got;
}

/**
 * explicitOnly: acked records are gone; the others were handled once, stay unacknowledged while
 * the processor runs (nothing is ready in the queue, nothing is redelivered), and come back,
 * marked redelivered, once the processor has stopped. prefetchCount 0: un-acked records hold
 * the consumer's prefetch window, so the default (numWorkers) would stall the stream.
 */
async function explicitOnlyAcksOnlyWhatTheHandlerAcks(f: Fixture): Promise<void> {
  const p = await start(f);
  const bodies = ['ack-1', 'keep-2', 'ack-3', 'keep-4', 'ack-5'];
  await publish(f.ex, bodies);
  await until('every record handled', () => fileLines(f.seen).length >= bodies.length);
  await new Promise((r) => setTimeout(r, 300)); // room for a wrong redelivery or retry to show up
  expect(fileLines(f.seen).sort()).toEqual([...bodies].sort());
  expect((await ch.checkQueue(f.q)).messageCount).toBe(0); // the un-acked two are held by the consumer, not ready
  expect(await p.stop('SIGTERM')).toBe(0);
  await until('the un-acked records back in the queue', async () => (await ch.checkQueue(f.q)).messageCount === 2);
  expect((await drainQueue(f.q)).sort()).toEqual([['keep-2', true], ['keep-4', true]]);
}

describe('explicitAckMode with a real RabbitMQ', () => {
  it('explicitOnly, Node handler: await event.ack() acks that record; records it does not ack stay unacked', async () => {
    await explicitOnlyAcksOnlyWhatTheHandlerAcks(fixture('node', 'explicitOnly', 'nodejs', ['prefetchCount: 0']));
  }, 60_000);

  it('explicitOnly, Python handler: context.platform.explicit_ack sends ACK through the wrapper and acks that record', async () => {
    await explicitOnlyAcksOnlyWhatTheHandlerAcks(fixture('py', 'explicitOnly', 'python:3.11', ['prefetchCount: 0']));
  }, 60_000);

  it('enable: a handler that acks early then throws is acked exactly once, not retried and never redelivered', async () => {
    const f = fixture('enable', 'enable', 'nodejs', ['maxAttempts: 3', 'retryInitialDelayMs: 10']);
    const p = await start(f);
    await publish(f.ex, ['ack-then-throw', 'plain']);
    await until('both handled', () => fileLines(f.seen).includes('plain') && fileLines(f.seen).includes('ack-then-throw'));
    await new Promise((r) => setTimeout(r, 500)); // retries are 10-20 ms apart; a redelivery would come now
    // A second ack of one delivery tag is a channel error (406 PRECONDITION_FAILED, unknown
    // delivery tag) that would close the channel and make the trigger reconnect.
    expect(p.output()).not.toMatch(/unknown delivery tag|PRECONDITION_FAILED|connection lost/i);
    expect(await p.stop('SIGTERM')).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect((await ch.checkQueue(f.q)).messageCount).toBe(0); // acked: nothing came back when the consumer went away
    // Acked, so not retried either: the handler ran once.
    expect(fileLines(f.seen).filter((l) => l === 'ack-then-throw')).toHaveLength(1);
    expect(fileLines(f.seen).filter((l) => l === 'plain')).toHaveLength(1);
    }, 60_000);
});
