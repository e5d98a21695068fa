import type { Event } from '../event.js';

let counter = 0;

/** An Event with sensible defaults; pass what the test cares about. */
export function createTestEvent(overrides: Partial<Omit<Event, 'body'>> & { body?: Buffer | string | object } = {}): Event {
  const { body, ...rest } = overrides;
  const bytes = body === undefined ? Buffer.alloc(0)
    : Buffer.isBuffer(body) ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  counter += 1;
  return {
    id: `test-${counter}`,
    body: bytes,
    contentType: typeof body === 'object' && !Buffer.isBuffer(body) ? 'application/json' : 'text/plain',
    headers: {},
    fields: {},
    method: 'POST',
    path: '/',
    url: '/',
    timestamp: new Date(),
    trigger: { kind: 'test', name: 'test' },
    ...rest,
  };
}
