import { describe, expect, it } from 'vitest';
import { createError, ErrorCodes } from '../errors.js';
import { Response } from '../response.js';
import { createTestEvent } from '../testing/test-event.js';
import type { DeliveryOptions } from './attributes.js';
import type { DeadLetter } from './dead-letter.js';
import { createDeliveryPolicy, type DeliveryAttempt, type DeliveryHooks } from './policy.js';

const base: DeliveryOptions = {
  maxAttempts: 3, retryInitialDelayMs: 100, retryMaxDelayMs: 10_000, retryMultiplier: 2,
  onExhausted: 'drop', explicitAckMode: 'disable',
};

type Step = 'ok' | Error | ((attempt: DeliveryAttempt) => Promise<Response>);

/** A fake trigger: records acks, dead letters and sleeps; `steps` says what each submit does. */
function fakeTrigger(steps: Step[], options: { deadLetterFails?: boolean } = {}) {
  const state = { acks: 0, submits: 0, sleeps: [] as number[], letters: [] as DeadLetter[] };
  const hooks: DeliveryHooks = {
    submit: async (attempt) => {
      const step = steps[Math.min(state.submits, steps.length - 1)];
      state.submits += 1;
      if (step === 'ok') return new Response('done');
      if (step instanceof Error) throw step;
      return step!(attempt);
    },
    ack: async () => { state.acks += 1; },
    deadLetter: async (letter) => {
      if (options.deadLetterFails) throw new Error('broker unreachable');
      state.letters.push(letter);
    },
    sleep: async (ms) => { state.sleeps.push(ms); },
  };
  return { state, hooks };
}

const handlerFailed = (message = 'boom') =>
  createError(ErrorCodes.HANDLER_FAILED, `handler failed: ${message}`, { cause: new Error(message) });

