import { Response, type Context, type Event, type RuntimeWorker } from '@nucleon/core';
import type { HandlerFunction } from './handler-module.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Nuclio's status reply: a two-element array `[statusCode, body]`. */
function fromStatusReply(value: unknown): unknown {
  if (Array.isArray(value) && value.length === 2 && Number.isInteger(value[0]) && value[0] >= 100 && value[0] <= 599) {
    return new Response(value[1] as string, {}, undefined, value[0] as number);
  }
  return value;
}

/**
 * One worker running the handler in process. Supports both result styles: return a value
 * (or a promise of one), or call `context.callback(result)` as Nuclio's Node handlers do,
 * synchronously or later. A handler whose result is `undefined` is taken to be waiting to
 * call back (as in Nuclio, where the callback is the only way to answer); return `''` or
 * `null` for an empty response.
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
    if (isThenable(returned)) return Promise.resolve(returned).then((value) => this.resultOrCallback(value));
    return this.resultOrCallback(returned);
  }

  async close(): Promise<void> {
    // A late callback from an abandoned (timed-out) event must not reach anyone.
    this.closed = true;
    this.awaitingCallback = undefined;
  }

  private resultOrCallback(value: unknown): unknown {
    if (value !== undefined) return fromStatusReply(value);
    if (this.callbackCalled) return fromStatusReply(this.callbackValue);
    return new Promise((resolve) => {
      this.awaitingCallback = (result) => resolve(fromStatusReply(result));
    });
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
