import type { Context, Event, RuntimeWorker } from '@nucleon/core';
import type { HandlerFunction } from './handler-module.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * One worker running the handler in process. Supports both result styles Nuclio handlers
 * use: return a value (or a promise), or call `context.callback(result)`, synchronously or
 * later. A synchronous handler that returns nothing is waiting to call back.
 */
export class NodeWorker implements RuntimeWorker {
  private callbackCalled = false;
  private callbackValue: unknown;
  private awaitingCallback: ((value: unknown) => void) | undefined;
  private closed = false;

  constructor(private readonly handler: HandlerFunction, context: Context) {
    context.callback = (result?: unknown) => this.onCallback(result);
  }

  handle(event: Event, context: Context): unknown {
    this.callbackCalled = false;
    this.callbackValue = undefined;
    this.awaitingCallback = undefined;
    const returned = this.handler(context, event);
    if (isThenable(returned)) {
      return Promise.resolve(returned).then((value) => (value === undefined && this.callbackCalled ? this.callbackValue : value));
    }
    if (returned !== undefined) return returned;
    if (this.callbackCalled) return this.callbackValue;
    return new Promise((resolve) => {
      this.awaitingCallback = resolve;
    });
  }

  async close(): Promise<void> {
    // A late callback from an abandoned (timed-out) event must not reach anyone.
    this.closed = true;
    this.awaitingCallback = undefined;
  }

  private onCallback(result: unknown): void {
    if (this.closed || this.callbackCalled) return;
    this.callbackCalled = true;
    this.callbackValue = result;
    const resolve = this.awaitingCallback;
    if (resolve) {
      this.awaitingCallback = undefined;
      resolve(result);
    }
  }
}