describe('DeliveryPolicy', () => {
  it('acks a successful record exactly once, after the handler ran', async () => {
    const { state, hooks } = fakeTrigger(['ok']);
    const outcome = await createDeliveryPolicy(base).deliver(createTestEvent(), hooks);
    expect(outcome).toMatchObject({ status: 'acked', attempts: 1, acked: true });
    expect(outcome.response?.body).toBe('done');
    expect(state).toMatchObject({ acks: 1, submits: 1, sleeps: [] });
  });

  it('retries a failing handler maxAttempts-1 times with capped exponential delays, then succeeds', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 6, retryInitialDelayMs: 100, retryMaxDelayMs: 500 });
    const f = handlerFailed();
    const { state, hooks } = fakeTrigger([f, f, f, f, f, 'ok']);
    const outcome = await policy.deliver(createTestEvent(), hooks);
    expect(outcome).toMatchObject({ status: 'acked', attempts: 6, acked: true });
    expect(state.sleeps).toEqual([100, 200, 400, 500, 500]);
    expect(state.acks).toBe(1);
  });

  it('dead-letters an exhausted record with its payload, headers, error and attempts, then acks', async () => {
    let clock = 0;
    const policy = createDeliveryPolicy({
      ...base, onExhausted: 'dead-letter', deadLetter: 'orders-dlq', now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, clock++)),
    });
    const order: string[] = [];
    const { state, hooks } = fakeTrigger([handlerFailed('bad order 7')]);
    const ack = hooks.ack;
    hooks.ack = async () => { order.push('ack'); await ack(); };
    const deadLetter = hooks.deadLetter!;
    hooks.deadLetter = async (l) => { order.push('dead-letter'); await deadLetter(l); };
    const event = createTestEvent({
      body: Buffer.from([0, 1, 2, 255]), headers: { 'x-tenant': 'acme' }, topic: 'orders', shardId: 3, offset: '42',
    });
    const outcome = await policy.deliver(event, hooks);
    expect(outcome).toMatchObject({ status: 'dead-lettered', attempts: 3, acked: true });
    expect(state.submits).toBe(3);
    expect(state.sleeps).toEqual([100, 200]);
    expect(order).toEqual(['dead-letter', 'ack']);
    const [letter] = state.letters;
    expect(letter).toMatchObject({
      target: 'orders-dlq', headers: { 'x-tenant': 'acme' }, attempts: 3,
      error: { code: ErrorCodes.HANDLER_FAILED, message: 'handler failed: bad order 7' },
      source: { topic: 'orders', shardId: 3, offset: '42', eventId: event.id, trigger: event.trigger },
      firstFailedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, 0)),
    });
    expect(letter!.body.equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
    expect(letter!.lastFailedAt.getTime()).toBeGreaterThan(letter!.firstFailedAt.getTime());
  });

  it('does not ack when the dead letter cannot be published', async () => {
    const policy = createDeliveryPolicy({ ...base, onExhausted: 'dead-letter', deadLetter: 'dlq' });
    const { state, hooks } = fakeTrigger([handlerFailed()], { deadLetterFails: true });
    const outcome = await policy.deliver(createTestEvent(), hooks);
    expect(outcome).toMatchObject({ status: 'failed', attempts: 3, acked: false });
    expect((outcome.error as Error).message).toBe('broker unreachable');
    expect(state.acks).toBe(0);
  });

  it('does not ack when the trigger gave no dead-letter hook', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 1, onExhausted: 'dead-letter', deadLetter: 'dlq' });
    const { state, hooks } = fakeTrigger([handlerFailed()]);
    delete hooks.deadLetter;
    expect(await policy.deliver(createTestEvent(), hooks)).toMatchObject({ status: 'failed', acked: false });
    expect(state.acks).toBe(0);
  });

  it('drops (acks) an exhausted record without a dead letter, or keeps it unacked with onExhausted: stop', async () => {
    const drop = fakeTrigger([handlerFailed()]);
    expect(await createDeliveryPolicy(base).deliver(createTestEvent(), drop.hooks))
      .toMatchObject({ status: 'dropped', attempts: 3, acked: true });
    expect(drop.state.acks).toBe(1);

    const stop = fakeTrigger([handlerFailed()]);
    expect(await createDeliveryPolicy({ ...base, onExhausted: 'stop' }).deliver(createTestEvent(), stop.hooks))
      .toMatchObject({ status: 'failed', attempts: 3, acked: false });
    expect(stop.state.acks).toBe(0);
  });

  it('gives a record back unacked on SHUTTING_DOWN without counting an attempt', async () => {
    const { state, hooks } = fakeTrigger([handlerFailed(), createError(ErrorCodes.SHUTTING_DOWN, 'draining')]);
    const outcome = await createDeliveryPolicy(base).deliver(createTestEvent(), hooks);
    expect(outcome).toMatchObject({ status: 'not-acked', attempts: 1, acked: false });
    expect(state.acks).toBe(0);
    expect(state.letters).toEqual([]);
  });

  it('waits out NO_WORKER_AVAILABLE without using attempts, and gives up unacked past maxBusyRetries', async () => {
    const busy = createError(ErrorCodes.NO_WORKER_AVAILABLE, 'no worker');
    const ok = fakeTrigger([busy, busy, busy, busy, 'ok']);
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 1 });
    expect(await policy.deliver(createTestEvent(), ok.hooks)).toMatchObject({ status: 'acked', attempts: 1 });
    expect(ok.state.sleeps).toEqual([100, 200, 400, 800]);

    const stuck = fakeTrigger([busy]);
    const outcome = await createDeliveryPolicy({ ...base, maxBusyRetries: 5 }).deliver(createTestEvent(), stuck.hooks);
    expect(outcome).toMatchObject({ status: 'not-acked', attempts: 0, acked: false });
    expect(stuck.state.submits).toBe(6);
    expect(stuck.state.acks).toBe(0);
  });

  it('stops retrying once the trigger aborts, leaving the record unacked', async () => {
    const controller = new AbortController();
    const { state, hooks } = fakeTrigger([handlerFailed()]);
    hooks.signal = controller.signal;
    hooks.sleep = async () => { controller.abort(); };
    const outcome = await createDeliveryPolicy(base).deliver(createTestEvent(), hooks);
    expect(outcome).toMatchObject({ status: 'not-acked', attempts: 1, acked: false });
    expect(state).toMatchObject({ submits: 1, acks: 0 });
  });

  it('never acks on its own in explicitOnly mode', async () => {
    const policy = createDeliveryPolicy({ ...base, explicitAckMode: 'explicitOnly', onExhausted: 'dead-letter', deadLetter: 'dlq' });
    const ok = fakeTrigger(['ok']);
    expect(await policy.deliver(createTestEvent(), ok.hooks)).toMatchObject({ status: 'handled', acked: false });
    const failing = fakeTrigger([handlerFailed()]);
    expect(await policy.deliver(createTestEvent(), failing.hooks)).toMatchObject({ status: 'dead-lettered', acked: false });
    expect(failing.state.letters).toHaveLength(1);
    expect(ok.state.acks + failing.state.acks).toBe(0);
  });

  it.each(['enable', 'explicitOnly'] as const)('acks exactly once when the handler acks explicitly (%s)', async (mode) => {
    const policy = createDeliveryPolicy({ ...base, explicitAckMode: mode });
    const { state, hooks } = fakeTrigger([async ({ ack }) => {
      await ack();
      await ack();
      return new Response('done');
    }]);
    expect(await policy.deliver(createTestEvent(), hooks)).toMatchObject({ status: 'acked', acked: true });
    expect(state.acks).toBe(1);
  });

  it.each(['enable', 'explicitOnly'] as const)('hands the handler the ack on the event it runs (%s)', async (mode) => {
    const policy = createDeliveryPolicy({ ...base, explicitAckMode: mode });
    const original = createTestEvent();
    const { state, hooks } = fakeTrigger([async ({ event }) => {
      expect(event.id).toBe(original.id);
      await event.ack?.();
      return new Response('done');
    }]);
    expect(await policy.deliver(original, hooks)).toMatchObject({ status: 'acked', acked: true });
    expect(state.acks).toBe(1);
  });

  it('attaches no ack to the event in disable mode', async () => {
    let seen: DeliveryAttempt['event'] | undefined;
    const { hooks } = fakeTrigger([async ({ event }) => { seen = event; return new Response('done'); }]);
    await createDeliveryPolicy(base).deliver(createTestEvent(), hooks);
    expect(seen?.ack).toBeUndefined();
  });

  it.each(['enable', 'explicitOnly'] as const)('stops after a handler acks and then fails (%s): no retry, no dead letter', async (mode) => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 3, explicitAckMode: mode, onExhausted: 'dead-letter', deadLetter: 'dlq' });
    const { state, hooks } = fakeTrigger([async ({ ack }) => {
      await ack();
      throw handlerFailed();
    }]);
    expect(await policy.deliver(createTestEvent(), hooks)).toMatchObject({ status: 'acked', attempts: 1, acked: true, error: expect.any(Error) });
    expect(state).toMatchObject({ acks: 1, submits: 1, letters: [] });
  });

  it('deliverAfterFailure counts the trigger\'s own failed attempt, then retries and dead-letters as deliver does', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 3, retryInitialDelayMs: 100, onExhausted: 'dead-letter', deadLetter: 'dlq' });
    const { state, hooks } = fakeTrigger([handlerFailed('again')]);
    const outcome = await policy.deliverAfterFailure(createTestEvent(), hooks, handlerFailed('first'));
    expect(outcome).toMatchObject({ status: 'dead-lettered', attempts: 3, acked: true });
    expect(state).toMatchObject({ submits: 2, acks: 1, sleeps: [100, 200] });
    expect(state.letters[0]?.attempts).toBe(3);
  });

  it('deliverAfterFailure with maxAttempts 1 dead-letters without running the handler again', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 1, onExhausted: 'dead-letter', deadLetter: 'dlq' });
    const { state, hooks } = fakeTrigger(['ok']);
    expect(await policy.deliverAfterFailure(createTestEvent(), hooks, handlerFailed())).toMatchObject({ status: 'dead-lettered', attempts: 1 });
    expect(state).toMatchObject({ submits: 0, acks: 1, sleeps: [] });
  });

  it('deliverAfterFailure treats a busy pool as back-pressure, not as an attempt', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 2 });
    const { state, hooks } = fakeTrigger(['ok']);
    const busy = createError(ErrorCodes.NO_WORKER_AVAILABLE, 'busy');
    expect(await policy.deliverAfterFailure(createTestEvent(), hooks, busy)).toMatchObject({ status: 'acked', attempts: 1 });
    expect(state).toMatchObject({ submits: 1, acks: 1, sleeps: [] });
  });

  it('ends a retry backoff as soon as the trigger aborts, and gives the record back unacked', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 3, retryInitialDelayMs: 60_000, retryMaxDelayMs: 60_000 });
    const { state, hooks } = fakeTrigger([handlerFailed()]);
    delete hooks.sleep; // the policy's own wait
    const abort = new AbortController();
    hooks.signal = abort.signal;
    setTimeout(() => abort.abort(), 20);
    const started = Date.now();
    expect(await policy.deliver(createTestEvent(), hooks)).toMatchObject({ status: 'not-acked', attempts: 1, acked: false });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(state.acks).toBe(0);
  });

  it('ignores a handler ack in disable mode, so a later failure is still retried and not acked early', async () => {
    const policy = createDeliveryPolicy({ ...base, maxAttempts: 2, onExhausted: 'stop' });
    const { state, hooks } = fakeTrigger([async ({ ack }) => {
      await ack();
      throw handlerFailed();
    }]);
    expect(await policy.deliver(createTestEvent(), hooks)).toMatchObject({ status: 'failed', attempts: 2, acked: false });
    expect(state.acks).toBe(0);
  });

  it('reports a failed ack as failed, not acked', async () => {
    const { hooks } = fakeTrigger(['ok']);
    hooks.ack = async () => { throw new Error('commit refused'); };
    expect(await createDeliveryPolicy(base).deliver(createTestEvent(), hooks)).toMatchObject({ status: 'failed', acked: false });
  });
});
