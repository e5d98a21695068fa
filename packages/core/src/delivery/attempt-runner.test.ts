import { describe, expect, it } from 'vitest';
import type { Event } from '../event.js';
import type { EventCallback } from '../plugin.js';
import { Response } from '../response.js';
import { createTestEvent } from '../testing/test-event.js';
import { AttemptRunner, dispatcherOf } from './attempt-runner.js';

describe('AttemptRunner', () => {
  it('answers without a promise when the handler answered synchronously', () => {
    const runner = new AttemptRunner((_event, done) => done(undefined, new Response('sync')));
    expect(runner.run(createTestEvent())).toBeUndefined();
    expect(runner.response?.body).toBe('sync');
    expect(runner.error).toBeUndefined();
  });

  it('returns a promise when the answer comes later, and holds errors', async () => {
    let answer: EventCallback | undefined;
    const runner = new AttemptRunner((_event, done) => { answer = done; });
    const pending = runner.run(createTestEvent());
    expect(pending).toBeInstanceOf(Promise);
    answer!(new Error('boom'));
    await pending;
    expect(runner.error?.message).toBe('boom');
    expect(runner.run(createTestEvent())).toBeInstanceOf(Promise); // a fresh run forgets the last answer
    expect(runner.error).toBeUndefined();
  });

  it('falls back to submit for a submitter without dispatch', async () => {
    const runner = new AttemptRunner(dispatcherOf({ submit: async (event: Event) => new Response(event.id) }));
    const event = createTestEvent();
    await runner.run(event);
    expect(runner.response?.body).toBe(event.id);
  });
});
