import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startExpectingFailure, triggerYaml } from '@nucleon/processor/testing';
import { NATS_URL, natsService } from './test-support.js';

/**
 * The real processor started with broken `nats` trigger configurations: each must exit with
 * the processor's start-failure code (1) in bounded time, naming the trigger and the attribute.
 * Configuration errors need no server; the JetStream start checks use the real one.
 */
const EXIT_START_FAILED = 1;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const servers: Server[] = [];

beforeAll(() => natsService('start'), 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const trigger = (name: string, attributes: string[], extra?: string[]): string => triggerYaml({ name, kind: 'nats', attributes, extra });

describe('nats trigger: bad configuration fails the start with a clear message', () => {
  it('no url and no topic: both named in one error', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['queueName: q']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.url');
    expect(output).toContain('spec.triggers.orders.attributes.topic');
    expect(output).toContain('is required (nats://');
  });

  it('a non-nats url is refused with the url shown, its password hidden', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['url: http://u:hunter2@127.0.0.1:4222', 'topic: a']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.url');
    expect(output).toContain('must be nats://host:port');
    expect(output).toContain('http://u:***@127.0.0.1:4222');
    expect(output).not.toContain('hunter2');
  });

  it('an unknown attribute (topics) is refused, naming it', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: ${NATS_URL}`, 'topics: [a]']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.topics');
    expect(output).toContain('unknown attribute');
  });

  it('bad jetStream settings: each named with its path', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: ${NATS_URL}`, 'topic: a.b',
      'jetStream: { durable: "x.y", ackWait: soon, deliverPolicy: oldest, maxAckPending: 0, acks: all }']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    for (const key of ['stream', 'durable', 'ackWait', 'deliverPolicy', 'maxAckPending', 'acks']) {
      expect(output).toContain(`spec.triggers.orders.attributes.jetStream.${key}`);
    }
    expect(output).toContain('unknown jetStream setting');
  });

  it('a queue-name template it cannot resolve is named', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: ${NATS_URL}`, 'topic: a', 'queueName: "{{ .Nope }}"']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.queueName');
    expect(output).toContain('{{ .Nope }} is not supported');
  });

  it('delivery attributes are checked with the rest: onExhausted dead-letter without deadLetter', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: ${NATS_URL}`, 'topic: a', 'onExhausted: dead-letter']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.onExhausted');
  });

  it('an unreachable server fails the start in bounded time, naming the trigger and the url', async () => {
    const port = await freePort();
    const { code, output, ms } = await startExpectingFailure(trigger('orders', [`url: nats://u:secret@127.0.0.1:${port}`, 'topic: a']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(ms).toBeLessThan(10_000);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain(`trigger orders: cannot connect to nats://u:***@127.0.0.1:${port}`);
    expect(output).not.toContain('secret');
  });

  it('a port that accepts TCP but never speaks NATS fails the start in bounded time', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => { sockets.push(s); s.on('error', () => undefined); });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: nats://127.0.0.1:${port}`, 'topic: a']), { limitMs: 8_000 });
    sockets.forEach((s) => s.destroy());
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain(`trigger orders: cannot connect to nats://127.0.0.1:${port}`);
  });

  it('JetStream: a dead-letter subject no stream captures is refused at start, naming deadLetter', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: ${NATS_URL}`, `topic: bad.dl.${RUN}`,
      `jetStream: { stream: BAD-DL-${RUN} }`, `deadLetter: nowhere.${RUN}`]));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain('trigger orders (spec.triggers.orders.attributes.deadLetter)');
    expect(output).toContain(`no JetStream stream captures the dead-letter subject nowhere.${RUN}`);
  });

  it('JetStream: a stream that does not capture the topic is refused at start, naming topic', async () => {
    const { connect } = await import('nats');
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: `OTHER-${RUN}`, subjects: [`other.${RUN}`] });
    try {
      const { code, output } = await startExpectingFailure(trigger('orders', [`url: ${NATS_URL}`, `topic: mine.${RUN}`, `jetStream: { stream: OTHER-${RUN} }`]));
      expect(code).toBe(EXIT_START_FAILED);
      expect(output).toContain('trigger orders (spec.triggers.orders.attributes.topic)');
      expect(output).toContain(`stream OTHER-${RUN} does not capture topic mine.${RUN}`);
    } finally {
      await jsm.streams.delete(`OTHER-${RUN}`).catch(() => undefined);
      await jsm.streams.delete(`BAD-DL-${RUN}`).catch(() => undefined);
      await nc.close();
    }
  });
});
