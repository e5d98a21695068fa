import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startExpectingFailure, triggerYaml, type StartedProcessor } from '@nucleon/processor/testing';
import { START_TIMEOUT_MS } from './pubsub-trigger.js';
import { EMULATOR, pubsubTrigger, startFake } from './test-support.js';

/**
 * The real processor started with broken `pubsub` trigger configurations: each must exit with
 * the start-failure code (1) in bounded time, naming the trigger and the attribute. Only the
 * missing-topic case needs the fake; the unreachable case uses a free port with nothing on it.
 */
const EXIT_START_FAILED = 1;
const running: StartedProcessor[] = [];

afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
});

/** No ambient emulator or credentials: only what each trigger configures counts. */
const failedStart = (yaml: string): ReturnType<typeof startExpectingFailure> => startExpectingFailure(yaml, {
  limitMs: 25_000, env: { PUBSUB_EMULATOR_HOST: '', GOOGLE_APPLICATION_CREDENTIALS: '' }, onStart: (p) => running.push(p),
});

const EMU = [`emulatorHost: ${EMULATOR}`];

describe('pubsub trigger: bad configuration fails the start with a clear message', () => {
  it('no projectID and no subscriptions: both named in one error', async () => {
    const { code, output } = await failedStart(triggerYaml({ name: 'orders', kind: 'pubsub', attributes: [`emulatorHost: ${EMULATOR}`] }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.projectID');
    expect(output).toContain('spec.triggers.orders.attributes.subscriptions');
    expect(output).toContain('non-empty list');
  });

  it('an unknown trigger attribute (projectId) is refused, naming it', async () => {
    const { code, output } = await failedStart(pubsubTrigger('orders', { attributes: ['projectId: p', ...EMU], subscriptions: [{ topic: 'abc' }] }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.projectId');
    expect(output).toContain('unknown attribute');
  });

  it('an unknown key in a subscription (maxWorkers) is refused, naming the entry and the key', async () => {
    const { code, output } = await failedStart(pubsubTrigger('orders', { attributes: ['projectID: p1', ...EMU], subscriptions: [{ topic: 'abc', maxWorkers: 2 }] }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.subscriptions[0].maxWorkers');
    expect(output).toContain('unknown attribute');
    expect(output).toContain('maxNumWorkers');
  });

  it('a bad ackDeadline (trigger level and per subscription) names the attribute and the value', async () => {
    const { code, output } = await failedStart(pubsubTrigger('orders', {
      attributes: ['projectID: p1', 'ackDeadline: soon', ...EMU], subscriptions: [{ topic: 'abc', ackDeadline: '20m' }],
    }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('spec.triggers.orders.attributes.ackDeadline: must be a duration from 1s to 600s (like "10s"), got "soon"');
    expect(output).toContain('spec.triggers.orders.attributes.subscriptions[0].ackDeadline: must be a duration from 1s to 600s (like "10s"), got "20m"');
  });

  it('a subscription without topic and no credentials at all are named', async () => {
    const { code, output } = await failedStart(pubsubTrigger('orders', { attributes: ['projectID: p1'], subscriptions: [{ shared: true }] }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.subscriptions[0].topic: is required');
    expect(output).toContain('spec.triggers.orders.attributes.credentials: no credentials');
  });

  it('an unreachable emulator fails the start in bounded time, naming the trigger and the endpoint', async () => {
    const port = await freePort();
    const { code, output, ms } = await failedStart(pubsubTrigger('orders', {
      attributes: ['projectID: p1', `emulatorHost: 127.0.0.1:${port}`], subscriptions: [{ topic: 'abc', shared: true }],
    }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(ms).toBeLessThan(START_TIMEOUT_MS + 8_000);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain(`trigger orders: cannot start consuming from Pub/Sub at 127.0.0.1:${port} (emulator), project p1`);
  }, 40_000);

  it('a topic that does not exist fails the start, naming it', async () => {
    startFake();
    const { code, output } = await failedStart(pubsubTrigger('orders', {
      attributes: ['projectID: p1', ...EMU], subscriptions: [{ topic: `missing-${process.pid}`, shared: true }],
    }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('trigger orders: cannot start consuming');
    expect(output).toContain(`topic missing-${process.pid} does not exist`);
  }, 200_000);

  it('onExhausted: dead-letter without deadLetter names the attribute', async () => {
    const { code, output } = await failedStart(pubsubTrigger('orders', {
      attributes: ['projectID: p1', 'onExhausted: dead-letter', ...EMU], subscriptions: [{ topic: 'abc' }],
    }));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.onExhausted');
  });
});
