import { afterEach, describe, expect, it } from 'vitest';
import {
  createError, ErrorCodes, Response, validateAttributes, validateFunctionConfig, type Event, type EventSubmitter,
} from '@nucleon/core';
import { noopLogger } from '@nucleon/core/testing';
import { createHttpTrigger, httpAttributes, type HttpTrigger } from './index.js';

const triggers: HttpTrigger[] = [];
afterEach(async () => {
  await Promise.all(triggers.splice(0).map((t) => t.stop(100)));
});

/** A Python function whose HTTP trigger batches, as validation leaves it. */
function batchedFunction(batchSize: number, timeout: string) {
  return validateFunctionConfig({
    metadata: { name: 'fn' },
    spec: { runtime: 'python', handler: 'main:handler', triggers: { web: { kind: 'http', batch: { mode: 'enable', batchSize, timeout } } } },
  }).config;
}

async function start(submitter: EventSubmitter, batchSize = 3, timeout = '50ms'): Promise<string> {
  const fn = batchedFunction(batchSize, timeout);
  const { attributes } = validateAttributes('spec.triggers.web', '@nucleon/trigger-http', httpAttributes, { port: 0, host: '127.0.0.1' });
  const trigger = createHttpTrigger({
    name: 'web', function: fn, submitter, logger: noopLogger, config: { ...fn.spec.triggers.web!, attributes },
  });
  await trigger.start();
  triggers.push(trigger);
  return `http://127.0.0.1:${trigger.address()?.port}`;
}

/** A runtime stand-in: answers each event of a batch with its body, except those `skip` names; records batch sizes. */
function batchRuntime(skip: (event: Event) => boolean = () => false) {
  const sizes: number[] = [];
  const submitter: EventSubmitter = {
    submit: async (carrier) => {
      const batch = carrier.batch!;
      sizes.push(batch.events.length);
      for (const event of batch.events) {
        if (!skip(event)) batch.respond(event.id, new Response(`echo ${event.body.toString()}`, { 'x-id': event.id }, 'text/plain', 200));
      }
      return new Response('', {}, 'text/plain', 200);
    },
  };
  return { sizes, submitter };
}

const post = (base: string, body: string) => fetch(base, { method: 'POST', body }).then(async (r) => ({ status: r.status, text: await r.text(), id: r.headers.get('x-id') }));

describe('HTTP trigger: batching', () => {
  it('groups concurrent requests up to batchSize and answers each with its own response', async () => {
    const { sizes, submitter } = batchRuntime();
    const base = await start(submitter, 3, '1s');
    const replies = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((b) => post(base, b)));
    expect(replies.map((r) => `${r.status} ${r.text}`)).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((b) => `200 echo ${b}`));
    expect(new Set(replies.map((r) => r.id)).size).toBe(6);
    expect(sizes).toEqual([3, 3]);
  });

  it('sends a partial batch once the timeout passes after its first request', async () => {
    const { sizes, submitter } = batchRuntime();
    const base = await start(submitter, 10, '80ms');
    const began = performance.now();
    const replies = await Promise.all(['x', 'y'].map((b) => post(base, b)));
    expect(performance.now() - began).toBeGreaterThanOrEqual(75);
    expect(replies.map((r) => r.text)).toEqual(['echo x', 'echo y']);
    expect(sizes).toEqual([2]);
  });

  it('answers a request the handler gave no response with a coded 500 that says so, the others normally', async () => {
    const { submitter } = batchRuntime((event) => event.body.toString() === 'b');
    const base = await start(submitter, 3);
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((x) => post(base, x)));
    expect([a?.status, c?.status]).toEqual([200, 200]);
    expect(b?.status).toBe(500);
    expect(JSON.parse(b!.text)).toMatchObject({
      code: ErrorCodes.BATCH_RESPONSE_MISSING, error: expect.stringContaining('no response for this event'), eventId: expect.any(String),
    });
  });

  it('fails every request of a batch whose handling failed, with that error', async () => {
    const base = await start({ submit: async () => { throw createError(ErrorCodes.EVENT_TIMEOUT, 'slow batch'); } }, 2);
    const replies = await Promise.all(['a', 'b'].map((x) => post(base, x)));
    expect(replies.map((r) => r.status)).toEqual([504, 504]);
  });

  it('sends an invalid response as that request\'s 500 only', async () => {
    const submitter: EventSubmitter = {
      submit: async (carrier) => {
        const [first, second] = carrier.batch!.events;
        carrier.batch!.respond(first!.id, new Response('fine', {}, 'text/plain', 200));
        carrier.batch!.respond(second!.id, new Response('bad', {}, 'text/plain', 1000));
        return new Response('', {}, 'text/plain', 200);
      },
    };
    const base = await start(submitter, 2);
    const replies = await Promise.all(['a', 'b'].map((x) => post(base, x)));
    expect(replies.map((r) => r.status)).toEqual([200, 500]);
    expect(JSON.parse(replies[1]!.text).code).toBe(ErrorCodes.INVALID_RESPONSE);
  });

  it('sends what it gathered at once when the trigger stops, instead of waiting out the timeout', async () => {
    const { sizes, submitter } = batchRuntime();
    const base = await start(submitter, 10, '10s');
    const reply = post(base, 'last');
    await new Promise((r) => setTimeout(r, 50));
    const began = performance.now();
    await triggers[0]!.stop(2000);
    expect((await reply).text).toBe('echo last');
    expect(performance.now() - began).toBeLessThan(1000);
    expect(sizes).toEqual([1]);
  });
});
