import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startExpectingFailure, triggerYaml } from '@nucleon/processor/testing';

/**
 * The real processor started with broken `mqtt` trigger configurations: each must exit with
 * the start-failure code (1) in bounded time, naming the trigger and the attribute. None needs
 * a broker: configuration errors come before any connection, and the unreachable cases use a
 * free loopback port or a TCP server that never answers.
 */
const EXIT_START_FAILED = 1;
const servers: Server[] = [];
const SUB = ['subscriptions:', '  - {topic: a/b, qos: 1}'];

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const trigger = (name: string, attributes: string[], extra?: string[]): string => triggerYaml({ name, kind: 'mqtt', attributes, extra });
const failedStart = (yaml: string): ReturnType<typeof startExpectingFailure> => startExpectingFailure(yaml, { limitMs: 20_000 });

describe('mqtt trigger: bad configuration fails the start with a clear message', () => {
  it('no url names the trigger and url', async () => {
    const { code, output } = await failedStart(trigger('sensors', SUB));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger sensors');
    expect(output).toContain('spec.triggers.sensors.attributes.url');
    expect(output).toContain('is required (tcp://host:1883');
  });

  it('no subscriptions names the attribute', async () => {
    const { code, output } = await failedStart(trigger('sensors', ['clientID: x'], ['url: tcp://127.0.0.1:1883']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('spec.triggers.sensors.attributes.subscriptions');
    expect(output).toContain('is required: a list of {topic, qos}');
  });

  it('a bad qos names the subscription and its qos', async () => {
    const { code, output } = await failedStart(trigger('sensors', ['subscriptions:', '  - {topic: a/b, qos: 1}', '  - {topic: c/#, qos: 3}'],
      ['url: tcp://127.0.0.1:1883']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.sensors.attributes.subscriptions[1].qos');
    expect(output).toContain('must be 0, 1 or 2, got 3');
  });

  it('an unknown attribute (subscription) is refused, naming it and listing the known ones', async () => {
    const { code, output } = await failedStart(trigger('sensors', ['subscription: [{topic: a, qos: 1}]'], ['url: tcp://127.0.0.1:1883']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('spec.triggers.sensors.attributes.subscription');
    expect(output).toContain('unknown attribute');
    expect(output).toContain('subscriptions');
  });

  it('every problem at once: url scheme, topic filter, delivery attributes', async () => {
    const { code, output } = await failedStart(trigger('sensors', ['url: http://u:hunter2@127.0.0.1:1883', 'subscriptions:', '  - {topic: "a/#/b", qos: 1}',
      'onExhausted: dead-letter']));
    expect(code).toBe(EXIT_START_FAILED);
    for (const attr of ['url', 'subscriptions[0].topic', 'onExhausted']) expect(output).toContain(`spec.triggers.sensors.attributes.${attr}`);
    expect(output).toContain('http://u:***@127.0.0.1:1883');
    expect(output).not.toContain('hunter2');
  });

  it('an unreachable broker fails the start in bounded time, naming the trigger and the url', async () => {
    const port = await freePort();
    const { code, output, ms } = await failedStart(trigger('sensors', [`url: mqtt://u:secret@127.0.0.1:${port}`, ...SUB]));
    expect(code).toBe(EXIT_START_FAILED);
    expect(ms).toBeLessThan(10_000);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain(`trigger sensors: cannot connect to mqtt://u:***@127.0.0.1:${port}`);
    expect(output).toContain('ECONNREFUSED');
    expect(output).not.toContain('secret');
  });

  it('a port that accepts TCP but never speaks MQTT fails the start in bounded time', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => { sockets.push(s); s.on('error', () => undefined); });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { code, output, ms } = await failedStart(trigger('sensors', SUB, [`url: tcp://127.0.0.1:${port}`]));
    sockets.forEach((s) => s.destroy());
    expect(code).toBe(EXIT_START_FAILED);
    expect(ms).toBeLessThan(15_000);
    expect(output).toContain(`trigger sensors: cannot connect to tcp://127.0.0.1:${port}`);
  });
});
