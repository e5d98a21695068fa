import { describe, expect, it } from 'vitest';
import { createDeliveryPolicy, Response, type Context, type ExplicitAckMode } from '@nucleon/core';
import { createTestEvent, noopLogger, noPlatform } from '@nucleon/core/testing';
import type { HandlerFunction } from './handler-module.js';
import { NodeWorker } from './node-worker.js';

// The policy hands triggers the event with `ack` attached; the worker pool passes that very
// object to NodeWorker.handle, so these tests run the real policy around a real worker.

function newContext(): Context {
  return { logger: noopLogger, userData: {}, Response, callback() {}, workerId: 0, functionName: 'fn', triggerName: 'orders', platform: noPlatform };
}

async function deliver(mode: ExplicitAckMode, handler: HandlerFunction, body = '') {
  const context = newContext();
  const worker = new NodeWorker(handler, context);
  const policy = createDeliveryPolicy({
    maxAttempts: 2, retryInitialDelayMs: 0, retryMaxDelayMs: 0, retryMultiplier: 1, onExhausted: 'drop', explicitAckMode: mode,
  });
  let acks = 0;
  let attempts = 0;
  const outcome = await policy.deliver(createTestEvent({ body, topic: 'orders', offset: '7' }), {
    submit: async ({ event }) => { attempts += 1; return (await worker.handle(event, context)) as Response; },
    ack: async () => { acks += 1; },
  });
  return { outcome, acks, attempts };
}

/** Acks only bodies that say so, as a handler in explicitOnly mode would. */
const ackIfAsked: HandlerFunction = async (_context, event) => {
  if (event.body.toString() === 'ack') await event.ack?.();
  return 'done';
};

describe('explicit ack from a Node handler', () => {
  it('explicitOnly: await event.ack() acknowledges the record; without it the record stays unacked', async () => {
    expect(await deliver('explicitOnly', ackIfAsked, 'ack')).toMatchObject({ outcome: { status: 'acked' }, acks: 1 });
    expect(await deliver('explicitOnly', ackIfAsked, 'skip')).toMatchObject({ outcome: { status: 'handled', acked: false }, acks: 0 });
  });

  it('enable: an early ack then a throw reaches the source once and is not retried', async () => {
    const result = await deliver('enable', async (_context, event) => {
      await event.ack!();
      throw new Error('side work failed');
    });
    expect(result.acks).toBe(1);
    expect(result.outcome).toMatchObject({ status: 'acked', acked: true });
    expect(result.attempts).toBe(1);
  });

  it('disable: the handler sees no ack, and the policy acks after success', async () => {
    let seen: unknown = 'not run';
    const result = await deliver('disable', (_context, event) => { seen = event.ack; return 'ok'; });
    expect(seen).toBeUndefined();
    expect(result).toMatchObject({ outcome: { status: 'acked' }, acks: 1 });
  });

  it('works with the callback style too: ack, then context.callback', async () => {
    const result = await deliver('explicitOnly', (context, event) => {
      void event.ack!().then(() => context.callback('done'));
    });
    expect(result).toMatchObject({ outcome: { status: 'acked' }, acks: 1 });
  });
});
