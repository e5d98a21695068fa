// A TypeScript handler: runs as is (Node's built-in type stripping), no build step.
import type { Context, Event } from '@nucleon/core';

interface Greeting {
  greeting: string;
  bytes: number;
}

export function handler(context: Context, event: Event): Greeting {
  const name = event.body.length > 0 ? event.body.toString() : 'world';
  context.logger.info(`greeting ${name}`);
  return { greeting: `Hello, ${name}!`, bytes: event.body.length };
}
