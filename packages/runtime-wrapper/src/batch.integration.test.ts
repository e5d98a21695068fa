import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@nucleon/core';
import { createTestEvent } from '@nucleon/core/testing';
import { checkNothingLeftBehind, echoRuntime, failure, run } from './integration-harness.js';

// A wrapper that does not say "batching": true in HELLO (the echo wrapper, like Go's and .NET's)
// never gets an EVENT_BATCH: the processor refuses the batch itself, and the wrapper serves on.

checkNothingLeftBehind();

describe('a batch for a wrapper without batching', () => {
  it('is refused with a coded error naming the runtime, and single events still run', async () => {
    const h = await echoRuntime();
    const w = await h.worker();
    const events = [createTestEvent({ path: '/a' }), createTestEvent({ path: '/b' })];
    const carrier = createTestEvent({ batch: { events, respond: () => true } });
    const err = await failure(w.worker.handle(carrier, w.context) as Promise<unknown>);
    expect(err).toMatchObject({ code: ErrorCodes.INVALID_CONFIG });
    expect(err.message).toContain('wrapper does not support batching');
    expect((await run(h, w, '/after')).statusCode).toBe(200);
  });
});
