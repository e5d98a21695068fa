import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, startProcessor, until, type StartedProcessor } from '@nucleon/processor/testing';
import { fixture, NATS_URL, natsService } from './test-support.js';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
let nc: NatsConnection;
const running: StartedProcessor[] = [];

beforeAll(async () => {
  natsService('start');
  nc = await connect({ servers: NATS_URL });
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await nc?.close();
});

async function start(dir: string, seen: string, env: Record<string, string> = {}): Promise<StartedProcessor> {
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env } });
  running.push(p);
  return p;
}

describe('nats trigger, core NATS, against a real server', () => {
  it('two processors in one queue group split the messages, none twice, with subject, headers and body', async () => {
    const subject = `core.a.${RUN}`;
    const attrs = [`topic: core.a.${RUN}`, `queueName: "q-{{ .Name }}-${RUN}"`];
    const one = fixture('orders', attrs, 2, [`url: ${NATS_URL}`]);
    const two = fixture('orders', attrs, 2, [`url: ${NATS_URL}`]);
    const [p1, p2] = [await start(one.dir, one.seen), await start(two.dir, two.seen)];
    const bodies = Array.from({ length: 400 }, (_, i) => `m-${i}`);
    for (const body of bodies) nc.publish(subject, Buffer.from(body));
    await nc.flush();
    const all = (): string[] => [...fileLines(one.seen), ...fileLines(two.seen)];
    await until('400 handled', () => all().length >= 400);
    await new Promise((r) => setTimeout(r, 300));
    expect(all()).toHaveLength(400);
    expect(new Set(all())).toEqual(new Set(bodies));
    // Both members of the group got a share.
    expect(fileLines(one.seen).length).toBeGreaterThan(20);
    expect(fileLines(two.seen).length).toBeGreaterThan(20);
    expect(await p1.stop('SIGTERM')).toBe(0);
    expect(await p2.stop('SIGTERM')).toBe(0);
  });

  it('hands the handler subject, headers and content type, and replies when reply is on', async () => {
    const subject = `core.b.${RUN}`;
    const { dir, seen } = fixture('rpc', [`url: ${NATS_URL}`, `topic: ${subject}`, 'reply: true']);
    const echo = `exports.handler = (context, event) => JSON.stringify({ topic: event.topic, h: event.headers['x-test'],
      ct: event.contentType, offset: event.offset === undefined ? null : event.offset, shard: event.shardId === undefined ? null : 1,
      body: event.body.toString() });`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/main.js`, echo);
    const p = await start(dir, seen);
    const { headers } = await import('nats');
    const h = headers();
    h.set('x-test', 'yes');
    h.set('content-type', 'text/plain');
    const answer = await nc.request(subject, Buffer.from('hello'), { timeout: 5000, headers: h });
    expect(JSON.parse(answer.string())).toEqual({ topic: subject, h: 'yes', ct: 'text/plain', offset: null, shard: null, body: 'hello' });
    expect(await p.stop('SIGTERM')).toBe(0);
  });

  it('retries a failing message in process, then publishes the dead letter with its error to a subject', async () => {
    const [subject, dlq] = [`core.c.${RUN}`, `core.c.dlq.${RUN}`];
    const letters: Array<{ body: string; headers: Record<string, string> }> = [];
    const sub = nc.subscribe(dlq, {
      callback: (_err, msg) => {
        const headers: Record<string, string> = {};
        for (const k of msg.headers?.keys() ?? []) headers[k] = msg.headers?.get(k) ?? '';
        letters.push({ body: msg.string(), headers });
      },
    });
    await nc.flush();
    const { dir, seen } = fixture('orders', [`url: ${NATS_URL}`, `topic: ${subject}`, 'maxAttempts: 3', 'retryInitialDelayMs: 20', `deadLetter: ${dlq}`]);
    const p = await start(dir, seen);
    for (const body of ['ok-1', 'poison-1', 'ok-2']) nc.publish(subject, Buffer.from(body));
    await until('the dead letter', () => letters.length === 1);
    expect(letters[0]?.body).toBe('poison-1');
    expect(letters[0]?.headers['x-nucleon-attempts']).toBe('3');
    expect(letters[0]?.headers['x-nucleon-error']).toContain('cannot handle poison-1');
    expect(letters[0]?.headers['x-nucleon-source-trigger']).toBe('nats/orders');
    expect(letters[0]?.headers['x-nucleon-source-topic']).toBe(subject);
    expect(fileLines(seen).filter((l) => l === 'poison-1')).toHaveLength(3);
    expect(fileLines(seen).filter((l) => l.startsWith('ok-'))).toHaveLength(2);
    sub.unsubscribe();
    expect(await p.stop('SIGTERM')).toBe(0);
  });
});
