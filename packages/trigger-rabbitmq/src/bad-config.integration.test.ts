import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startExpectingFailure, triggerYaml } from '@nucleon/processor/testing';

/**
 * The real processor started with broken `rabbit-mq` trigger configurations: each must exit
 * with the processor's start-failure code (1, see packages/processor/src/main.ts) in bounded
 * time, and say which trigger and which attribute is wrong. None of these needs a broker: a
 * configuration error is caught before any connection, and the unreachable case uses a free
 * loopback port with nothing listening.
 */
const EXIT_START_FAILED = 1;
const servers: Server[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const trigger = (name: string, attributes: string[], extra?: string[]): string => triggerYaml({ name, kind: 'rabbit-mq', attributes, extra });

describe('rabbit-mq trigger: bad configuration fails the start with a clear message', () => {
  it('no url at all (neither attribute nor trigger-level) names the trigger and url', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['queueName: q-no-url']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.url');
    expect(output).toMatch(/is required \(amqp:\/\//);
  });

  it('an empty url attribute is refused like a missing one', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['url: ""', 'queueName: q-empty-url']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.url');
    expect(output).toContain('is required');
  });

  it('an unknown attribute (queueNmae) is refused, naming it and listing the known ones', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['url: amqp://guest:guest@127.0.0.1:5672', 'queueNmae: q']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.queueNmae');
    expect(output).toContain('unknown attribute');
    expect(output).toContain('queueName');
  });

  it('a non-amqp url is refused with the url shown, its password hidden', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['url: http://guest:hunter2@127.0.0.1:5672', 'queueName: q']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.url');
    expect(output).toContain('must be an amqp:// or amqps:// URL');
    expect(output).toContain('http://guest:***@127.0.0.1:5672');
    expect(output).not.toContain('hunter2');
  });

  it('a non-amqp trigger-level url is refused too', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['queueName: q'], ['url: 127.0.0.1:5672']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.url');
    expect(output).toContain('must be an amqp:// or amqps:// URL');
  });

  it('an unreachable broker fails the start in bounded time, naming the trigger and the url', async () => {
    const port = await freePort();
    const { code, output, ms } = await startExpectingFailure(trigger('orders', [`url: amqp://guest:secret@127.0.0.1:${port}`, 'queueName: q']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(ms).toBeLessThan(10_000);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain(`trigger orders: cannot connect to amqp://guest:***@127.0.0.1:${port}`);
    expect(output).toContain('ECONNREFUSED');
    expect(output).not.toContain('secret');
  });

  // amqplib has no connect timeout unless given one: the trigger bounds connect + handshake.
  it('a port that accepts TCP but never speaks AMQP fails the start in bounded time', async () => {
    const sockets: Socket[] = [];
    const server = createServer((s) => { sockets.push(s); s.on('error', () => undefined); });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const { code, output } = await startExpectingFailure(trigger('orders', [`url: amqp://127.0.0.1:${port}`, 'queueName: q']), { limitMs: 5_000 });
    sockets.forEach((s) => s.destroy());
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain(`trigger orders: cannot connect to amqp://127.0.0.1:${port}`);
  });

  it('onExhausted: dead-letter without deadLetter names both attributes', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['url: amqp://127.0.0.1:5672', 'queueName: q', 'onExhausted: dead-letter']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.onExhausted');
    expect(output).toContain('is dead-letter but no deadLetter target is set');
  });

  it('retryMaxDelayMs below retryInitialDelayMs names the attribute and both values', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['url: amqp://127.0.0.1:5672', 'queueName: q',
      'retryInitialDelayMs: 5000', 'retryMaxDelayMs: 100']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.retryMaxDelayMs');
    expect(output).toContain('must be >= retryInitialDelayMs (5000), got 100');
  });

  it('every problem of one trigger is reported at once: the url and the delivery attributes', async () => {
    const { code, output } = await startExpectingFailure(trigger('orders', ['queueName: q', 'onExhausted: dead-letter',
      'retryInitialDelayMs: 5000', 'retryMaxDelayMs: 100']));
    expect(code).toBe(EXIT_START_FAILED);
    for (const attr of ['url', 'onExhausted', 'retryMaxDelayMs']) expect(output).toContain(`spec.triggers.orders.attributes.${attr}`);
  });
});
